package nats.leafnode.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import nats.api.net.Connection;

/**
 * The client side of RFC 6455 for a leaf remote with a {@code ws://} or {@code wss://} URL, as Go's
 * leafNodeSolicitWSConnection: an HTTP upgrade to the {@code /leafnode} endpoint, then the leaf protocol in binary
 * frames, masked (section 5.3, a client always masks), without compression. Server frames may be split
 * (continuations), interleaved with pings (answered with a pong) and end with a close frame (answered, then the
 * stream ends). The leaf module keeps its own small codec: the WebSocket module is a plugin, and plugins depend
 * on {@code nats.api} and {@code nats.transport} only.
 */
final class WebSocketClient implements Connection {

    /** RFC 6455 section 1.3: appended to the key before hashing. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    /** Go's wsMaxFrameHeaderSize: the largest header a frame can have. */
    private static final int MAX_HEADER = 14;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Connection under;
    /** Bytes read from the socket not decoded yet (starts with what followed the HTTP response). */
    private ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();
    /** Payload bytes left in the current data frame, and its mask when the server masked it. */
    private long remaining;
    private byte[] frameMask;
    private int maskIndex;
    private boolean closed;

    /** Frames over a stream already upgraded; {@code leftover} holds bytes read past the HTTP response. */
    WebSocketClient(Connection under, ByteBuffer leftover) {
        this.under = under;
        if (leftover.hasRemaining()) {
            in = ByteBuffer.allocate(Math.max(64 * 1024, leftover.remaining())).put(leftover).flip();
        }
    }

    /**
     * Upgrades {@code under} (plain or TLS) to a WebSocket connection to {@code host:port}, or throws with Go's
     * {@code invalid websocket connection} when the answer is not a valid 101.
     */
    static WebSocketClient upgrade(Connection under, String host, int port, boolean tls) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        boolean defaultPort = port == (tls ? 443 : 80);
        String request = "GET /leafnode HTTP/1.1\r\nHost: " + host + (defaultPort ? "" : ":" + port) + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        under.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
        ByteBuffer buf = ByteBuffer.allocate(8192);
        int end;
        while ((end = headersEnd(buf)) < 0) {
            if (!buf.hasRemaining() || under.read(buf) < 0) {
                throw new IOException("invalid websocket connection: no HTTP response");
            }
        }
        String head = new String(buf.array(), 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[1].equals("101")
                || !header(lines, "upgrade").equalsIgnoreCase("websocket")
                || !header(lines, "connection").equalsIgnoreCase("upgrade")
                || !header(lines, "sec-websocket-accept").equals(accept(key))) {
            throw new IOException("invalid websocket connection: " + lines[0]);
        }
        ByteBuffer leftover = ByteBuffer.wrap(buf.array(), end + 4, buf.position() - end - 4);
        return new WebSocketClient(under, leftover);
    }

    /** Sec-WebSocket-Accept for a key (RFC 6455 section 4.2.2). */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    private static int headersEnd(ByteBuffer buf) {
        byte[] b = buf.array();
        for (int i = 3; i < buf.position(); i++) {
            if (b[i - 3] == '\r' && b[i - 2] == '\n' && b[i - 1] == '\r' && b[i] == '\n') {
                return i - 3;
            }
        }
        return -1;
    }

    private static String header(String[] lines, String name) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return lines[i].substring(colon + 1).trim();
            }
        }
        return "";
    }

    // ---- reading -------------------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (remaining == 0) {
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

    /** Reads frame headers until a data frame with payload starts; false when the stream ended. */
    private boolean nextDataFrame() throws IOException {
        while (true) {
            if (!need(2)) {
                return false;
            }
            int b0 = in.get() & 0xFF;
            int b1 = in.get() & 0xFF;
            if ((b0 & 0x70) != 0) {
                throw new IOException("websocket frame with reserved bits set (no extension was negotiated)");
            }
            int opcode = b0 & 0x0F;
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
                    if (length > 0) {
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

    /** One final, masked frame; the reader's pongs and the writer's data never interleave mid-frame. */
    private synchronized void writeFrame(int opcode, ByteBuffer payload) throws IOException {
        int length = payload.remaining();
        ByteBuffer frame = ByteBuffer.allocate(MAX_HEADER + length);
        frame.put((byte) (0x80 | opcode));
        if (length < 126) {
            frame.put((byte) (0x80 | length));
        } else if (length <= 0xFFFF) {
            frame.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(length);
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.put(mask);
        for (int i = 0; i < length; i++) {
            frame.put((byte) (payload.get() ^ mask[i & 3]));
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
