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
    private static final class Scripted implements Connection {
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
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketClient.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void aResponseWithoutTheRightAcceptIsRefused() {
        Scripted c = new Scripted(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: wrong\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        IOException e = assertThrows(IOException.class, () -> WebSocketClient.upgrade(c, "h", 80, false));
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
}
