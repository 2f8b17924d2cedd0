package nats.websocket.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

import nats.api.net.Connection;

/** A connection whose reads return prepared chunks (then the end) and whose writes are collected. */
final class FakeConnection implements Connection {

    private final Deque<byte[]> chunks = new ArrayDeque<>();
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    boolean closed;

    FakeConnection chunk(byte[] bytes) {
        chunks.add(bytes);
        return this;
    }

    /** Queues {@code bytes} cut into pieces of the given sizes, cycling through them. */
    FakeConnection chunked(byte[] bytes, int... sizes) {
        int at = 0;
        int i = 0;
        while (at < bytes.length) {
            int n = Math.min(sizes[i++ % sizes.length], bytes.length - at);
            byte[] piece = new byte[n];
            System.arraycopy(bytes, at, piece, 0, n);
            chunks.add(piece);
            at += n;
        }
        return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        byte[] next = chunks.peek();
        if (next == null) {
            return -1;
        }
        int n = Math.min(next.length, dst.remaining());
        dst.put(next, 0, n);
        chunks.poll();
        if (n < next.length) {
            byte[] rest = new byte[next.length - n];
            System.arraycopy(next, n, rest, 0, rest.length);
            chunks.push(rest);
        }
        return n;
    }

    @Override
    public void write(ByteBuffer src) {
        byte[] b = new byte[src.remaining()];
        src.get(b);
        written.writeBytes(b);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 1234);
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 4321);
    }
}
