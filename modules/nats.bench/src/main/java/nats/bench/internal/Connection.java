package nats.bench.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One raw client connection: a non-blocking {@link SocketChannel} with its own selector, a large
 * direct read buffer feeding a {@link FrameParser}, and a direct write buffer that batches frames.
 *
 * <p>Non-blocking mode plus a selector lets every read and write wait with a short timeout, so
 * the owning loop can notice the run's deadline or a peer's failure. Server {@code PING}s are
 * answered as soon as they are parsed. Used by one thread at a time.
 */
final class Connection implements AutoCloseable {
  private static final long POLL_MILLIS = 100;

  private final String name;
  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final ByteBuffer in;
  private final ByteBuffer out;
  private final FrameParser parser;
  private final RunControl control;
  private long pingsSent;
  private long pingsAnswered;

  private Connection(String name, SocketChannel channel, Selector selector, int inSize,
      int outSize, FrameParser parser, RunControl control) throws IOException {
    this.name = name;
    this.channel = channel;
    this.selector = selector;
    this.key = channel.register(selector, 0);
    this.in = ByteBuffer.allocateDirect(inSize);
    this.out = ByteBuffer.allocateDirect(outSize);
    this.parser = parser;
    this.control = control;
  }

  /**
   * Connects, waits for {@code INFO}, sends {@code CONNECT} and completes a PING/PONG round trip.
   *
   * @param listener called for each message received, or {@code null} to only count
   */
  static Connection open(NatsAddress address, String name, int inSize, int outSize,
      RunControl control, FrameParser.MsgListener listener) throws IOException {
    SocketChannel ch = SocketChannel.open();
    Selector sel = null;
    Connection c = null;
    try {
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.configureBlocking(false);
      sel = Selector.open();
      c = new Connection(name, ch, sel, inSize, outSize, new FrameParser(listener), control);
      c.connect(address);
      c.handshake();
      return c;
    } catch (IOException | RuntimeException e) {
      if (c != null) {
        c.close();
      } else {
        closeQuietly(sel);
        closeQuietly(ch);
      }
      throw e;
    }
  }

  private void connect(NatsAddress address) throws IOException {
    if (channel.connect(address.socketAddress())) {
      return;
    }
    key.interestOps(SelectionKey.OP_CONNECT);
    while (!channel.finishConnect()) {
      control.check(name + " connect");
      selector.select(Math.min(POLL_MILLIS, control.remainingMillis()));
      selector.selectedKeys().clear();
    }
  }

  private void handshake() throws IOException {
    while (parser.infos() == 0) {
      control.check(name + " waiting for INFO");
      readOnce();
      if (parser.msgs() > 0 || parser.pongs() > 0) {
        throw new IOException(name + ": server did not start with INFO");
      }
    }
    put(Protocol.CONNECT);
    ping();
    awaitPongs(0);
  }

  /** @return the parser holding this connection's receive counters */
  FrameParser parser() {
    return parser;
  }

  /** Appends bytes to the write buffer, flushing whenever it fills. */
  void put(byte[] bytes) throws IOException {
    put(bytes, 0, bytes.length);
  }

  /** Appends a byte range to the write buffer, flushing whenever it fills. */
  void put(byte[] bytes, int off, int len) throws IOException {
    while (len > 0) {
      if (!out.hasRemaining()) {
        flush();
      }
      int n = Math.min(len, out.remaining());
      out.put(bytes, off, n);
      off += n;
      len -= n;
    }
  }

  /** Appends a PING; its PONG is awaited by {@link #awaitPongs(long)}. */
  void ping() throws IOException {
    put(Protocol.PING);
    pingsSent++;
  }

  /** Flushes, then reads until at most {@code maxOutstanding} PINGs lack their PONG. */
  void awaitPongs(long maxOutstanding) throws IOException {
    flush();
    while (pingsSent - parser.pongs() > maxOutstanding) {
      control.check(name + " waiting for PONG");
      readOnce();
    }
  }

  /** Writes the whole write buffer to the socket. */
  void flush() throws IOException {
    out.flip();
    try {
      while (out.hasRemaining()) {
        if (channel.write(out) == 0) {
          // The socket buffer is full: wait for room, but keep checking the stop conditions.
          control.check(name + " write");
          key.interestOps(SelectionKey.OP_WRITE);
          selector.select(Math.min(POLL_MILLIS, control.remainingMillis()));
          selector.selectedKeys().clear();
        }
      }
    } finally {
      out.compact();
    }
  }

  /**
   * Reads whatever is available, waiting up to a short poll interval, and parses it.
   *
   * @return bytes read (0 on a poll timeout)
   * @throws EOFException if the server closed the connection
   */
  int readOnce() throws IOException {
    in.clear();
    int n = channel.read(in);
    if (n == 0) {
      // Nothing buffered: sleep in the selector rather than spin.
      key.interestOps(SelectionKey.OP_READ);
      selector.select(Math.min(POLL_MILLIS, control.remainingMillis()));
      selector.selectedKeys().clear();
      n = channel.read(in);
    }
    if (n < 0) {
      String err = parser.lastError();
      throw new EOFException(name + ": connection closed by server"
          + (err == null ? "" : " (last error: " + err + ")"));
    }
    if (n > 0) {
      in.flip();
      parser.feed(in);
      if (parser.errors() > 0) {
        throw new IOException(name + ": server error: " + parser.lastError());
      }
      answerPings();
    }
    return n;
  }

  private void answerPings() throws IOException {
    if (parser.pings() == pingsAnswered) {
      return;
    }
    while (pingsAnswered < parser.pings()) {
      put(Protocol.PONG);
      pingsAnswered++;
    }
    flush();
  }

  @Override
  public void close() {
    closeQuietly(selector);
    closeQuietly(channel);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // Closing after a failed run: nothing useful to do with a second error.
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
