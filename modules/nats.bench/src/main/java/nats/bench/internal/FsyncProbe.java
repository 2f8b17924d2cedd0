package nats.bench.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How fast this disk makes a small append durable: 128 bytes written and {@code fsync}ed in a
 * loop, as a file store does before it acknowledges a publish. With fsync before the ack, one
 * synchronous client can do at most 1 / (round trip + one fsync) operations per second; the sync
 * JetStream rows print that limit beside their figures.
 */
final class FsyncProbe {
  private static final int RECORD = 128;
  private static final int MAX_SAMPLES = 100_000;
  private static volatile Probe cached;

  /**
   * One probe's figures.
   *
   * @param count fsyncs done
   * @param p50Nanos median time of write + fsync
   * @param p99Nanos 99th percentile
   * @param perSecond fsyncs per second over the probe
   */
  record Probe(int count, long p50Nanos, long p99Nanos, double perSecond) {
    Map<String, Number> metrics() {
      Map<String, Number> m = new LinkedHashMap<>();
      m.put("fsyncs", count);
      m.put("fsync_per_sec", perSecond);
      m.put("fsync_p50_ns", p50Nanos);
      m.put("fsync_p99_ns", p99Nanos);
      return m;
    }
  }

  private FsyncProbe() {}

  /** Probes once per tool run (in the system's temp directory) and remembers the figures. */
  static Probe cached() throws IOException {
    Probe p = cached;
    if (p == null) {
      p = measure(Path.of(System.getProperty("java.io.tmpdir")), 2_000_000_000L);
      cached = p;
    }
    return p;
  }

  /** Appends and fsyncs 128-byte records in a temp file under {@code dir} for about {@code nanos}. */
  static Probe measure(Path dir, long nanos) throws IOException {
    Path file = Files.createTempFile(dir, "nats-bench-fsync-", ".dat");
    long[] samples = new long[MAX_SAMPLES];
    int n = 0;
    ByteBuffer record = ByteBuffer.wrap(Protocol.payload(RECORD));
    long start = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      while (n < MAX_SAMPLES && System.nanoTime() - start < nanos) {
        long t0 = System.nanoTime();
        record.clear();
        while (record.hasRemaining()) {
          ch.write(record);
        }
        ch.force(true);
        samples[n++] = System.nanoTime() - t0;
      }
    } finally {
      Files.deleteIfExists(file);
    }
    long elapsed = System.nanoTime() - start;
    Percentiles p = Percentiles.of(samples, n);
    return new Probe(n, p.p50(), p.p99(), n / (Math.max(1, elapsed) / 1e9));
  }

  /** Adds the probe and the limit 1 / (round trip + fsync) of one synchronous client. */
  static void addLimit(Map<String, Number> m, Probe probe, long roundTripNanos) {
    m.put("rtt_p50_ns", roundTripNanos);
    m.put("fsync_p50_ns", probe.p50Nanos());
    m.put("limit_ops_per_sec", 1e9 / Math.max(1, roundTripNanos + probe.p50Nanos()));
  }
}
