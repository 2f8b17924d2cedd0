package nats.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JetStream JSON API spoken over plain NATS request/reply: a request is a {@code PUB} to a
 * {@code $JS.API.>} subject with a reply inbox, the answer a JSON document (or a {@code 503}
 * status when nothing serves the subject, i.e. the server has no JetStream).
 */
final class JsApi implements AutoCloseable {
  private static final long TIMEOUT_NANOS = 5_000_000_000L;

  /**
   * One API answer.
   *
   * @param status the header status (503 no responders), 0 for a plain reply, -1 for no answer
   * @param body the JSON text
   */
  record Reply(int status, String body) {
    /** @return why the request failed, or null if it succeeded */
    String problem(String subject) {
      if (status == 503) {
        return "no responders on " + subject;
      }
      if (status < 0) {
        return "no answer on " + subject + " within 5 s";
      }
      if (status != 0) {
        return "status " + status + " on " + subject;
      }
      if (Json.hasObject(body, "error")) {
        String d = Json.stringField(body, "description");
        return subject + ": " + (d != null ? d : body);
      }
      return null;
    }
  }

  /** A JetStream API request that failed: the scenario reports JetStream as not available. */
  static final class UnavailableException extends Exception {
    UnavailableException(String message) {
      super(message);
    }
  }

  private final Connection conn;
  private final RunControl control;
  private final String inbox;
  private byte[] expected = new byte[0];
  private Reply reply;
  private long seq;

  private JsApi(NatsAddress address, RunControl control) throws IOException {
    this.control = control;
    this.inbox = Subjects.unique("_INBOX") + ".api";
    this.conn = Connection.open(address, "js-api", 256 * 1024, 64 * 1024, control,
        new FrameParser(this::onReply, 1 << 20), 0);
    try {
      conn.subscribe(inbox + ".*", null, 1);
    } catch (IOException e) {
      conn.close();
      throw e;
    }
  }

  static JsApi open(NatsAddress address, RunControl control) throws IOException {
    return new JsApi(address, control);
  }

  /** Sends one request and waits up to 5 s for its answer. */
  Reply request(String subject, String body) throws IOException {
    return request(subject, body, TIMEOUT_NANOS);
  }

  /**
   * Sends one request and waits up to {@code timeoutNanos} for its answer (status -1 without one);
   * a late answer to an earlier request is ignored, each request having its own reply subject.
   */
  Reply request(String subject, String body, long timeoutNanos) throws IOException {
    String replyTo = inbox + "." + (seq++);
    expected = replyTo.getBytes(StandardCharsets.US_ASCII);
    reply = null;
    conn.put(Protocol.pub(subject, replyTo, body));
    conn.flush();
    long deadline = System.nanoTime() + timeoutNanos;
    while (reply == null && System.nanoTime() - deadline < 0) {
      control.check("JetStream API " + subject);
      conn.readOnce();
    }
    return reply != null ? reply : new Reply(-1, "");
  }

  /** Sends a request that must succeed; otherwise JetStream counts as not available. */
  String require(String subject, String body) throws IOException, UnavailableException {
    Reply r = request(subject, body);
    String problem = r.problem(subject);
    if (problem != null) {
      throw new UnavailableException(problem);
    }
    return r.body();
  }

  /** Deletes a stream, ignoring the answer (clean-up). */
  void deleteStream(String name) {
    try {
      request("$JS.API.STREAM.DELETE." + name, "");
    } catch (IOException e) {
      // Clean-up after the measurement: a failure here changes no figure.
    }
  }

  private void onReply(MsgView m) {
    if (m.subjectIs(expected, expected.length)) {
      reply = new Reply(m.status(), m.body());
    }
  }

  @Override
  public void close() {
    conn.close();
  }
}
