package nats.leafnode.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Ports;
import nats.transport.net.PlainConnection;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leaf remote's {@code ws_compression} and {@code ws_no_masking} against real {@code /leafnode} endpoints: Go
 * 2.9.10's websocket listener (the oracle) and ours, both with {@code compression: true}, accept both; the hub's
 * INFO arrives (compressed), and a CONNECT and PING sent compressed and unmasked are answered with PONG.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketNegotiationTest {

    @TempDir
    Path dir;

    @Test
    void goAcceptsCompressionAndNoMasking() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int ws = Ports.free();
        int leaf = Ports.free();
        try (GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nleafnodes { listen: 127.0.0.1:"
                + leaf + " }\nwebsocket { listen: \"127.0.0.1:" + ws + "\", no_tls: true, compression: true }\n")) {
            handshake(ws);
        }
    }

    @Test
    void oursAcceptsCompressionAndNoMasking() throws Exception {
        int ws = Ports.free();
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }\nwebsocket { listen: "
                + "\"127.0.0.1:" + ws + "\", no_tls: true, compression: true }")) {
            handshake(ws);
        }
    }

    private static void handshake(int port) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        WebSocketClient ws = WebSocketUpgrade.upgrade(new PlainConnection(channel), "127.0.0.1", port, false,
                new WebSocketUpgrade.Options(true, true));
        try {
            assertTrue(ws.compressing(), "permessage-deflate accepted");
            assertFalse(ws.masking(), "Nats-No-Masking accepted");
            String info = line(ws);
            assertTrue(info.startsWith("INFO {"), "the hub's INFO: " + info);
            // Above Go's 64-byte threshold, so compressed, and unmasked: the hub must read both right to answer.
            String connect = "CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"negotiation-test\","
                    + "\"headers\":true}\r\nPING\r\n";
            ws.write(ByteBuffer.wrap(connect.getBytes(StandardCharsets.ISO_8859_1)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String l;
            do {
                l = line(ws);
            } while (!l.equals("PONG") && !l.startsWith("-ERR") && System.nanoTime() < deadline);
            assertTrue(l.equals("PONG"), "the hub answered the compressed, unmasked PING: " + l);
        } finally {
            ws.close();
        }
    }

    private static String line(WebSocketClient ws) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (b.size() < 1 << 16) {
            one.clear();
            if (ws.read(one) < 0) {
                throw new IOException("stream ended after " + b);
            }
            if (one.get(0) == '\n') {
                return b.toString(StandardCharsets.ISO_8859_1).strip();
            }
            b.write(one.get(0));
        }
        throw new IOException("no line end");
    }
}
