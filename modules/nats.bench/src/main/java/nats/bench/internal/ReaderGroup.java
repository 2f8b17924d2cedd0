package nats.bench.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * Counting subscribers read by a few threads, each polling its share of the connections with one
 * selector, the way an event loop would: with 64 or 256 subscribers on a 2-core machine, one
 * thread per subscriber would spend the generator's CPU on wake-ups and context switches.
 *
 * <p>Each thread reads a ready connection into its own 1 MiB direct buffer and lets the
 * connection's parser count the frames. When asked to {@link #drain()} (after the publisher's
 * final PONG, when the server has routed every message), every subscriber sends a PING and
 * reads until its PONG: the server writes that PONG after everything already queued for the
 * connection, so the counts are then final and "exactly N" is a real check.
 */
final class ReaderGroup {
  private static final long POLL_MILLIS = 100;

  /** One subscriber connection and what has been counted on it. */
  static final class Sub {
    final Connection conn;
    volatile long received;
    volatile long lastReceiveNanos;

    Sub(Connection conn) {
      this.conn = conn;
    }
  }

  private final List<Sub> subs = new ArrayList<>();
  private final List<Selector> selectors = new ArrayList<>();
  private final RunControl control;
  private volatile boolean drain;

  ReaderGroup(RunControl control) {
    this.control = control;
  }

  /** Adds a subscriber connection (before {@link #start}). */
  Sub add(Connection conn) {
    Sub s = new Sub(conn);
    subs.add(s);
    return s;
  }

  List<Sub> subs() {
    return subs;
  }

  /** Starts {@code threads} reading threads (at most one per subscriber). */
  void start(Workers workers, int threads) throws IOException {
    int t = Math.max(1, Math.min(threads, subs.size()));
    List<List<Sub>> shares = new ArrayList<>();
    for (int i = 0; i < t; i++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < subs.size(); i++) {
      shares.get(i % t).add(subs.get(i));
    }
    for (int i = 0; i < t; i++) {
      Selector sel = Selector.open();
      selectors.add(sel);
      for (Sub s : shares.get(i)) {
        s.conn.channel().register(sel, SelectionKey.OP_READ, s);
      }
      List<Sub> share = shares.get(i);
      workers.start("readers-" + i, () -> {
        try {
          loop(sel, share);
        } finally {
          sel.close();
        }
      });
    }
  }

  /** Asks every subscriber to finish with a PING round trip. */
  void drain() {
    drain = true;
    selectors.forEach(Selector::wakeup);
  }

  private void loop(Selector sel, List<Sub> share) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    boolean draining = false;
    while (true) {
      control.check("subscribers");
      if (!draining && drain) {
        for (Sub s : share) {
          s.conn.ping();
          s.conn.flush();
        }
        draining = true;
      }
      if (draining && allPonged(share)) {
        for (Sub s : share) {
          s.received = s.conn.parser().msgs();
        }
        return;
      }
      sel.select(POLL_MILLIS);
      for (SelectionKey key : sel.selectedKeys()) {
        Sub s = (Sub) key.attachment();
        if (s.conn.readNow(buf) > 0) {
          long m = s.conn.parser().msgs();
          if (m != s.received) {
            s.lastReceiveNanos = System.nanoTime();
            s.received = m;
          }
        }
      }
      sel.selectedKeys().clear();
    }
  }

  private static boolean allPonged(List<Sub> share) {
    for (Sub s : share) {
      if (!s.conn.pongsComplete()) {
        return false;
      }
    }
    return true;
  }

  long total() {
    long t = 0;
    for (Sub s : subs) {
      t += s.received;
    }
    return t;
  }

  long slowest() {
    long m = Long.MAX_VALUE;
    for (Sub s : subs) {
      m = Math.min(m, s.received);
    }
    return m;
  }

  /** @return {@link System#nanoTime()} of the last read that brought messages, 0 if none */
  long lastReceiveNanos() {
    long t = 0;
    for (Sub s : subs) {
      t = Math.max(t, s.lastReceiveNanos);
    }
    return t;
  }

  void close() {
    subs.forEach(s -> s.conn.close());
  }
}
