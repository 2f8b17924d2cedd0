package nats.bench.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;

/**
 * Drives several {@link AckedPublisher}s from one thread: a selector reports which connections
 * have acks to read, and each publisher then refills its window. With 16 publishers this costs
 * one wake-up per burst of acks instead of one per publisher thread.
 */
final class AckedPublisherLoop {
  private AckedPublisherLoop() {}

  /**
   * Publishes {@code counts[i]} messages on publisher {@code i} and waits for every reply.
   *
   * @return {@link System#nanoTime()} when the last reply arrived
   */
  static long run(List<AckedPublisher> pubs, long[] counts, RunControl control)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
    try (Selector sel = Selector.open()) {
      int open = 0;
      for (int i = 0; i < pubs.size(); i++) {
        AckedPublisher p = pubs.get(i);
        p.start(counts[i]);
        p.connection().channel().register(sel, SelectionKey.OP_READ, p);
        p.fill();
        open += p.done() ? 0 : 1;
      }
      while (open > 0) {
        control.check("js publishers waiting for acks");
        sel.select(100);
        for (SelectionKey key : sel.selectedKeys()) {
          AckedPublisher p = (AckedPublisher) key.attachment();
          boolean wasDone = p.done();
          p.connection().readNow(buf);
          if (!p.done()) {
            p.fill();
          } else if (!wasDone) {
            open--;
          }
        }
        sel.selectedKeys().clear();
      }
    }
    return System.nanoTime();
  }
}
