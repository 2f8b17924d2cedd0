package nats.bench.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code inproc-sub} scenario (issue 10 item 8, second half): one network publisher, and the
 * subscriber inside the server, the {@code bench-inproc} plugin's direct handler counting every
 * message on {@code is.*} on the publisher's thread. A direct handler consumes as the message is
 * routed, so the publisher needs no window; its final PONG means every message was counted, and
 * the plugin's count (asked on {@code $BENCH.inproc.count} before and after) must have grown by N.
 * Compare with {@code pubsub} on the same server.
 */
final class InProcSubBench {
  private static final String COUNT = "$BENCH.inproc.count";

  private InProcSubBench() {}

  static Result run(BenchConfig cfg) throws Exception {
    RunControl control = new RunControl(cfg.durationLimitSeconds());
    String subject = Subjects.unique("is");
    long n = cfg.msgs();
    Connection pubConn = null;
    try (JsApi api = JsApi.open(cfg.address(), control)) {
      long before = count(api);
      pubConn = Connection.open(cfg.address(), "pub", 64 * 1024, 4 * 1024, control);
      Publisher pub = new Publisher(pubConn, Protocol.pub(subject, null, Protocol.payload(cfg.size())),
          cfg.flowInterval(), cfg.maxPings(), null, 0, control);
      Map<String, Number> m = new LinkedHashMap<>();
      CpuMeter cpu = CpuMeter.start(cfg.pid());
      long start = System.nanoTime();
      long end = pub.publish(n);
      long sent = end != 0 ? n : pub.sent();
      cpu.finish(m, sent, 0);
      long received = count(api) - before;
      String note = control.reason();
      if (note == null && received != n) {
        note = "the in-process subscriber counted " + received + " of " + n;
      }
      Map<String, Number> out = new LinkedHashMap<>();
      out.put("msgs", sent);
      out.put("subs", 1);
      out.put("delivered", received);
      out.put("expected", n);
      Rates.put(out, received, cfg.size(), (note == null ? end : System.nanoTime()) - start);
      out.putAll(m);
      return new Result(cfg.scenario().cliName(), cfg.size(), note == null, note, out);
    } finally {
      if (pubConn != null) {
        pubConn.close();
      }
    }
  }

  private static long count(JsApi api) throws Exception {
    JsApi.Reply r = api.request(COUNT, "");
    String problem = r.problem(COUNT);
    if (problem != null) {
      throw new IllegalStateException(problem + " (the server has no bench-inproc plugin: copy"
          + " plugins/bench-inproc/target/bench-inproc-*.jar into its --plugins-dir)");
    }
    return Long.parseLong(r.body().trim());
  }
}
