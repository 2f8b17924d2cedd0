package nats.server.internal.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Plain TCP: reads and writes go straight to the socket channel, without copies. */
public final class PlainTransport implements Transport {

    private final SocketChannel channel;
    /** Bytes already taken from the socket (by the allow_non_tls peek) that the first reads return. */
    private ByteBuffer replay;

    public PlainTransport(SocketChannel channel) {
        this.channel = channel;
    }

    /** A plain transport whose first reads return {@code alreadyRead} before reading the socket. */
    public PlainTransport(SocketChannel channel, ByteBuffer alreadyRead) {
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
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already closed or reset: nothing left to release.
        }
    }
}
