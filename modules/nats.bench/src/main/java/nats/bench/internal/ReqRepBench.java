package nats.bench.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code reqrep} scenario: one responder echoes a reply to each request; C requesters (default
 * 1) each send a request with a unique reply inbox and wait for its reply before sending the
 * next, like a real synchronous request. Each round trip's latency is recorded in nanoseconds.
 */
final class ReqRepBench {
  private static final byte[] PUB_SPACE = Protocol.ascii("PUB ");
  private static final byte[] SPACE = Protocol.ascii(" ");

  private ReqRepBench() {}

  static Result run(BenchConfig cfg) throws Exception {
    RunControl control = new RunControl(cfg.durationLimitSeconds());
    byte[] subject = Protocol.ascii(Subjects.unique("r"));
    byte[] payload = Protocol.payload(cfg.size());
    byte[] tail = Protocol.ascii(" " + payload.length + "\r\n");
    Responder responder = new Responder(payload, control);
    Connection rep = Connection.open(cfg.address(), "responder", 256 * 1024, 256 * 1024, control,
        new FrameParser(responder::onMsg, 0), 0);
    try {
      responder.conn = rep;
      // The responder's SUB is registered before the first request.
      rep.subscribe(new String(subject, java.nio.charset.StandardCharsets.US_ASCII), null, 1);
      rep.useBlockingIo();
      Workers workers = new Workers(control);
      workers.start("responder", () -> {
        while (!control.shouldStop()) {
          rep.readOnce();
          rep.flush();
        }
      });
      SyncClients clients = SyncClients.open(cfg.address(), cfg.clients(), control, 0,
          m -> m.hmsg() ? "a status HMSG instead of the reply (e.g. 503 no responders)" : null);
      CpuMeter cpu = CpuMeter.start(cfg.pid());
      SyncClients.Outcome o;
      try {
        o = clients.run(cfg.msgs(), (out, client, seq, reply) -> out.bytes(PUB_SPACE)
            .bytes(subject).bytes(SPACE).bytes(reply.array(), 0, reply.length()).bytes(tail)
            .bytes(payload).crlf());
      } finally {
        control.stop();
        workers.join();
        clients.close();
      }
      return result(cfg, o, control, cpu, "reqrep");
    } finally {
      control.stop();
      rep.close();
    }
  }

  /** Summarizes the requests of {@code reqrep} and the synchronous JetStream scenarios. */
  static Result result(BenchConfig cfg, SyncClients.Outcome o, RunControl control, CpuMeter cpu,
      String name) {
    Percentiles p = Percentiles.of(o.latencies(), o.done());
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("requests", o.done());
    m.put("clients", cfg.clients());
    m.put("elapsed_ms", o.elapsedNanos() / 1_000_000);
    m.put("req_per_sec", o.done() / (Math.max(1, o.elapsedNanos()) / 1e9));
    m.put("p50_ns", p.p50());
    m.put("p90_ns", p.p90());
    m.put("p99_ns", p.p99());
    m.put("p999_ns", p.p999());
    m.put("max_ns", p.max());
    m.put("mean_ns", Math.round(p.mean()));
    cpu.finish(m, o.done(), 0);
    Throwable failure = control.failure();
    boolean stopped = failure instanceof RunControl.StopException;
    String note = failure != null && !stopped ? control.reason()
        : o.done() < cfg.msgs() ? "only " + o.done() + " of " + cfg.msgs()
            + " requests completed" + (control.reason() == null ? "" : " (" + control.reason()
            + ")")
        : o.bad() > 0 ? o.bad() + " replies were wrong, the first: " + o.firstBad()
        : null;
    return new Result(name, cfg.size(), note == null, note, m);
  }

  /** Answers each request on its reply subject; called by the responder's parser. */
  private static final class Responder {
    private final byte[] tail; // " <size>\r\n<payload>\r\n"
    private final RunControl control;
    Connection conn;

    Responder(byte[] payload, RunControl control) {
      byte[] head = Protocol.ascii(" " + payload.length + "\r\n");
      this.tail = Arrays.copyOf(head, head.length + payload.length + 2);
      System.arraycopy(payload, 0, tail, head.length, payload.length);
      tail[tail.length - 2] = '\r';
      tail[tail.length - 1] = '\n';
      this.control = control;
    }

    void onMsg(MsgView m) {
      if (m.replyLen() == 0 || conn == null) {
        return;
      }
      try {
        // Frames are only appended here; the responder loop flushes after each read.
        conn.put(PUB_SPACE);
        conn.put(m.line(), m.replyOff(), m.replyLen());
        conn.put(tail);
      } catch (IOException e) {
        control.fail(e);
      }
    }
  }
}
