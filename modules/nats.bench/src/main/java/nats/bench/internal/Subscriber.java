package nats.bench.internal;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * A counting subscriber: reads with a large direct buffer and counts {@code MSG} frames without
 * looking at payloads.
 *
 * <p>It ends when its done-condition holds, then makes one more PING/PONG round trip: the server
 * writes the PONG after everything it had already queued for this connection, so counting up to
 * the PONG catches late duplicates and makes "exactly N" a real check.
 */
final class Subscriber implements AutoCloseable {
  private final String name;
  private final Connection conn;
  private final RunControl control;
  private volatile long received;
  private volatile long lastReceiveNanos;

  private Subscriber(String name, Connection conn, RunControl control) {
    this.name = name;
    this.conn = conn;
    this.control = control;
  }

  /** Connects and subscribes; returns once the server has confirmed the SUB with a PONG. */
  static Subscriber open(NatsAddress address, String name, String subject, String queue,
      RunControl control) throws IOException {
    Connection c = Connection.open(address, name, 1 << 20, 4096, control, null);
    try {
      c.put(Protocol.sub(subject, queue, 1));
      c.ping();
      c.awaitPongs(0);
      return new Subscriber(name, c, control);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** Counts messages until {@code done} holds, then drains with a PING round trip. */
  void run(BooleanSupplier done) throws IOException {
    FrameParser p = conn.parser();
    while (!done.getAsBoolean()) {
      control.check(name);
      if (conn.readOnce() > 0) {
        long m = p.msgs();
        if (m != received) {
          lastReceiveNanos = System.nanoTime();
          received = m;
        }
      }
    }
    conn.ping();
    conn.awaitPongs(0);
    received = p.msgs();
  }

  /** @return messages received so far */
  long received() {
    return received;
  }

  /** @return {@link System#nanoTime()} of the last read that brought messages, 0 if none */
  long lastReceiveNanos() {
    return lastReceiveNanos;
  }

  String name() {
    return name;
  }

  @Override
  public void close() {
    conn.close();
  }
}
