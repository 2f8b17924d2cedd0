package nats.transport.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

import nats.api.net.Connection;

/**
 * Plain TCP: reads and writes go straight to the socket channel, without copies.
 *
 * <p>A busy connection may be switched to non-blocking mode ({@link #enterNonBlocking()}): reads and writes
 * still block for their caller (waiting with a selector of their own), and {@link #tryWrite} writes what the
 * socket takes at once, so another connection's thread can write to this socket without ever blocking on it.
 */
public final class PlainConnection implements Connection {

    private final SocketChannel channel;
    /** Bytes already taken from the socket (by the allow_non_tls peek) that the first reads return. */
    private ByteBuffer replay;
    /** Changed only by the reader, while no write is under way (the caller's promise). */
    private volatile boolean nonBlocking;
    /** Created on first need in non-blocking mode; closed with the connection or when leaving the mode. */
    private Selector readSelector;
    private Selector writeSelector;
    private boolean closed;
    /** Reader-owned: the last non-blocking read left room in its buffer, so the socket was empty. */
    private boolean drained;

    public PlainConnection(SocketChannel channel) {
        this.channel = channel;
    }

    /** A plain transport whose first reads return {@code alreadyRead} before reading the socket. */
    public PlainConnection(SocketChannel channel, ByteBuffer alreadyRead) {
        this.channel = channel;
        this.replay = alreadyRead.hasRemaining() ? alreadyRead : null;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (replay != null) {
            return replayInto(dst);
        }
        if (!nonBlocking) {
            return channel.read(dst);
        }
        // A read that did not fill its buffer drained the socket: wait first instead of a read that finds
        // nothing (as Go's netpoller does), saving one system call per wake-up of a request/reply connection.
        if (drained && dst.hasRemaining()) {
            await(true);
        }
        while (true) {
            int n = channel.read(dst);
            if (n != 0 || !dst.hasRemaining()) {
                drained = n > 0 && dst.hasRemaining();
                return n;
            }
            await(true);
        }
    }

    private int replayInto(ByteBuffer dst) {
        int n = Math.min(replay.remaining(), dst.remaining());
        dst.put(dst.position(), replay, replay.position(), n);
        dst.position(dst.position() + n);
        replay.position(replay.position() + n);
        if (!replay.hasRemaining()) {
            replay = null;
        }
        return n;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (channel.write(src) == 0 && nonBlocking) {
                await(false);
            }
        }
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        int first = offset;
        int end = offset + length;
        while (first < end) {
            long n = channel.write(srcs, first, end - first);
            while (first < end && !srcs[first].hasRemaining()) {
                first++;
            }
            if (n == 0 && first < end && nonBlocking) {
                await(false);
            }
        }
    }

    /**
     * In non-blocking mode: writes what the socket takes now, never waiting, and says whether everything
     * was written (the buffers' positions tell what is left). Outside it: returns false, writing nothing.
     */
    public boolean tryWrite(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!nonBlocking) {
            return false;
        }
        int end = offset + length;
        int first = offset;
        while (first < end) {
            long n = channel.write(srcs, first, end - first);
            while (first < end && !srcs[first].hasRemaining()) {
                first++;
            }
            if (n == 0) {
                break;
            }
        }
        return first == end;
    }

    /** Whether the socket is in non-blocking mode. */
    public boolean isNonBlocking() {
        return nonBlocking;
    }

    /**
     * Puts the socket into non-blocking mode. Only the reader calls this, between two reads, and only while no
     * write is under way; a channel in blocking mode waits for both (the JDK locks both sides to switch).
     */
    public void enterNonBlocking() throws IOException {
        if (nonBlocking) {
            return;
        }
        channel.configureBlocking(false);
        nonBlocking = true;
    }

    /** Back to blocking mode (for a virtual reader); same rules as {@link #enterNonBlocking()}. */
    public void leaveNonBlocking() throws IOException {
        if (!nonBlocking) {
            return;
        }
        nonBlocking = false;
        // A channel registered with a selector cannot block: closing the selectors deregisters it.
        closeSelectors();
        channel.configureBlocking(true);
    }

    /** Waits until the socket is readable (or writable); a close wakes the wait. */
    private void await(boolean read) throws IOException {
        Selector selector = selector(read);
        try {
            selector.select();
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            // Closed under the wait: the connection is gone.
            throw new ClosedChannelException();
        }
    }

    private synchronized Selector selector(boolean read) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        Selector s = read ? readSelector : writeSelector;
        if (s == null) {
            s = Selector.open();
            channel.register(s, read ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
            if (read) {
                readSelector = s;
            } else {
                writeSelector = s;
            }
        }
        return s;
    }

    private synchronized void closeSelectors() throws IOException {
        Selector r = readSelector;
        Selector w = writeSelector;
        readSelector = null;
        writeSelector = null;
        if (r != null) {
            r.close();
        }
        if (w != null) {
            w.close();
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already closed or reset: nothing left to release.
        }
        synchronized (this) {
            closed = true;
        }
        try {
            // Wakes a reader or writer waiting in a selector; the next read or write fails as closed.
            closeSelectors();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return SocketAddresses.remote(channel);
    }

    @Override
    public InetSocketAddress localAddress() {
        return SocketAddresses.local(channel);
    }

    /** The underlying channel, for code that must act on the socket itself (a later TLS upgrade). */
    public java.nio.channels.SocketChannel channel() {
        return channel;
    }
}
