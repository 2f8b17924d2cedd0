package nats.bench.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The {@code pubsub}, {@code fanout} and {@code queue} scenarios: one publisher, K counting
 * subscribers, throughput measured where messages arrive.
 *
 * <p>The clock starts when the publisher starts and stops at the last subscriber's last message.
 * Once the publisher has its final PONG the server has routed every message, so each subscriber's
 * closing PING round trip makes its count final: fanout expects exactly N per subscriber, queue
 * exactly N in total (more would be a duplicate delivery).
 */
final class DeliveryBench {
  private DeliveryBench() {}

  static Result run(BenchConfig cfg) throws Exception {
    Scenario scenario = cfg.scenario();
    boolean queue = scenario == Scenario.QUEUE;
    int k = scenario == Scenario.PUBSUB ? 1 : cfg.subs();
    long n = cfg.msgs();
    RunControl control = new RunControl(cfg.durationLimitSeconds());
    String subject = Subjects.unique(scenario == Scenario.PUBSUB ? "ps"
        : queue ? "q" : "f");
    ReaderGroup group = new ReaderGroup(control);
    Connection pubConn = null;
    try {
      for (int i = 0; i < k; i++) {
        Connection c = Connection.open(cfg.address(), "sub-" + i, 64 * 1024, 4 * 1024, control);
        c.subscribe(subject, queue ? "q" : null, 1);
        c.parser().expectMsg(subject, 1, cfg.size());
        group.add(c);
      }
      pubConn = Connection.open(cfg.address(), "pub", 64 * 1024, 4 * 1024, control);

      // Queue members share the work, so progress is the total; otherwise the slowest one.
      LongSupplier consumed = queue ? group::total : group::slowest;
      Publisher pub = new Publisher(pubConn, Protocol.pub(subject, null,
          Protocol.payload(cfg.size())), cfg.flowIntervalWithSubscribers(subject),
          cfg.maxPings(), consumed, cfg.windowMsgs(subject), control);
      Workers workers = new Workers(control);
      group.start(workers, cfg.readers());
      CpuMeter cpu = CpuMeter.start(cfg.pid());
      long start = System.nanoTime();
      try {
        pub.publish(n);
        group.drain();
      } catch (Exception e) {
        control.fail(e);
      }
      workers.join();
      return result(cfg, k, group, start, pub.sent(), control, cpu);
    } finally {
      if (pubConn != null) {
        pubConn.close();
      }
      group.close();
    }
  }

  private static Result result(BenchConfig cfg, int k, ReaderGroup group, long start,
      long published, RunControl control, CpuMeter cpu) {
    boolean queue = cfg.scenario() == Scenario.QUEUE;
    long n = cfg.msgs();
    long delivered = group.total();
    long expected = queue ? n : n * k;
    long min = Long.MAX_VALUE;
    long max = 0;
    long fast = 0;
    for (ReaderGroup.Sub s : group.subs()) {
      min = Math.min(min, s.received);
      max = Math.max(max, s.received);
      fast += s.conn.parser().fastMsgs();
    }
    String note = control.reason();
    boolean countsOk = queue ? delivered == n : min == n && max == n;
    if (note == null && !countsOk) {
      note = queue ? "queue group received " + delivered + " of " + n
          + (delivered > n ? " (duplicate deliveries)" : "")
          : "per-subscriber counts " + min + ".." + max + ", expected " + n;
    }
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("msgs", published);
    m.put("subs", k);
    m.put("delivered", delivered);
    m.put("expected", expected);
    long end = Math.max(start, group.lastReceiveNanos());
    long elapsed = (note == null ? end : System.nanoTime()) - start;
    Rates.put(m, delivered, cfg.size(), elapsed);
    if (k > 1) {
      double secs = Math.max(1, elapsed) / 1e9;
      m.put("per_sub_msgs_per_sec", delivered / (double) k / secs);
      m.put("min_sub_msgs", min);
      m.put("max_sub_msgs", max);
    }
    // CPU per published message, and for fan-out also per delivery.
    cpu.finish(m, published, cfg.scenario() == Scenario.FANOUT ? delivered : 0);
    if (delivered > 0 && fast < delivered / 2) {
      note = (note == null ? "" : note + "; ") + "only " + fast + " of " + delivered
          + " frames had the expected MSG shape (counted the slow way)";
    }
    return new Result(cfg.scenario().cliName(), cfg.size(), countsOk && control.reason() == null,
        note, m);
  }
}
