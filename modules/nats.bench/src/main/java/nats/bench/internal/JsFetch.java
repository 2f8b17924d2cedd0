package nats.bench.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code js-fetch} scenario: a durable pull consumer with explicit acks drains a stream that
 * was filled beforehand. Pull requests for {@code --batch} messages are kept two deep; every
 * message is acknowledged with {@code +ACK} on its {@code $JS.ACK...} reply subject as soon as it
 * is parsed (the acks are flushed after each read). Afterwards the consumer's
 * {@code num_ack_pending} is checked to reach 0, so the acks really counted.
 */
final class JsFetch {
  private static final long EXPIRES_NANOS = 10_000_000_000L;
  private static final byte[] ACK_PREFIX = Protocol.ascii("$JS.ACK.");
  private static final byte[] PUB_SPACE = Protocol.ascii("PUB ");
  private static final byte[] ACK_TAIL = Protocol.ascii(" 4\r\n+ACK\r\n");

  private JsFetch() {}

  static Result run(BenchConfig cfg, JsApi api, RunControl control) throws Exception {
    String[] s = JsBench.createStream(cfg, api);
    String stream = s[0];
    long n = cfg.msgs();
    try {
      fill(cfg.address(), s[1] + ".x", n, Protocol.payload(cfg.size()), control);
      String durable = "C";
      createConsumer(api, stream, durable, cfg.js().batch());
      Fetcher f = new Fetcher(cfg.address(), stream, durable, control);
      try {
        CpuMeter cpu = CpuMeter.start(cfg.pid());
        long start = System.nanoTime();
        String problem = null;
        try {
          f.fetch(n, cfg.js().batch());
        } catch (IOException e) {
          control.fail(e);
        }
        long end = System.nanoTime();
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("msgs", f.received);
        m.put("batch", cfg.js().batch());
        String note = control.reason();
        Rates.put(m, f.received, cfg.size(), end - start);
        cpu.finish(m, f.received, 0);
        if (note == null) {
          long pending = awaitAcked(api, stream, durable, control);
          m.put("ack_pending_after", pending);
          problem = pending == 0 ? null : pending + " acks still pending on the consumer after 2 s";
        }
        note = note != null ? note : problem;
        return new Result("js-fetch", cfg.size(), note == null, note, m);
      } finally {
        f.conn.close();
      }
    } finally {
      api.deleteStream(stream);
    }
  }

  /** Publishes {@code n} messages to {@code subject}, 1,000 acks outstanding; all must be acked. */
  static void fill(NatsAddress address, String subject, long n, byte[] payload,
      RunControl control) throws Exception {
    try (AckedPublisher fill = AckedPublisher.open(address, "js-fill", control, i -> subject, 1,
        payload, 1000)) {
      fill.publish(n);
      if (fill.acks() != n) {
        throw new JsApi.UnavailableException("publishes refused while filling the stream: "
            + fill.firstError());
      }
    }
  }

  /** Creates the durable pull consumer the fetcher drains, room for a few batches unacked. */
  static void createConsumer(JsApi api, String stream, String durable, int batch)
      throws IOException, JsApi.UnavailableException {
    api.require("$JS.API.CONSUMER.DURABLE.CREATE." + stream + "." + durable,
        JsConfigs.pullConsumer(stream, durable, Math.max(20_000, 4 * batch)));
  }

  /** Polls the consumer's info until no ack is pending (at most 2 s); returns the last count. */
  static long awaitAcked(JsApi api, String stream, String durable, RunControl control)
      throws IOException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    long pending;
    do {
      JsApi.Reply r = api.request("$JS.API.CONSUMER.INFO." + stream + "." + durable, "");
      pending = Json.longField(r.body(), "num_ack_pending", -1);
      if (pending == 0) {
        return 0;
      }
      LockSupport.parkNanos(20_000_000L);
    } while (System.nanoTime() - deadline < 0 && !control.shouldStop());
    return pending;
  }

  /** The consumer's connection: pulls, counts, acks. */
  static final class Fetcher implements AutoCloseable {
    private final Connection conn;
    private final RunControl control;
    private final String nextSubject;
    private final String inbox;
    private long received;
    private long requested;
    private String fatal;

    Fetcher(NatsAddress address, String stream, String durable, RunControl control)
        throws IOException {
      this.control = control;
      this.nextSubject = "$JS.API.CONSUMER.MSG.NEXT." + stream + "." + durable;
      this.inbox = Subjects.unique("_INBOX") + ".pull";
      this.conn = Connection.open(address, "js-fetch", 1 << 20, 256 * 1024, control,
          new FrameParser(this::onMsg, 256), 0);
      conn.subscribe(inbox, null, 1);
    }

    /** @return the messages received (and acknowledged) so far */
    long received() {
      return received;
    }

    @Override
    public void close() {
      conn.close();
    }

    /**
     * Pulls and acknowledges until {@code n} messages arrived; returns once the server has read
     * the last ack (PING/PONG).
     */
    void fetch(long n, int batch) throws IOException {
      byte[] full = Protocol.pub(nextSubject, inbox, JsConfigs.pullRequest(batch, EXPIRES_NANOS));
      while (received < n) {
        control.check("js-fetch");
        if (fatal != null) {
          throw new IOException("pull request failed: " + fatal);
        }
        while (requested < n && requested - received < 2L * batch) {
          int b = (int) Math.min(batch, n - requested);
          conn.put(b == batch ? full
              : Protocol.pub(nextSubject, inbox, JsConfigs.pullRequest(b, EXPIRES_NANOS)));
          requested += b;
        }
        conn.flush(); // pull requests and the acks of the last read
        conn.readOnce();
      }
      conn.ping();
      conn.awaitPongs(0); // the last acks are out and the server has read them
    }

    private void onMsg(MsgView m) {
      if (m.replyStartsWith(ACK_PREFIX)) {
        received++;
        try {
          conn.put(PUB_SPACE);
          conn.put(m.line(), m.replyOff(), m.replyLen());
          conn.put(ACK_TAIL);
        } catch (IOException e) {
          control.fail(e);
        }
        return;
      }
      int status = m.status();
      if (status == 408 || status == 404) {
        // The pull ended early; what it did not deliver can be asked for again.
        long missing = m.headerLong("Nats-Pending-Messages");
        requested -= Math.max(0, missing);
      } else if (status != 0 || m.hmsg()) {
        fatal = "status " + status + " " + m.body();
      }
    }
  }
}
