package nats.leafnode.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import nats.api.net.Connection;
import org.junit.jupiter.api.Test;

/** The client side of RFC 6455 a WebSocket leaf remote uses, against scripted server bytes. */
class WebSocketClientTest {

    /** A connection whose reads return {@code script} and whose writes are recorded. */
    private static class Scripted implements Connection {
        final ByteBuffer script;
        final ByteArrayOutputStream written = new ByteArrayOutputStream();

        Scripted(byte[] script) {
            this.script = ByteBuffer.wrap(script);
        }

        @Override
        public int read(ByteBuffer dst) {
            if (!script.hasRemaining()) {
                return -1;
            }
            int n = Math.min(dst.remaining(), Math.min(script.remaining(), 7)); // small reads split everything
            for (int i = 0; i < n; i++) {
                dst.put(script.get());
            }
            return n;
        }

        @Override
        public void write(ByteBuffer src) {
            while (src.hasRemaining()) {
                written.write(src.get());
            }
        }

        @Override
        public void close() {
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 2);
        }
    }

    @Test
    void theAcceptKeyIsRfc6455s() {
        // RFC 6455 section 1.3's example
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketUpgrade.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void aResponseWithoutTheRightAcceptIsRefused() {
        Scripted c = new Scripted(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: wrong\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        IOException e = assertThrows(IOException.class, () -> WebSocketUpgrade.upgrade(c, "h", 80, false,
                WebSocketUpgrade.Options.DEFAULT));
        assertTrue(e.getMessage().startsWith("invalid websocket connection"), "Go's text: " + e.getMessage());
    }

    @Test
    void fragmentedFramesAndAPingInBetweenAreReadAsOneStream() throws Exception {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.writeBytes(new byte[] {0x02, 3, 'I', 'N', 'F'});          // binary, not final, "INF"
        frames.writeBytes(new byte[] {(byte) 0x89, 2, 'p', 'q'});        // ping "pq" between the fragments
        frames.writeBytes(new byte[] {(byte) 0x80, 3, 'O', '\r', '\n'}); // continuation, final
        frames.writeBytes(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xE8}); // close 1000
        Scripted server = new Scripted(frames.toByteArray());
        WebSocketClient ws = new WebSocketClient(server, ByteBuffer.allocate(0));
        ByteBuffer got = ByteBuffer.allocate(64);
        while (ws.read(got) >= 0) {
            // until the close frame
        }
        assertEquals("INFO\r\n", new String(got.array(), 0, got.position(), StandardCharsets.ISO_8859_1));
        byte[] out = server.written.toByteArray();
        // the pong: final + opcode 0xA, masked, length 2, 4-byte key, "pq" masked with it
        assertEquals((byte) 0x8A, out[0], "a pong answers the ping");
        assertEquals((byte) (0x80 | 2), out[1], "masked, two bytes");
        assertEquals('p', out[6] ^ out[2], "the ping's payload, masked");
        assertEquals('q', out[7] ^ out[3]);
        assertEquals((byte) 0x88, out[8], "the close is echoed");
    }

    private static final String ACCEPTED = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n%s\r\n";

    /** A server that answers the upgrade with {@code extra} headers, whatever key the client sends. */
    private static final class Answering extends Scripted {
        private final String extra;
        private final byte[] after;

        Answering(String extra, byte[] after) {
            super(new byte[0]);
            this.extra = extra;
            this.after = after;
        }

        private ByteBuffer answer;

        @Override
        public int read(ByteBuffer dst) {
            if (answer == null) {
                String request = written.toString(StandardCharsets.ISO_8859_1);
                String key = request.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).findFirst().orElseThrow()
                        .substring("Sec-WebSocket-Key: ".length());
                byte[] head = String.format(ACCEPTED, WebSocketUpgrade.accept(key), extra)
                        .getBytes(StandardCharsets.ISO_8859_1);
                answer = ByteBuffer.allocate(head.length + after.length).put(head).put(after).flip();
            }
            if (!answer.hasRemaining()) {
                return -1;
            }
            int n = Math.min(dst.remaining(), answer.remaining());
            dst.put(dst.position(), answer, answer.position(), n).position(dst.position() + n);
            answer.position(answer.position() + n);
            return n;
        }
    }

    private static final String PMC = "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
            + "client_no_context_takeover\r\n";

    @Test
    void compressionAndNoMaskingAreOfferedAndUsedWhenTheServerAccepts() throws Exception {
        byte[] text = ("MSG " + "x".repeat(300) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        // The server's compressed message, as Go frames it: raw deflate, sync-flush tail removed, RSV1 set.
        java.util.zip.Deflater d = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED, true);
        d.setInput(text);
        byte[] out = new byte[1024];
        int n = d.deflate(out, 0, out.length, java.util.zip.Deflater.SYNC_FLUSH) - 4;
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.writeBytes(new byte[] {(byte) 0xC2, (byte) n});
        frames.write(out, 0, n);
        Answering server = new Answering(PMC + "Nats-No-Masking: true\r\n", frames.toByteArray());
        WebSocketClient ws = WebSocketUpgrade.upgrade(server, "h", 80, false, new WebSocketUpgrade.Options(true, true));
        String request = server.written.toString(StandardCharsets.ISO_8859_1);
        assertTrue(request.contains("\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                + "client_no_context_takeover\r\n"), "Go's offer: " + request);
        assertTrue(request.contains("\r\nNats-No-Masking: true\r\n"), "Go's no-masking header: " + request);
        assertTrue(ws.compressing(), "compression negotiated");
        assertTrue(!ws.masking(), "no masking accepted");

        ByteBuffer got = ByteBuffer.allocate(1024);
        while (ws.read(got) >= 0) {
            // until the end of the script
        }
        assertEquals(new String(text, StandardCharsets.ISO_8859_1),
                new String(got.array(), 0, got.position(), StandardCharsets.ISO_8859_1), "the message inflated");

        server.written.reset();
        ws.write(ByteBuffer.wrap(text));
        byte[] sent = server.written.toByteArray();
        assertEquals((byte) 0xC2, sent[0], "final, RSV1 (compressed), binary");
        assertEquals(0, sent[1] & 0x80, "not masked");
        int length = sent[1] & 0x7F;
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        byte[] compressed = java.util.Arrays.copyOfRange(sent, 2, 2 + length);
        inflater.setInput(concat(compressed, new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF}));
        byte[] back = new byte[1024];
        int m = inflater.inflate(back);
        assertEquals(new String(text, StandardCharsets.ISO_8859_1), new String(back, 0, m, StandardCharsets.ISO_8859_1),
                "what the client sent inflates to the message");

        server.written.reset();
        ws.write(ByteBuffer.wrap("PING\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals((byte) 0x82, server.written.toByteArray()[0], "Go's threshold: 64 bytes or less go uncompressed");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void aServerWithoutTheOptionsLeavesFramesMaskedAndUncompressed() throws Exception {
        Answering server = new Answering("", new byte[0]);
        WebSocketClient ws = WebSocketUpgrade.upgrade(server, "h", 80, false, new WebSocketUpgrade.Options(true, true));
        assertTrue(!ws.compressing(), "no extension in the answer: no compression (Go drops it)");
        assertTrue(ws.masking(), "no Nats-No-Masking in the answer: frames stay masked");
        server.written.reset();
        ws.write(ByteBuffer.wrap(new byte[200]));
        byte[] sent = server.written.toByteArray();
        assertEquals((byte) 0x82, sent[0], "uncompressed binary");
        assertEquals(0x80, sent[1] & 0x80, "masked");
    }

    @Test
    void compressionWithContextTakeoverIsRefusedWithGosText() {
        Answering server = new Answering("Sec-WebSocket-Extensions: permessage-deflate\r\n", new byte[0]);
        IOException e = assertThrows(IOException.class, () -> WebSocketUpgrade.upgrade(server, "h", 80, false,
                new WebSocketUpgrade.Options(true, false)));
        assertEquals("compression negotiation error", e.getMessage(), "Go's text");
    }

    @Test
    void aCompressedMessageMayComeInSeveralFrames() throws Exception {
        byte[] text = ("LMSG a.b 40\r\n" + "y".repeat(40) + "\r\n").repeat(20).getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer packed = new PerMessageDeflate(1 << 20).compress(ByteBuffer.wrap(text));
        byte[] compressed = java.util.Arrays.copyOf(packed.array(), packed.remaining());
        int length = compressed.length;
        assertTrue(length < 126, "short frames in this script: " + length);
        int half = length / 2;
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.writeBytes(new byte[] {(byte) 0x42, (byte) half});               // binary, RSV1, not final
        frames.write(compressed, 0, half);
        frames.writeBytes(new byte[] {(byte) 0x89, 0});                          // a ping between
        frames.writeBytes(new byte[] {(byte) 0x80, (byte) (length - half)});    // continuation, final
        frames.write(compressed, half, length - half);
        Answering server = new Answering(PMC, frames.toByteArray());
        WebSocketClient ws = WebSocketUpgrade.upgrade(server, "h", 80, false, new WebSocketUpgrade.Options(true, false));
        ByteBuffer got = ByteBuffer.allocate(text.length + 10);
        while (ws.read(got) >= 0) {
            // until the end of the script
        }
        assertEquals(new String(text, StandardCharsets.ISO_8859_1),
                new String(got.array(), 0, got.position(), StandardCharsets.ISO_8859_1), "joined, then inflated");
    }
}
