package nats.bench.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Publishes a fixed number of pre-encoded frames as fast as the server takes them.
 *
 * <p>The frames (one, or a cycle over several subjects) are encoded once into a direct buffer of
 * up to 1 MiB, and every write hands a view of it to the kernel: no per-message work, no copy on
 * the Java side, one system call per up to 1 MiB. Flow control happens at checkpoints every
 * {@code flowInterval} messages: a PING is sent and at most {@code maxPings} PINGs may be
 * unanswered, which bounds what the server has read but not yet processed; optionally the
 * publisher also waits until the slowest consumer is within {@code window} messages, so
 * subscribers are not disconnected as slow consumers.
 */
final class Publisher {
  // Upper bound of the pre-encoded batch: large writes, still small next to the server's memory.
  private static final int MAX_BATCH_BYTES = 1 << 20;

  private final Connection conn;
  private final ByteBuffer view;
  // ends[k] = bytes of the first k frames of the batch
  private final int[] ends;
  private final int framesPerBatch;
  private final int flowInterval;
  private final int maxPings;
  private final LongSupplier consumed;
  private final long window;
  private final RunControl control;
  private volatile long sent;

  /**
   * @param cycle frames to send in turn (usually one)
   * @param consumed messages consumed so far by the slowest consumer, or {@code null} for none
   * @param window how many messages the publisher may run ahead of {@code consumed}
   */
  Publisher(Connection conn, byte[][] cycle, int flowInterval, int maxPings,
      LongSupplier consumed, long window, RunControl control) {
    this.conn = conn;
    this.framesPerBatch = batchFrames(cycle, flowInterval);
    this.ends = new int[framesPerBatch + 1];
    for (int i = 0; i < framesPerBatch; i++) {
      ends[i + 1] = ends[i] + cycle[i % cycle.length].length;
    }
    ByteBuffer batch = ByteBuffer.allocateDirect(ends[framesPerBatch]);
    for (int i = 0; i < framesPerBatch; i++) {
      batch.put(cycle[i % cycle.length]);
    }
    this.view = batch.clear();
    this.flowInterval = flowInterval;
    this.maxPings = maxPings;
    this.consumed = consumed;
    this.window = window;
    this.control = control;
  }

  Publisher(Connection conn, byte[] frame, int flowInterval, int maxPings, LongSupplier consumed,
      long window, RunControl control) {
    this(conn, new byte[][] {frame}, flowInterval, maxPings, consumed, window, control);
  }

  /** Frames per batch: a whole checkpoint interval if it fits, whole cycles where possible. */
  static int batchFrames(byte[][] cycle, int flowInterval) {
    int cycleBytes = 0;
    for (byte[] f : cycle) {
      cycleBytes += f.length;
    }
    int fit = Math.max(1, (int) ((long) MAX_BATCH_BYTES * cycle.length / Math.max(1, cycleBytes)));
    int n = Math.min(flowInterval, fit);
    if (n >= cycle.length) {
      n -= n % cycle.length;
    }
    return Math.max(1, n);
  }

  /**
   * Sends {@code count} messages, then waits for the final PONG so the server has processed all.
   *
   * @return {@link System#nanoTime()} when the final PONG arrived
   */
  long publish(long count) throws IOException {
    long done = 0;
    long checkpoint = Math.min(count, flowInterval);
    while (done < count) {
      int k = (int) Math.min(framesPerBatch, checkpoint - done);
      view.limit(ends[k]).position(0);
      conn.write(view);
      done += k;
      if (done == checkpoint) {
        sent = done;
        conn.ping();
        conn.awaitPongs(maxPings);
        awaitConsumers(done);
        control.check("publisher");
        checkpoint = Math.min(count, checkpoint + flowInterval);
      }
    }
    sent = done;
    conn.ping();
    conn.awaitPongs(0);
    return System.nanoTime();
  }

  private void awaitConsumers(long published) throws IOException {
    if (consumed == null) {
      return;
    }
    while (published - consumed.getAsLong() > window) {
      control.check("publisher waiting for subscribers");
      // Sleep briefly rather than spin: on a small machine the server needs the CPU.
      LockSupport.parkNanos(100_000);
    }
  }

  /** @return messages handed to the socket so far (updated at checkpoints) */
  long sent() {
    return sent;
  }
}
