package nats.websocket.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A minimal WebSocket NATS client for load: publishes prepared (masked, optionally compressed) frames each
 * holding a batch of PUBs, and counts the MSGs a subscription receives, inflating compressed frames. The
 * client does as little as possible per message so that the server's cost dominates.
 */
final class WsLoadClient implements AutoCloseable {

    private static final byte[] KEY = {0x1f, 0x2e, 0x3d, 0x4c};

    private final SocketChannel channel;
    private final boolean compress;
    /** Plain NATS over TCP (no WebSocket framing): the baseline the WebSocket figures are read against. */
    private boolean tcp;
    private final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
    private final Inflater inflater = new Inflater(true);
    private byte[] inflated = new byte[512 * 1024];
    /** Frames and payload bytes received, for the report. */
    long frames;
    long frameBytes;

    private WsLoadClient(SocketChannel channel, boolean compress) {
        this.channel = channel;
        this.compress = compress;
    }

    /** A plain TCP NATS client on the client port, with the same load pattern. */
    static WsLoadClient connectTcp(int port) throws IOException {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        ch.socket().setTcpNoDelay(true);
        WsLoadClient c = new WsLoadClient(ch, false);
        c.tcp = true;
        c.in.limit(0);
        c.sendText("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":false}\r\nPING\r\n");
        c.awaitPong();
        return c;
    }

    static WsLoadClient connect(int port, boolean compress) throws IOException {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        ch.socket().setTcpNoDelay(true);
        String request = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (compress ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "") + "\r\n";
        write(ch, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        WsLoadClient c = new WsLoadClient(ch, compress);
        c.in.limit(0);
        String head = c.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head);
        }
        if (compress != head.contains("permessage-deflate")) {
            throw new IOException("compression not as asked: " + head);
        }
        c.sendText("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":false}\r\nPING\r\n");
        c.awaitPong();
        return c;
    }

    /** One frame carrying {@code text}, masked, compressed when the connection compresses. */
    byte[] frame(byte[] payload) {
        if (tcp) {
            return payload;
        }
        byte[] body = payload;
        int first = 0x82;
        if (compress) {
            Deflater d = new Deflater(Deflater.BEST_SPEED, true);
            d.setInput(payload);
            byte[] out = new byte[payload.length + 1024];
            int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            d.end();
            body = java.util.Arrays.copyOf(out, n - 4);
            first = 0xC2;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(body.length + 14);
        b.write(first);
        if (body.length <= 125) {
            b.write(0x80 | body.length);
        } else if (body.length < 65536) {
            b.write(0x80 | 126);
            b.write(body.length >>> 8);
            b.write(body.length);
        } else {
            b.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) ((long) body.length >>> (8 * i)));
            }
        }
        b.writeBytes(KEY);
        for (int i = 0; i < body.length; i++) {
            b.write(body[i] ^ KEY[i & 3]);
        }
        return b.toByteArray();
    }

    void sendText(String text) throws IOException {
        send(frame(text.getBytes(StandardCharsets.US_ASCII)));
    }

    void send(byte[] frame) throws IOException {
        write(channel, ByteBuffer.wrap(frame));
    }

    private static void write(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    void awaitPong() throws IOException {
        Counter c = new Counter(0);
        while (!c.pong) {
            readFrame(c);
        }
    }

    /** Reads until {@code count} messages of {@code messageBytes} (MSG line and payload) arrived. */
    void receive(long count, int messageBytes) throws IOException {
        Counter c = new Counter(messageBytes);
        while (c.messages < count) {
            readFrame(c);
        }
    }

    /** Streams the NATS bytes of the frames: fixed-size MSGs counted, a PING answered. */
    private final class Counter {
        final int messageBytes;
        long messages;
        long skip;
        boolean pong;
        final StringBuilder line = new StringBuilder();

        Counter(int messageBytes) {
            this.messageBytes = messageBytes;
        }

        void bytes(byte[] b, int off, int len) throws IOException {
            int i = off;
            int end = off + len;
            while (i < end) {
                if (skip > 0) {
                    int n = (int) Math.min(skip, end - i);
                    skip -= n;
                    i += n;
                    continue;
                }
                if (line.isEmpty() && b[i] == 'M' && messageBytes > 0) {
                    messages++;
                    skip = messageBytes;
                    continue;
                }
                char ch = (char) b[i++];
                line.append(ch);
                if (ch == '\n') {
                    String l = line.toString();
                    line.setLength(0);
                    if (l.startsWith("PING")) {
                        sendText("PONG\r\n");
                    } else if (l.startsWith("PONG")) {
                        pong = true;
                    } else if (l.startsWith("-ERR")) {
                        throw new IOException("server error: " + l.strip());
                    }
                }
            }
        }
    }

    private void readFrame(Counter c) throws IOException {
        if (tcp) {
            if (!in.hasRemaining()) {
                fill();
            }
            c.bytes(in.array(), in.position(), in.remaining());
            in.position(in.limit());
            return;
        }
        need(2);
        int b0 = in.get() & 0xff;
        int b1 = in.get() & 0x7f;
        long len = b1;
        if (b1 == 126) {
            need(2);
            len = in.getShort() & 0xffff;
        } else if (b1 == 127) {
            need(8);
            len = in.getLong();
        }
        boolean compressed = (b0 & 0x40) != 0;
        frames++;
        frameBytes += len;
        if (compressed) {
            inflater.reset();
        }
        long left = len;
        while (left > 0) {
            if (!in.hasRemaining()) {
                fill();
            }
            int n = (int) Math.min(left, in.remaining());
            if (compressed) {
                inflater.setInput(in.array(), in.position(), n);
                drain(c);
            } else {
                c.bytes(in.array(), in.position(), n);
            }
            in.position(in.position() + n);
            left -= n;
        }
        if (compressed) {
            inflater.setInput(new byte[] {0, 0, (byte) 0xff, (byte) 0xff});
            drain(c);
        }
        if ((b0 & 0x0f) == 8) {
            throw new IOException("closed by the server");
        }
    }

    private void drain(Counter c) throws IOException {
        try {
            int n;
            while ((n = inflater.inflate(inflated)) > 0) {
                c.bytes(inflated, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IOException(e);
        }
    }

    private void need(int n) throws IOException {
        while (in.remaining() < n) {
            fill();
        }
    }

    private void fill() throws IOException {
        in.compact();
        int n = channel.read(in);
        in.flip();
        if (n < 0) {
            throw new IOException("connection closed");
        }
    }

    private String readHead() throws IOException {
        StringBuilder h = new StringBuilder();
        while (!h.toString().endsWith("\r\n\r\n")) {
            need(1);
            h.append((char) in.get());
        }
        return h.toString();
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        channel.close();
    }
}
