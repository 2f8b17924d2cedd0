package nats.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code reqrep} scenario: one responder echoes a reply to each request; one requester sends
 * a request with a unique reply inbox and waits for its reply before sending the next, like a
 * real synchronous request. Each round trip's latency is recorded in nanoseconds.
 */
final class ReqRepBench {
  private ReqRepBench() {}

  static Result run(BenchConfig cfg) throws Exception {
    RunControl control = new RunControl(cfg.durationLimitSeconds());
    String subject = Subjects.unique("bench.req");
    String inbox = Subjects.unique("_INBOX");
    byte[] payload = Protocol.payload(cfg.size());
    int n = (int) Math.min(cfg.msgs(), Integer.MAX_VALUE - 8);
    long[] latencies = new long[n];
    Responder responder = new Responder(payload, control);
    Requester requester = new Requester(inbox);
    Connection rep = null;
    Connection req = null;
    int done = 0;
    try {
      rep = Connection.open(cfg.address(), "responder", 256 * 1024, 256 * 1024, control,
          responder::onMsg);
      responder.conn = rep;
      rep.put(Protocol.sub(subject, null, 1));
      rep.ping();
      rep.awaitPongs(0); // the responder's SUB is registered before the first request
      req = Connection.open(cfg.address(), "requester", 64 * 1024, 64 * 1024, control,
          requester::onMsg);
      req.put(Protocol.sub(inbox + ".*", null, 1));
      req.ping();
      req.awaitPongs(0);

      Workers workers = new Workers(control);
      Connection repConn = rep;
      workers.start("responder", () -> {
        while (!control.shouldStop()) {
          repConn.readOnce();
          repConn.flush();
        }
      });
      long start = System.nanoTime();
      try {
        for (; done < n; done++) {
          latencies[done] = requester.roundTrip(req, subject, done, payload, control);
        }
      } catch (IOException e) {
        control.fail(e);
      }
      long elapsed = System.nanoTime() - start;
      control.stop();
      workers.join();
      // Replies are plain MSGs; an HMSG would be a server status such as 503 no responders.
      long bad = requester.mismatched + req.parser().hmsgs();
      return result(cfg, latencies, done, elapsed, bad, control);
    } finally {
      control.stop();
      if (req != null) {
        req.close();
      }
      if (rep != null) {
        rep.close();
      }
    }
  }

  private static Result result(BenchConfig cfg, long[] latencies, int done, long elapsed,
      long mismatched, RunControl control) {
    Percentiles p = Percentiles.of(latencies, done);
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("requests", done);
    m.put("elapsed_ms", elapsed / 1_000_000);
    m.put("req_per_sec", done / (Math.max(1, elapsed) / 1e9));
    m.put("p50_ns", p.p50());
    m.put("p90_ns", p.p90());
    m.put("p99_ns", p.p99());
    m.put("p999_ns", p.p999());
    m.put("max_ns", p.max());
    m.put("mean_ns", Math.round(p.mean()));
    Throwable failure = control.failure();
    String note = failure != null ? control.reason()
        : done < cfg.msgs() ? "only " + done + " of " + cfg.msgs() + " requests completed"
        : mismatched > 0 ? mismatched + " replies were unexpected (wrong inbox or status HMSG)"
        : null;
    return new Result("reqrep", cfg.size(), note == null, note, m);
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

    void onMsg(byte[] line, int subjOff, int subjLen, int replyOff, int replyLen) {
      if (replyLen == 0 || conn == null) {
        return;
      }
      try {
        // Frames are only appended here; the responder loop flushes after each read.
        conn.put(PUB_SPACE);
        conn.put(line, replyOff, replyLen);
        conn.put(tail);
      } catch (IOException e) {
        control.fail(e);
      }
    }

    private static final byte[] PUB_SPACE = Protocol.ascii("PUB ");
  }

  /** Sends one request at a time and checks each reply arrives on the inbox it named. */
  private static final class Requester {
    private final String inbox;
    private byte[] expected = new byte[0];
    long mismatched;

    Requester(String inbox) {
      this.inbox = inbox;
    }

    long roundTrip(Connection conn, String subject, int seq, byte[] payload, RunControl control)
        throws IOException {
      String reply = inbox + "." + seq;
      expected = reply.getBytes(StandardCharsets.US_ASCII);
      byte[] frame = Protocol.pub(subject, reply, payload);
      long want = conn.parser().msgs() + 1;
      long t0 = System.nanoTime();
      conn.put(frame);
      conn.flush();
      while (conn.parser().msgs() < want) {
        control.check("requester");
        conn.readOnce();
      }
      return System.nanoTime() - t0;
    }

    void onMsg(byte[] line, int subjOff, int subjLen, int replyOff, int replyLen) {
      if (!Arrays.equals(line, subjOff, subjOff + subjLen, expected, 0, expected.length)) {
        mismatched++;
      }
    }
  }
}
