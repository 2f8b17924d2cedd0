package nats.leafnode.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import nats.api.net.Connection;

/**
 * The client side of RFC 6455 for a leaf remote with a {@code ws://} or {@code wss://} URL, after the upgrade
 * ({@link WebSocketUpgrade}): the leaf protocol in binary frames, masked as section 5.3 wants of a client unless the
 * server accepted Go's no-masking, compressed (permessage-deflate, no context takeover) when it was negotiated. Server frames may be split (continuations), compressed (RSV1 on the first frame),
 * interleaved with pings (answered with a pong) and end with a close frame (answered, then the stream ends). The
 * leaf module keeps its own small codec: the WebSocket module is a plugin, and plugins depend on {@code nats.api}
 * and {@code nats.transport} only.
 */
final class WebSocketClient implements Connection {

    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    /** Go's wsMaxFrameHeaderSize: the largest header a frame can have. */
    private static final int MAX_HEADER = 14;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The largest compressed message inflated (a bound against a message that inflates without end): Go compresses
     * all the output pending for the connection into one message, up to its {@code max_pending} (64 MiB by default).
     */
    private static final long MAX_INFLATED = 256L << 20;

    private final Connection under;
    /** Bytes read from the socket not decoded yet (starts with what followed the HTTP response). */
    private ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();
    /** Payload bytes left in the current data frame, and its mask when the server masked it. */
    private long remaining;
    private byte[] frameMask;
    private int maskIndex;
    private boolean closed;
    /** permessage-deflate when negotiated, else null. */
    private final PerMessageDeflate deflate;
    /** Whether this side masks its frames (always, unless the server accepted Go's no-masking). */
    private final boolean maskWrites;
    /** The current compressed message's payload so far (its frames joined), and its length. */
    private byte[] compressed = new byte[0];
    private int compressedLength;
    private boolean inCompressedMessage;
    /** An inflated message not read yet. */
    private ByteBuffer inflated = ByteBuffer.allocate(0);

    /** Masked, uncompressed frames over a stream already upgraded; {@code leftover}: bytes past the HTTP response. */
    WebSocketClient(Connection under, ByteBuffer leftover) {
        this(under, leftover, false, true);
    }

    /** Frames over a stream already upgraded, with what the upgrade negotiated. */
    WebSocketClient(Connection under, ByteBuffer leftover, boolean compress, boolean maskWrites) {
        this.under = under;
        this.deflate = compress ? new PerMessageDeflate(MAX_INFLATED) : null;
        this.maskWrites = maskWrites;
        if (leftover.hasRemaining()) {
            in = ByteBuffer.allocate(Math.max(64 * 1024, leftover.remaining())).put(leftover).flip();
        }
    }

    /** Whether this connection compresses its messages (the server accepted permessage-deflate). */
    boolean compressing() {
        return deflate != null;
    }

    /** Whether this connection masks its frames. */
    boolean masking() {
        return maskWrites;
    }

    // ---- reading -------------------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (remaining == 0) {
            if (inflated.hasRemaining()) {
                int n = Math.min(inflated.remaining(), dst.remaining());
                dst.put(dst.position(), inflated, inflated.position(), n);
                dst.position(dst.position() + n);
                inflated.position(inflated.position() + n);
                return n;
            }
            if (closed || !nextDataFrame()) {
                return -1;
            }
        }
        if (!in.hasRemaining() && !fill()) {
            return -1;
        }
        int n = (int) Math.min(Math.min(remaining, in.remaining()), dst.remaining());
        for (int i = 0; i < n; i++) {
            byte b = in.get();
            if (frameMask != null) {
                b ^= frameMask[maskIndex++ & 3];
            }
            dst.put(b);
        }
        remaining -= n;
        return n;
    }

    /**
     * Reads frames until a data frame with payload starts, or a compressed message was inflated; false when the
     * stream ended.
     */
    private boolean nextDataFrame() throws IOException {
        while (true) {
            if (!need(2)) {
                return false;
            }
            int b0 = in.get() & 0xFF;
            int b1 = in.get() & 0xFF;
            int opcode = b0 & 0x0F;
            boolean fin = (b0 & 0x80) != 0;
            boolean rsv1 = (b0 & 0x40) != 0;
            if ((b0 & 0x30) != 0 || rsv1 && (deflate == null || opcode != OP_TEXT && opcode != OP_BINARY)) {
                throw new IOException(rsv1 && opcode == OP_CONTINUATION ? "invalid continuation frame"
                        : "websocket frame with reserved bits set (no extension was negotiated)");
            }
            boolean masked = (b1 & 0x80) != 0;
            long length = b1 & 0x7F;
            if (length == 126) {
                if (!need(2)) {
                    return false;
                }
                length = in.getShort() & 0xFFFF;
            } else if (length == 127) {
                if (!need(8)) {
                    return false;
                }
                length = in.getLong();
                if (length < 0) {
                    throw new IOException("websocket frame length out of range");
                }
            }
            if ((opcode == OP_TEXT || opcode == OP_BINARY) && inCompressedMessage) {
                throw new IOException("new message started before final frame for previous message was received");
            }
            byte[] mask = null;
            if (masked) {
                if (!need(4)) {
                    return false;
                }
                mask = new byte[4];
                in.get(mask);
            }
            switch (opcode) {
                case OP_BINARY, OP_TEXT, OP_CONTINUATION -> {
                    if (rsv1 || opcode == OP_CONTINUATION && inCompressedMessage) {
                        inCompressedMessage = true;
                        if (collect(length, mask, fin)) {
                            return true;
                        }
                    } else if (length > 0) {
                        remaining = length;
                        frameMask = mask;
                        maskIndex = 0;
                        return true;
                    }
                }
                case OP_PING, OP_PONG, OP_CLOSE -> {
                    if (length > 125) {
                        throw new IOException("websocket control frame longer than 125 bytes");
                    }
                    if (!need((int) length)) {
                        return false;
                    }
                    byte[] payload = new byte[(int) length];
                    in.get(payload);
                    if (mask != null) {
                        for (int i = 0; i < payload.length; i++) {
                            payload[i] ^= mask[i & 3];
                        }
                    }
                    if (opcode == OP_PING) {
                        writeFrame(OP_PONG, ByteBuffer.wrap(payload));
                    } else if (opcode == OP_CLOSE) {
                        // Echo the status (RFC 6455 section 5.5.1), then the stream is over.
                        writeFrame(OP_CLOSE, ByteBuffer.wrap(payload, 0, Math.min(2, payload.length)));
                        closed = true;
                        return false;
                    }
                }
                default -> throw new IOException("websocket frame with unknown opcode " + opcode);
            }
        }
    }

    /**
     * Adds a frame of a compressed message to what was collected; at its final frame inflates the message into
     * {@link #inflated}. True when there is inflated data to read.
     */
    private boolean collect(long length, byte[] mask, boolean fin) throws IOException {
        if (compressedLength + length > MAX_INFLATED) {
            throw new IOException("websocket compressed message longer than " + MAX_INFLATED + " bytes");
        }
        int n = (int) length;
        if (!need(n)) {
            throw new IOException("connection closed within a websocket frame");
        }
        if (compressedLength + n > compressed.length) {
            compressed = java.util.Arrays.copyOf(compressed, Math.max(compressedLength + n, compressed.length * 2));
        }
        in.get(compressed, compressedLength, n);
        if (mask != null) {
            for (int i = 0; i < n; i++) {
                compressed[compressedLength + i] ^= mask[i & 3];
            }
        }
        compressedLength += n;
        if (!fin) {
            return false;
        }
        inflated = ByteBuffer.wrap(deflate.inflate(compressed, compressedLength));
        compressedLength = 0;
        inCompressedMessage = false;
        if (compressed.length > 1 << 20) {
            compressed = new byte[0]; // a rare large message does not pin its buffer
        }
        return inflated.hasRemaining();
    }

    /** Makes at least {@code n} bytes available in {@code in}; false at the end of the stream. */
    private boolean need(int n) throws IOException {
        while (in.remaining() < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    private boolean fill() throws IOException {
        in.compact();
        if (!in.hasRemaining()) {
            in.flip();
            ByteBuffer larger = ByteBuffer.allocate(in.capacity() * 2);
            larger.put(in);
            in = larger;
        }
        int n;
        try {
            n = under.read(in);
        } finally {
            in.flip();
        }
        return n >= 0;
    }

    // ---- writing -------------------------------------------------------------------------------------------

    @Override
    public void write(ByteBuffer src) throws IOException {
        writeFrame(OP_BINARY, src);
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        int total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        ByteBuffer joined = ByteBuffer.allocate(total);
        for (int i = offset; i < offset + length; i++) {
            joined.put(srcs[i]);
        }
        writeFrame(OP_BINARY, joined.flip());
    }

    /**
     * One final frame, masked unless the server accepted no-masking, a data frame compressed when negotiated and
     * above Go's threshold; the reader's pongs and the writer's data never interleave mid-frame.
     */
    private synchronized void writeFrame(int opcode, ByteBuffer payload) throws IOException {
        boolean compress = deflate != null && opcode == OP_BINARY && payload.remaining() > PerMessageDeflate.THRESHOLD;
        if (compress) {
            payload = deflate.compress(payload);
        }
        int length = payload.remaining();
        int maskBit = maskWrites ? 0x80 : 0;
        ByteBuffer frame = ByteBuffer.allocate(MAX_HEADER + length);
        frame.put((byte) (0x80 | (compress ? 0x40 : 0) | opcode));
        if (length < 126) {
            frame.put((byte) (maskBit | length));
        } else if (length <= 0xFFFF) {
            frame.put((byte) (maskBit | 126)).putShort((short) length);
        } else {
            frame.put((byte) (maskBit | 127)).putLong(length);
        }
        if (maskWrites) {
            byte[] mask = new byte[4];
            RANDOM.nextBytes(mask);
            frame.put(mask);
            for (int i = 0; i < length; i++) {
                frame.put((byte) (payload.get() ^ mask[i & 3]));
            }
        } else {
            frame.put(payload);
        }
        under.write(frame.flip());
    }

    @Override
    public void close() {
        under.close();
    }

    @Override
    public void close(String reason) {
        try {
            // 1000 (normal) with Go's close reason as the frame's text, best effort.
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            ByteBuffer status = ByteBuffer.allocate(2 + Math.min(text.length, 123)).putShort((short) 1000);
            status.put(text, 0, Math.min(text.length, 123));
            writeFrame(OP_CLOSE, status.flip());
        } catch (IOException | RuntimeException e) {
            // The peer is gone already: closing is all that is left.
        }
        under.close();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return under.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return under.localAddress();
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return under.tlsSession();
    }
}
