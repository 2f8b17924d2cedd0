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
  private boolean blocking;

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
   * The connection only counts what it receives.
   */
  static Connection open(NatsAddress address, String name, int inSize, int outSize,
      RunControl control) throws IOException {
    return open(address, name, inSize, outSize, control, new FrameParser(), 0);
  }

  /** As {@link #open(NatsAddress, String, int, int, RunControl)}, authenticated as {@code user}. */
  static Connection openAs(NatsAddress address, String name, int inSize, int outSize,
      RunControl control, String user) throws IOException {
    return open(address, name, inSize, outSize, control, new FrameParser(), 0, Protocol.connectAs(user));
  }

  /**
   * Connects, waits for {@code INFO}, sends {@code CONNECT} and completes a PING/PONG round trip.
   *
   * @param parser parses what arrives (with a listener and payload capture if wanted)
   * @param receiveBuffer socket receive buffer size to ask for before connecting, 0 for the
   *     system's (a small one keeps a stalled subscriber's data in the server, not the kernel)
   */
  static Connection open(NatsAddress address, String name, int inSize, int outSize,
      RunControl control, FrameParser parser, int receiveBuffer) throws IOException {
    return open(address, name, inSize, outSize, control, parser, receiveBuffer, Protocol.CONNECT);
  }

  private static Connection open(NatsAddress address, String name, int inSize, int outSize,
      RunControl control, FrameParser parser, int receiveBuffer, byte[] connect) throws IOException {
    SocketChannel ch = SocketChannel.open();
    Selector sel = null;
    Connection c = null;
    try {
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (receiveBuffer > 0) {
        ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
      }
      ch.configureBlocking(false);
      sel = Selector.open();
      c = new Connection(name, ch, sel, inSize, outSize, parser, control);
      c.connect(address);
      c.handshake(connect);
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

  private void handshake(byte[] connect) throws IOException {
    while (parser.infos() == 0) {
      control.check(name + " waiting for INFO");
      readOnce();
      if (parser.msgs() > 0 || parser.pongs() > 0) {
        throw new IOException(name + ": server did not start with INFO");
      }
    }
    put(connect);
    ping();
    awaitPongs(0);
  }

  /** @return the parser holding this connection's receive counters */
  FrameParser parser() {
    return parser;
  }

  /** @return the channel, for registering with a shared selector ({@link ReaderGroup}) */
  SocketChannel channel() {
    return channel;
  }

  /** Subscribes and returns once the server has confirmed the SUB with a PONG. */
  void subscribe(String subject, String queue, int sid) throws IOException {
    put(Protocol.sub(subject, queue, sid));
    ping();
    awaitPongs(0);
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

  /**
   * Switches to blocking reads and writes, for latency-bound clients (requesters, responders):
   * a blocking read is one system call per message where a selector needs three (a read that
   * finds nothing, the wait, the read). The run's control closes the connection when the run
   * stops or its deadline passes, which ends a read that would otherwise block for ever.
   */
  void useBlockingIo() throws IOException {
    key.cancel();
    selector.selectNow(); // completes the cancellation, so the channel may block
    channel.configureBlocking(true);
    blocking = true;
    control.closeOnStop(this);
  }

  /** Counts a PING that the caller wrote itself as part of a pre-encoded batch. */
  void countPing() {
    pingsSent++;
  }

  /** @return true when every PING sent has its PONG */
  boolean pongsComplete() {
    return parser.pongs() >= pingsSent;
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
      writeFully(out);
    } finally {
      out.compact();
    }
  }

  /**
   * Writes pre-encoded bytes straight from {@code src} (after what {@link #put} buffered), with
   * no copy on the Java side: publishers keep their frames in a direct buffer and hand views of
   * it to the kernel in large writes.
   */
  void write(ByteBuffer src) throws IOException {
    if (out.position() > 0) {
      flush();
    }
    writeFully(src);
  }

  private void writeFully(ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      if (channel.write(src) == 0) {
        // The socket buffer is full: wait for room, but keep checking the stop conditions.
        control.check(name + " write");
        key.interestOps(SelectionKey.OP_WRITE);
        selector.select(Math.min(POLL_MILLIS, control.remainingMillis()));
        selector.selectedKeys().clear();
      }
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
    if (n == 0 && !blocking) {
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
      consume(in);
    }
    return n;
  }

  /**
   * Reads what is available without waiting into a buffer shared by the connections of one
   * reading thread, and parses it.
   *
   * @return bytes read, 0 if none were available
   * @throws EOFException if the server closed the connection
   */
  int readNow(ByteBuffer shared) throws IOException {
    shared.clear();
    int n = channel.read(shared);
    if (n < 0) {
      String err = parser.lastError();
      throw new EOFException(name + ": connection closed by server"
          + (err == null ? "" : " (last error: " + err + ")"));
    }
    if (n > 0) {
      shared.flip();
      consume(shared);
    }
    return n;
  }

  private void consume(ByteBuffer data) throws IOException {
    parser.feed(data);
    if (parser.errors() > 0) {
      throw new IOException(name + ": server error: " + parser.lastError());
    }
    answerPings();
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
    if (blocking) {
      control.forget(this);
    }
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
