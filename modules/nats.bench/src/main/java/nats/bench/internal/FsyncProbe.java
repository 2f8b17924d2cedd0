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
 * How fast this disk makes a small append durable: 128 bytes appended and {@code fsync}ed in a
 * loop, as a file store does before it acknowledges a publish. With fsync before the ack, one
 * synchronous client can do at most 1 / (round trip + one fsync) operations per second; the sync
 * JetStream rows print that limit beside their figures.
 *
 * <p>A shared disk's rate moves within seconds, so a sync row probes in short windows between
 * slices of its own run ({@link Window}) and takes the limit from those windows together.
 */
final class FsyncProbe {
  private static final int RECORD = 128;
  private static final int MAX_SAMPLES = 100_000;

  /**
   * One probe's figures.
   *
   * @param count fsyncs done
   * @param p50Nanos median time of write + fsync
   * @param p99Nanos 99th percentile
   * @param perSecond fsyncs per second over the probe (1 / the mean time of one)
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

    /** The mean time of one write + fsync. */
    double meanNanos() {
      return perSecond <= 0 ? Double.POSITIVE_INFINITY : 1e9 / perSecond;
    }
  }

  /**
   * Samples gathered over one or more probing windows (before and after a run). Each step does the
   * probe's append + {@code fsync} and, for the stricter floor, one overwrite of already written
   * (preallocated) space + {@code fdatasync}, the cheapest durable write this disk offers (no
   * metadata to commit), so the two see the same moments of a shared disk.
   */
  static final class Window {
    private static final int PREALLOCATED = 1 << 20;
    private final Path dir;
    private final long[] samples = new long[MAX_SAMPLES];
    private final long[] overwrites = new long[MAX_SAMPLES];
    private int n;
    private long elapsed;
    private long overwriteElapsed;

    Window(Path dir) {
      this.dir = dir;
    }

    /** Probes for about {@code nanos} more. */
    Window probe(long nanos) throws IOException {
      Path file = Files.createTempFile(dir, "nats-bench-fsync-", ".dat");
      Path pre = Files.createTempFile(dir, "nats-bench-fdatasync-", ".dat");
      ByteBuffer record = ByteBuffer.wrap(Protocol.payload(RECORD));
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
          FileChannel over = FileChannel.open(pre, StandardOpenOption.WRITE)) {
        ByteBuffer zeros = ByteBuffer.allocate(PREALLOCATED);
        while (zeros.hasRemaining()) {
          over.write(zeros, zeros.position());
        }
        over.force(true);
        long position = 0;
        long start = System.nanoTime();
        try {
          while (n < MAX_SAMPLES && System.nanoTime() - start < nanos) {
            long t0 = System.nanoTime();
            record.clear();
            while (record.hasRemaining()) {
              ch.write(record);
            }
            ch.force(true);
            long t1 = System.nanoTime();
            record.clear();
            position = position + RECORD > PREALLOCATED ? 0 : position;
            while (record.hasRemaining()) {
              position += over.write(record, position);
            }
            over.force(false);
            long t2 = System.nanoTime();
            samples[n] = t1 - t0;
            overwrites[n++] = t2 - t1;
            overwriteElapsed += t2 - t1;
          }
        } finally {
          elapsed += System.nanoTime() - start;
        }
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(pre);
      }
      return this;
    }

    /** The append + fsync figures: the disk's fsync rate. */
    Probe result() {
      Percentiles p = Percentiles.of(samples, n);
      long appendElapsed = Math.max(1, elapsed - overwriteElapsed);
      return new Probe(n, p.p50(), p.p99(), n / (appendElapsed / 1e9));
    }

    /** The overwrite + fdatasync figures. */
    Probe overwrite() {
      Percentiles p = Percentiles.of(overwrites, n);
      return new Probe(n, p.p50(), p.p99(), n / (Math.max(1, overwriteElapsed) / 1e9));
    }
  }

  private FsyncProbe() {}

  /** The system's temp directory: where the comparison puts the servers' store directories. */
  static Path tempDir() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** Appends and fsyncs 128-byte records in a temp file under {@code dir} for about {@code nanos}. */
  static Probe measure(Path dir, long nanos) throws IOException {
    return new Window(dir).probe(nanos).result();
  }

  /**
   * Adds the probe and the limits of one synchronous client. {@code limit_ops_per_sec} is the
   * disk's fsync rate turned into operations: 1 / (mean round trip + mean append + fsync), the mean
   * because the measured rate is 1 / the mean operation; {@code vs_limit} is the measured rate
   * over it. {@code floor_ops_per_sec} and {@code vs_floor} do the same with the overwrite +
   * fdatasync of preallocated space, the stricter bound. The medians give {@code p50_limit_ns}
   * (round trip p50 + fsync p50) and {@code p50_over_limit}: the operation's p50 over it.
   */
  static void addLimit(Map<String, Number> m, Window disk, long rttP50Nanos,
      double rttMeanNanos) {
    Probe probe = disk.result();
    Probe overwrite = disk.overwrite();
    m.put("rtt_p50_ns", rttP50Nanos);
    m.put("rtt_mean_ns", Math.round(rttMeanNanos));
    m.put("fsync_per_sec", probe.perSecond());
    m.put("fsync_p50_ns", probe.p50Nanos());
    m.put("fsync_p99_ns", probe.p99Nanos());
    m.put("fdatasync_overwrite_per_sec", overwrite.perSecond());
    m.put("fdatasync_overwrite_p50_ns", overwrite.p50Nanos());
    double limit = 1e9 / Math.max(1, rttMeanNanos + probe.meanNanos());
    double floor = 1e9 / Math.max(1, rttMeanNanos + overwrite.meanNanos());
    m.put("limit_ops_per_sec", limit);
    m.put("floor_ops_per_sec", floor);
    Number rate = m.get("req_per_sec");
    if (rate != null) {
      m.put("vs_limit", rate.doubleValue() / limit);
      m.put("vs_floor", rate.doubleValue() / floor);
    }
    long p50Limit = rttP50Nanos + probe.p50Nanos();
    m.put("p50_limit_ns", p50Limit);
    Number p50 = m.get("p50_ns");
    if (p50 != null && p50Limit > 0) {
      m.put("p50_over_limit", p50.doubleValue() / p50Limit);
    }
  }
}
