package nats.bench.internal;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The {@code churn} scenario: subscription changes under publish load.
 *
 * <p>One publisher cycles over 100 subjects ({@code c.<id>.p00} .. {@code p99}) that one wildcard
 * subscriber ({@code c.<id>.*}) receives, so the server's match caches hold many entries; at the
 * same time another connection subscribes and unsubscribes literal subjects nobody publishes to
 * ({@code c.<id>.z000} ..), pipelined in batches of 100 pairs with a PING after each batch and at
 * most two batches unanswered, for as long as the publisher runs. A server that throws away
 * unrelated cached matches on every change pays for it on the publish path. Reported: the
 * subscriber's msgs/s (as pubsub) and SUB+UNSUB pairs per second.
 *
 * <p>The churner is paced by the publisher: one pair per {@link #MSGS_PER_PAIR} published messages
 * at most, so every server does the same subscription work for the same messages and the server
 * CPU per message of two servers can be compared. (Unpaced, a server that answers the churner's
 * PINGs faster was given more pairs to process: up to 4 times Go's, all counted per message.)
 * A server too slow for that rate processes fewer pairs, and the pair rate shows it.
 */
final class ChurnBench {
  private static final int SUBJECTS = 100;
  private static final int PAIRS_PER_BATCH = 100;
  /** Pace of the churner: about 100,000 pairs for the default 2 M messages. */
  static final int MSGS_PER_PAIR = 20;

  private ChurnBench() {}

  static Result run(BenchConfig cfg) throws Exception {
    RunControl control = new RunControl(cfg.durationLimitSeconds());
    String base = Subjects.unique("c");
    byte[] payload = Protocol.payload(cfg.size());
    byte[][] frames = new byte[SUBJECTS][];
    for (int i = 0; i < SUBJECTS; i++) {
      frames[i] = Protocol.pub(String.format(Locale.ROOT, "%s.p%02d", base, i), null, payload);
    }
    ReaderGroup group = new ReaderGroup(control);
    Connection pubConn = null;
    Connection churnConn = null;
    try {
      Connection sub = Connection.open(cfg.address(), "sub", 64 * 1024, 4 * 1024, control);
      group.add(sub);
      sub.subscribe(base + ".*", null, 1);
      sub.parser().expectMsg(base + ".p??", 1, cfg.size());
      churnConn = Connection.open(cfg.address(), "churn", 64 * 1024, 4 * 1024, control);
      pubConn = Connection.open(cfg.address(), "pub", 64 * 1024, 4 * 1024, control);
      String probe = base + ".p00";
      Publisher pub = new Publisher(pubConn, frames, cfg.flowIntervalWithSubscribers(probe),
          cfg.maxPings(), group::slowest, cfg.windowMsgs(probe), control);
      Churner churner = new Churner(churnConn, base, pub::sent, control);
      Workers workers = new Workers(control);
      group.start(workers, 1);
      workers.start("churn", churner::run);
      CpuMeter cpu = CpuMeter.start(cfg.pid());
      long start = System.nanoTime();
      try {
        pub.publish(cfg.msgs());
        churner.stop();
        group.drain();
      } catch (Exception e) {
        control.fail(e);
      }
      workers.join();
      long end = Math.max(start, group.lastReceiveNanos());
      long delivered = group.total();
      String note = control.reason();
      if (note == null && delivered != cfg.msgs()) {
        note = "subscriber received " + delivered + " of " + cfg.msgs();
      }
      Map<String, Number> m = new LinkedHashMap<>();
      m.put("msgs", pub.sent());
      m.put("delivered", delivered);
      long elapsed = (note == null ? end : System.nanoTime()) - start;
      Rates.put(m, delivered, cfg.size(), elapsed);
      long pairs = churner.pairs();
      m.put("churn_pairs", pairs);
      m.put("churn_per_sec", pairs / (Math.max(1, churner.elapsedNanos()) / 1e9));
      cpu.finish(m, pub.sent(), 0);
      return new Result("churn", cfg.size(), note == null, note, m);
    } finally {
      if (pubConn != null) {
        pubConn.close();
      }
      if (churnConn != null) {
        churnConn.close();
      }
      group.close();
    }
  }

  /** Subscribes and unsubscribes in pipelined batches, paced by the publisher, until told to stop. */
  private static final class Churner {
    private final Connection conn;
    private final LongSupplier published;
    private final ByteBuffer batch;
    private final RunControl control;
    private volatile boolean stop;
    private volatile long pairs;
    private volatile long elapsedNanos;

    Churner(Connection conn, String base, LongSupplier published, RunControl control) {
      this.conn = conn;
      this.published = published;
      this.control = control;
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < PAIRS_PER_BATCH; i++) {
        int sid = 2 + i;
        sb.append(String.format(Locale.ROOT, "SUB %s.z%03d %d\r\nUNSUB %d\r\n", base, i, sid,
            sid));
      }
      sb.append("PING\r\n");
      byte[] bytes = Protocol.ascii(sb.toString());
      this.batch = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    void run() throws Exception {
      long start = System.nanoTime();
      long batches = 0;
      while (!stop) {
        control.check("churn");
        // One batch ahead of the publisher's progress (which moves at its PING checkpoints).
        if (batches * PAIRS_PER_BATCH > published.getAsLong() / MSGS_PER_PAIR) {
          LockSupport.parkNanos(50_000);
          continue;
        }
        batch.clear();
        conn.write(batch);
        conn.countPing();
        batches++;
        conn.awaitPongs(1);
        pairs = (batches - 1) * PAIRS_PER_BATCH; // the last batch is not yet confirmed
      }
      conn.awaitPongs(0);
      pairs = batches * PAIRS_PER_BATCH;
      elapsedNanos = System.nanoTime() - start;
    }

    void stop() {
      stop = true;
    }

    long pairs() {
      return pairs;
    }

    long elapsedNanos() {
      return elapsedNanos;
    }
  }
}
