package nats.bench.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code inproc} scenario (issue 10 item 8): the publisher is inside the server, the
 * {@code bench-inproc} plugin publishing through the in-process byte-slice path, and one network
 * subscriber counts what arrives, as in {@code pubsub}. A control connection sends the plugin
 * orders of a quarter window each ({@code <subject> <count> <size>} on {@code $BENCH.inproc}) and
 * keeps at most the window ahead of the subscriber, as the network publisher does. Compare its
 * throughput and CPU per message with {@code pubsub} on the same server (only jnatsd with the
 * plugin's jar in its plugins directory runs it).
 */
final class InProcBench {
  private static final String ORDERS = "$BENCH.inproc";
  private static final long NO_PLUGIN_NANOS = 5_000_000_000L;

  private InProcBench() {}

  static Result run(BenchConfig cfg) throws Exception {
    long n = cfg.msgs();
    RunControl control = new RunControl(cfg.durationLimitSeconds());
    String subject = Subjects.unique("ip");
    ReaderGroup group = new ReaderGroup(control);
    Connection orders = null;
    try {
      Connection sub = Connection.open(cfg.address(), "sub-0", 64 * 1024, 4 * 1024, control);
      sub.subscribe(subject, null, 1);
      sub.parser().expectMsg(subject, 1, cfg.size());
      group.add(sub);
      orders = Connection.open(cfg.address(), "orders", 64 * 1024, 4 * 1024, control);
      long window = cfg.windowMsgs(subject);
      long chunk = Math.max(1, window / 4);
      Workers workers = new Workers(control);
      group.start(workers, cfg.readers());
      CpuMeter cpu = CpuMeter.start(cfg.pid());
      long start = System.nanoTime();
      long ordered = 0;
      try {
        while (ordered < n) {
          while (ordered - group.slowest() > window - chunk) {
            control.check("waiting for the subscriber");
            noPluginCheck(group, start);
            LockSupport.parkNanos(100_000);
          }
          long count = Math.min(chunk, n - ordered);
          orders.put(Protocol.pub(ORDERS, null, subject + " " + count + " " + cfg.size()));
          orders.flush();
          ordered += count;
        }
        // The plugin works through its orders after they arrive: wait for the last message first.
        while (group.total() < n) {
          control.check("waiting for the in-process publisher's last messages");
          noPluginCheck(group, start);
          LockSupport.parkNanos(100_000);
        }
        group.drain();
      } catch (Exception e) {
        control.fail(e);
      }
      workers.join();
      return result(cfg, group, start, ordered, control, cpu);
    } finally {
      if (orders != null) {
        orders.close();
      }
      group.close();
    }
  }

  /** A server without the plugin (Go, or jnatsd without the jar) sends nothing: stop early. */
  private static void noPluginCheck(ReaderGroup group, long start) {
    if (group.total() == 0 && System.nanoTime() - start > NO_PLUGIN_NANOS) {
      throw new IllegalStateException("no message within 5 s: the server has no bench-inproc plugin"
          + " (copy plugins/bench-inproc/target/bench-inproc-*.jar into its --plugins-dir)");
    }
  }

  private static Result result(BenchConfig cfg, ReaderGroup group, long start, long ordered,
      RunControl control, CpuMeter cpu) {
    long n = cfg.msgs();
    long delivered = group.total();
    String note = control.reason();
    boolean countsOk = delivered == n;
    if (note == null && !countsOk) {
      note = "subscriber received " + delivered + " of " + n
          + (delivered == 0 ? " (is the bench-inproc plugin in the server's plugins directory?)" : "");
    }
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("msgs", ordered);
    m.put("subs", 1);
    m.put("delivered", delivered);
    m.put("expected", n);
    long end = Math.max(start, group.lastReceiveNanos());
    long elapsed = (note == null ? end : System.nanoTime()) - start;
    Rates.put(m, delivered, cfg.size(), elapsed);
    // The server's CPU includes the in-process publisher's: it runs inside the server.
    cpu.finish(m, ordered, 0);
    return new Result(cfg.scenario().cliName(), cfg.size(), countsOk && control.reason() == null,
        note, m);
  }
}
