package nats.bench.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code slowsub} scenario: how much memory a server needs to hold what it could not yet
 * deliver.
 *
 * <p>K subscribers (default 100) subscribe with a small socket receive buffer and then stop
 * reading; one publisher sends each of them about {@code --stall-bytes} (default 16 MiB, below
 * the 64 MiB {@code max_pending} of both servers, so nobody is disconnected for that). The
 * server's resident memory is sampled every 20 ms from before the first message until 0.5 s
 * after the publisher's final PONG; reported are the sampled peak, the kernel's high-water mark
 * ({@code VmHWM}) and the value at the end. Afterwards each subscriber socket is read a little
 * to see whether the server closed it (a server may close a consumer whose writes block too
 * long, as Go does after its 2 s write deadline).
 */
final class SlowSubBench {
  private static final int RECEIVE_BUFFER = 64 * 1024;
  private static final long HOLD_NANOS = 500_000_000L;

  private SlowSubBench() {}

  static Result run(BenchConfig cfg) throws Exception {
    if (cfg.pid() <= 0) {
      return Result.failed("slowsub", cfg.size(), "the server's pid is unknown (--pid):"
          + " its memory cannot be read");
    }
    RunControl control = new RunControl(cfg.durationLimitSeconds());
    String subject = Subjects.unique("s");
    List<Connection> subs = new ArrayList<>();
    Connection pubConn = null;
    try {
      for (int i = 0; i < cfg.subs(); i++) {
        Connection c = Connection.open(cfg.address(), "stalled-" + i, 64 * 1024, 4 * 1024,
            control, new FrameParser(), RECEIVE_BUFFER);
        subs.add(c);
        c.subscribe(subject, null, 1);
      }
      pubConn = Connection.open(cfg.address(), "pub", 64 * 1024, 4 * 1024, control);
      Publisher pub = new Publisher(pubConn, Protocol.pub(subject, null,
          Protocol.payload(cfg.size())), cfg.flowInterval(), cfg.maxPings(), null, 0, control);
      long before = ProcFs.rssKbTree(cfg.pid());
      RssSampler sampler = new RssSampler(cfg.pid());
      Workers workers = new Workers(control);
      workers.start("rss-sampler", sampler::run);
      CpuMeter cpu = CpuMeter.start(cfg.pid());
      long start = System.nanoTime();
      long end = start;
      try {
        end = pub.publish(cfg.msgs());
        while (System.nanoTime() - end < HOLD_NANOS && !control.shouldStop()) {
          LockSupport.parkNanos(20_000_000L);
        }
      } catch (Exception e) {
        control.fail(e);
      }
      sampler.stop();
      workers.join();
      long hwm = ProcFs.hwmKbTree(cfg.pid());
      long last = ProcFs.rssKbTree(cfg.pid());
      Map<String, Number> m = new LinkedHashMap<>();
      m.put("msgs", pub.sent());
      m.put("subs", cfg.subs());
      m.put("stall_bytes_per_sub", pub.sent() * (long) Protocol.msgFrameLength(subject,
          cfg.size()));
      Rates.put(m, pub.sent(), cfg.size(), end - start);
      m.put("rss_before_kb", before);
      m.put("rss_peak_kb", Math.max(sampler.peak(), last));
      m.put("vm_hwm_kb", hwm);
      m.put("rss_end_kb", last);
      cpu.finish(m, pub.sent(), pub.sent() * cfg.subs());
      m.put("subs_closed", closedByServer(subs));
      String note = control.reason();
      if (note == null && (before < 0 || hwm < 0)) {
        note = "cannot read the memory of process " + cfg.pid();
      }
      return new Result("slowsub", cfg.size(), note == null, note, m);
    } finally {
      if (pubConn != null) {
        pubConn.close();
      }
      subs.forEach(Connection::close);
    }
  }

  /**
   * Counts subscriber sockets the server has closed: after at most the little that fits in the
   * small receive buffer, a closed socket reads end-of-stream; an open one never does.
   */
  private static int closedByServer(List<Connection> subs) {
    ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
    int closed = 0;
    for (Connection c : subs) {
      try {
        for (int i = 0; i < 4; i++) {
          buf.clear();
          if (c.channel().read(buf) <= 0) {
            break;
          }
        }
        buf.clear();
        if (c.channel().read(buf) < 0) {
          closed++;
        }
      } catch (IOException e) {
        closed++; // reset by the server
      }
    }
    return closed;
  }

  /** Samples the server's RSS until stopped and keeps the largest value. */
  private static final class RssSampler {
    private final long pid;
    private volatile boolean stop;
    private volatile long peak = -1;

    RssSampler(long pid) {
      this.pid = pid;
    }

    void run() {
      while (!stop) {
        peak = Math.max(peak, ProcFs.rssKbTree(pid));
        LockSupport.parkNanos(20_000_000L);
      }
    }

    void stop() {
      stop = true;
    }

    long peak() {
      return peak;
    }
  }
}
