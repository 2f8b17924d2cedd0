package nats.bench.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/**
 * A JetStream publisher that keeps a bounded window of publishes awaiting their acks, like a
 * client's async publish: every {@code PUB} names one reply inbox, each reply ({@code PubAck} JSON,
 * an error, or a 503 status) is counted, and no more than {@code window} may be outstanding.
 *
 * <p>The frames (one subject, or a cycle over several, e.g. KV keys) are pre-encoded in a direct
 * buffer of whole cycles and written from it with wrap-around, so the cycle order is kept across
 * writes of any length.
 */
final class AckedPublisher implements AutoCloseable {
  private static final int MAX_BATCH_BYTES = 1 << 20;
  private static final byte[] ERROR = Protocol.ascii("\"error\"");

  private final Connection conn;
  private final RunControl control;
  private final ByteBuffer view;
  private final int[] ends;
  private final int framesPerBatch;
  private final int window;
  private long sent;
  private long sentAtStart;
  private long repliesAtStart;
  private long target;
  private long acks;
  private long errors;
  private long noResponders;
  private String firstError;

  private AckedPublisher(NatsAddress address, String name, RunControl control,
      IntFunction<String> subjects, int cycle, byte[] payload, int window) throws IOException {
    this.control = control;
    this.window = window;
    String inbox = Subjects.unique("_INBOX") + ".ack";
    byte[][] frames = new byte[cycle][];
    int cycleBytes = 0;
    for (int i = 0; i < cycle; i++) {
      frames[i] = Protocol.pub(subjects.apply(i), inbox, payload);
      cycleBytes += frames[i].length;
    }
    this.framesPerBatch = cycle * Math.max(1, MAX_BATCH_BYTES / Math.max(1, cycleBytes));
    this.ends = new int[framesPerBatch + 1];
    for (int i = 0; i < framesPerBatch; i++) {
      ends[i + 1] = ends[i] + frames[i % cycle].length;
    }
    ByteBuffer batch = ByteBuffer.allocateDirect(ends[framesPerBatch]);
    for (int i = 0; i < framesPerBatch; i++) {
      batch.put(frames[i % cycle]);
    }
    this.view = batch.clear();
    this.conn = Connection.open(address, name, 256 * 1024, 4 * 1024, control,
        new FrameParser(this::onReply, 512), 0);
    try {
      conn.subscribe(inbox, null, 1);
    } catch (IOException e) {
      conn.close();
      throw e;
    }
  }

  /**
   * Connects a publisher.
   *
   * @param subjects the subject of cycle position {@code i}
   * @param cycle how many subjects to cycle through
   * @param window publishes that may await their ack
   */
  static AckedPublisher open(NatsAddress address, String name, RunControl control,
      IntFunction<String> subjects, int cycle, byte[] payload, int window) throws IOException {
    return new AckedPublisher(address, name, control, subjects, cycle, payload, window);
  }

  /**
   * Publishes {@code count} messages and waits for every reply.
   *
   * @return {@link System#nanoTime()} when the last reply arrived
   */
  long publish(long count) throws IOException {
    start(count);
    while (!done()) {
      control.check(conn + " waiting for acks");
      if (!fill()) {
        conn.readOnce();
      }
    }
    return System.nanoTime();
  }

  /** Starts a run of {@code count} publishes, driven by {@link #fill} and reads. */
  void start(long count) {
    repliesAtStart = conn.parser().msgs();
    sentAtStart = sent;
    target = count;
  }

  /**
   * Writes as many of the run's publishes as the window allows.
   *
   * @return true if something was written
   */
  boolean fill() throws IOException {
    long outstanding = (sent - sentAtStart) - (conn.parser().msgs() - repliesAtStart);
    long k = Math.min(window - outstanding, target - (sent - sentAtStart));
    if (k <= 0) {
      return false;
    }
    write((int) Math.min(k, framesPerBatch));
    return true;
  }

  /** @return true when every publish of the run has its reply */
  boolean done() {
    return conn.parser().msgs() - repliesAtStart >= target;
  }

  /** @return the connection, for a loop that reads several publishers with one selector */
  Connection connection() {
    return conn;
  }

  private void write(int k) throws IOException {
    int pos = (int) (sent % framesPerBatch);
    int first = Math.min(k, framesPerBatch - pos);
    view.limit(ends[pos + first]).position(ends[pos]);
    conn.write(view);
    if (k > first) {
      view.limit(ends[k - first]).position(0);
      conn.write(view);
    }
    sent += k;
  }

  private void onReply(MsgView m) {
    if (m.status() == 503) {
      noResponders++;
    } else if (m.status() != 0 || m.bodyContains(ERROR)) {
      errors++;
      if (firstError == null) {
        firstError = m.status() != 0 ? "status " + m.status() : m.body();
      }
    } else {
      acks++;
    }
  }

  long acks() {
    return acks;
  }

  long errors() {
    return errors;
  }

  long noResponders() {
    return noResponders;
  }

  String firstError() {
    return firstError;
  }

  long sent() {
    return sent;
  }

  @Override
  public void close() {
    conn.close();
  }
}
