package nats.bench.internal;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Concurrent synchronous requesters: each client sends one request, waits for its reply, records
 * the round trip in nanoseconds, and sends the next, like an application calling
 * {@code request()} in a loop. Used by {@code reqrep} and the synchronous JetStream scenarios.
 *
 * <p>Every request carries a unique reply subject {@code _INBOX.<run>.<client>.<seq>} (as real
 * clients' request muxes do), encoded into a reused buffer: nothing is allocated per request.
 * Each reply is checked to arrive on the inbox its request named, and by the scenario's
 * {@link Check}.
 */
final class SyncClients {
  /** Encodes request {@code seq} of {@code client}, whose reply subject is {@code reply}. */
  @FunctionalInterface
  interface Encoder {
    void encode(FrameBuilder out, int client, long seq, FrameBuilder reply);
  }

  /** Checks a reply; returns null if it is good, else what is wrong with it. */
  @FunctionalInterface
  interface Check {
    String check(MsgView reply);
  }

  /**
   * What the clients did.
   *
   * @param done requests that got a reply
   * @param latencies round trips of the first {@code done} requests, all clients together
   * @param elapsedNanos from the first request to the last reply
   * @param bad replies that were wrong (wrong inbox, or failed the check)
   * @param firstBad the first wrong reply's description, or null
   */
  record Outcome(int done, long[] latencies, long elapsedNanos, long bad, String firstBad) {
    /**
     * This outcome followed by {@code next}, a later run of the same clients (whose count of bad
     * replies goes on from this one's).
     */
    Outcome plus(Outcome next) {
      long[] all = java.util.Arrays.copyOf(latencies, done + next.done);
      System.arraycopy(next.latencies, 0, all, done, next.done);
      return new Outcome(done + next.done, all, elapsedNanos + next.elapsedNanos, next.bad,
          firstBad != null ? firstBad : next.firstBad);
    }
  }

  private final Client[] clients;
  private final RunControl control;
  private String inboxPrefix;
  private final AtomicLong bad = new AtomicLong();
  private final AtomicReference<String> firstBad = new AtomicReference<>();

  private SyncClients(int n, RunControl control) {
    this.clients = new Client[n];
    this.control = control;
  }

  /**
   * Connects {@code n} requesters, each subscribed to its inbox.
   *
   * @param captureLimit reply payload bytes the check may look at
   */
  static SyncClients open(NatsAddress address, int n, RunControl control, int captureLimit,
      Check check) throws IOException {
    SyncClients sc = new SyncClients(n, control);
    String run = Subjects.unique("_INBOX");
    sc.inboxPrefix = run;
    try {
      for (int c = 0; c < n; c++) {
        sc.clients[c] = new Client(address, run + "." + c, c, control, captureLimit, check,
            sc.bad, sc.firstBad);
      }
      return sc;
    } catch (IOException | RuntimeException e) {
      sc.close();
      throw e;
    }
  }

  /**
   * @return the prefix of the clients' inboxes: client {@code c} subscribes to
   *     {@code <prefix>.<c>.*} (the cluster scenarios wait for that interest to cross the routes)
   */
  String inboxPrefix() {
    return inboxPrefix;
  }

  /** Runs {@code total} requests spread over the clients and waits for all of them. */
  Outcome run(long total, Encoder encoder) throws InterruptedException {
    int k = clients.length;
    int n = (int) Math.min(total, Integer.MAX_VALUE - 8);
    long[] latencies = new long[n];
    int[] offsets = new int[k + 1];
    for (int c = 0; c < k; c++) {
      offsets[c + 1] = offsets[c] + n / k + (c < n % k ? 1 : 0);
    }
    CountDownLatch go = new CountDownLatch(1);
    int[] done = new int[k];
    Workers workers = new Workers(control);
    for (int c = 0; c < k; c++) {
      Client cl = clients[c];
      int idx = c;
      workers.start("requester-" + c, () -> {
        go.await();
        cl.loop(encoder, latencies, offsets[idx], offsets[idx + 1], done, idx);
      });
    }
    long start = System.nanoTime();
    go.countDown();
    workers.join();
    long elapsed = System.nanoTime() - start;
    // Pack the completed requests of every client to the front for the percentiles.
    int packed = 0;
    for (int c = 0; c < k; c++) {
      System.arraycopy(latencies, offsets[c], latencies, packed, done[c]);
      packed += done[c];
    }
    return new Outcome(packed, latencies, elapsed, bad.get(), firstBad.get());
  }

  /**
   * {@code n} PING/PONG round trips on the first client's connection, measured the way the
   * requests are (blocking reads), in nanoseconds.
   */
  Percentiles roundTrips(int n) throws IOException {
    Connection conn = clients[0].conn;
    long[] rtt = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      conn.ping();
      conn.awaitPongs(0);
      rtt[i] = System.nanoTime() - t0;
    }
    return Percentiles.of(rtt, n);
  }

  void close() {
    for (Client c : clients) {
      if (c != null) {
        c.conn.close();
      }
    }
  }

  /** One requesting connection. */
  private static final class Client {
    private final Connection conn;
    private final int id;
    private final RunControl control;
    private final FrameBuilder inbox;
    private final FrameBuilder expected = new FrameBuilder(64);
    private final FrameBuilder out = new FrameBuilder(256);
    private final Check check;
    private final AtomicLong bad;
    private final AtomicReference<String> firstBad;

    Client(NatsAddress address, String inboxPrefix, int id, RunControl control, int captureLimit,
        Check check, AtomicLong bad, AtomicReference<String> firstBad) throws IOException {
      this.id = id;
      this.control = control;
      this.check = check;
      this.bad = bad;
      this.firstBad = firstBad;
      this.inbox = new FrameBuilder(64).bytes(Protocol.ascii(inboxPrefix + "."));
      this.conn = Connection.open(address, "requester-" + id, 64 * 1024, 64 * 1024, control,
          new FrameParser(this::onReply, captureLimit), 0);
      conn.subscribe(inboxPrefix + ".*", null, 1);
      conn.useBlockingIo();
    }

    void loop(Encoder encoder, long[] latencies, int from, int to, int[] done, int idx)
        throws IOException {
      int k = 0;
      for (int i = from; i < to; i++) {
        long seq = i - from;
        expected.reset().bytes(inbox.array(), 0, inbox.length()).decimal(seq);
        encoder.encode(out.reset(), id, seq, expected);
        long want = conn.parser().msgs() + 1;
        long t0 = System.nanoTime();
        conn.put(out.array(), 0, out.length());
        conn.flush();
        while (conn.parser().msgs() < want) {
          control.check("requester-" + id);
          conn.readOnce();
        }
        latencies[i] = System.nanoTime() - t0;
        done[idx] = ++k;
      }
    }

    private void onReply(MsgView m) {
      String problem = m.subjectIs(expected.array(), expected.length()) ? check.check(m)
          : "reply on " + m.subject() + ", expected on " + new String(expected.array(), 0,
              expected.length(), java.nio.charset.StandardCharsets.US_ASCII);
      if (problem != null) {
        bad.incrementAndGet();
        firstBad.compareAndSet(null, problem);
      }
    }
  }
}
