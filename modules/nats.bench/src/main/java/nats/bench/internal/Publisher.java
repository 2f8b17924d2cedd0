package nats.bench.internal;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Publishes a fixed number of identical frames as fast as the server takes them.
 *
 * <p>Frames are copied in bulk from a pre-built batch of many frames into the connection's write
 * buffer. Flow control happens at checkpoints every {@code flowInterval} messages: a PING is sent
 * and at most {@code maxPings} PINGs may be unanswered, which bounds what the server has read but
 * not yet processed; optionally the publisher also waits until the slowest consumer is within
 * {@code window} messages, so subscribers are not disconnected as slow consumers.
 */
final class Publisher {
  // Size of the pre-built batch: large enough for few copies, small enough to stay in cache.
  private static final int BATCH_BYTES = 64 * 1024;

  private final Connection conn;
  private final byte[] batch;
  private final int frameLen;
  private final int framesPerBatch;
  private final int flowInterval;
  private final int maxPings;
  private final LongSupplier consumed;
  private final long window;
  private final RunControl control;
  private volatile long sent;

  /**
   * @param consumed messages consumed so far by the slowest consumer, or {@code null} for none
   * @param window how many messages the publisher may run ahead of {@code consumed}
   */
  Publisher(Connection conn, byte[] frame, int flowInterval, int maxPings, LongSupplier consumed,
      long window, RunControl control) {
    this.conn = conn;
    this.frameLen = frame.length;
    this.framesPerBatch = Math.max(1, Math.min(flowInterval, BATCH_BYTES / frame.length));
    this.batch = new byte[framesPerBatch * frame.length];
    for (int i = 0; i < framesPerBatch; i++) {
      System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
    }
    this.flowInterval = flowInterval;
    this.maxPings = maxPings;
    this.consumed = consumed;
    this.window = window;
    this.control = control;
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
      conn.put(batch, 0, k * frameLen);
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
