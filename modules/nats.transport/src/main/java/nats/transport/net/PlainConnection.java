package nats.transport.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import nats.api.net.Connection;

/** Plain TCP: reads and writes go straight to the socket channel, without copies. */
public final class PlainConnection implements Connection {

    private final SocketChannel channel;
    /** Bytes already taken from the socket (by the allow_non_tls peek) that the first reads return. */
    private ByteBuffer replay;

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
        return channel.read(dst);
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
            channel.write(src);
        }
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        int first = offset;
        int end = offset + length;
        while (first < end) {
            channel.write(srcs, first, end - first);
            while (first < end && !srcs[first].hasRemaining()) {
                first++;
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already closed or reset: nothing left to release.
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
