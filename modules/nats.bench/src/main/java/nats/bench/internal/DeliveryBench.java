package nats.bench.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
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
    String subject = Subjects.unique("bench." + scenario.cliName());
    List<Subscriber> subs = new ArrayList<>();
    Connection pubConn = null;
    try {
      for (int i = 0; i < k; i++) {
        subs.add(Subscriber.open(cfg.address(), "sub-" + i, subject, queue ? "q" : null,
            control));
      }
      pubConn = Connection.open(cfg.address(), "pub", 64 * 1024, 256 * 1024, control, null);

      // Queue members share the work, so progress is the total; otherwise the slowest one.
      LongSupplier consumed = queue ? () -> total(subs) : () -> slowest(subs);
      Publisher pub = new Publisher(pubConn, Protocol.pub(subject, null,
          Protocol.payload(cfg.size())), cfg.flowIntervalWithSubscribers(subject),
          cfg.maxPings(), consumed, cfg.windowMsgs(subject), control);
      AtomicBoolean pubDone = new AtomicBoolean();
      Workers workers = new Workers(control);
      for (Subscriber s : subs) {
        workers.start(s.name(), () -> s.run(
            () -> pubDone.get() && (queue ? total(subs) >= n : s.received() >= n)));
      }
      long start = System.nanoTime();
      try {
        pub.publish(n);
        pubDone.set(true);
      } catch (Exception e) {
        control.fail(e);
      }
      workers.join();
      return result(cfg, k, subs, start, pub.sent(), control);
    } finally {
      if (pubConn != null) {
        pubConn.close();
      }
      subs.forEach(Subscriber::close);
    }
  }

  private static Result result(BenchConfig cfg, int k, List<Subscriber> subs, long start,
      long published, RunControl control) {
    boolean queue = cfg.scenario() == Scenario.QUEUE;
    long n = cfg.msgs();
    long delivered = total(subs);
    long expected = queue ? n : n * k;
    long end = start;
    long min = Long.MAX_VALUE;
    long max = 0;
    for (Subscriber s : subs) {
      end = Math.max(end, s.lastReceiveNanos());
      min = Math.min(min, s.received());
      max = Math.max(max, s.received());
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
    long elapsed = (note == null ? end : System.nanoTime()) - start;
    Rates.put(m, delivered, cfg.size(), elapsed);
    if (k > 1) {
      double secs = Math.max(1, elapsed) / 1e9;
      m.put("per_sub_msgs_per_sec", delivered / (double) k / secs);
      m.put("min_sub_msgs", min);
      m.put("max_sub_msgs", max);
    }
    return new Result(cfg.scenario().cliName(), cfg.size(), note == null, note, m);
  }

  private static long total(List<Subscriber> subs) {
    long t = 0;
    for (Subscriber s : subs) {
      t += s.received();
    }
    return t;
  }

  private static long slowest(List<Subscriber> subs) {
    long m = Long.MAX_VALUE;
    for (Subscriber s : subs) {
      m = Math.min(m, s.received());
    }
    return m;
  }
}
