package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import nats.leafnode.testing.Ours;
import nats.transport.compress.S2Reader;
import nats.transport.compress.S2Writer;
import nats.transport.protocol.RouteProtocolHandler;
import nats.transport.protocol.RouteProtocolParser;
import nats.transport.protocol.RoutedMessageArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes of Go 2.10's leaf compression exchange, played by hand against our leaf and our hub: the first INFOs
 * plain, the answering INFO naming the chosen mode, then an S2 stream (its identifier first) each way.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeafCompressionWireTest {

    private static final byte[] S2_IDENTIFIER = {(byte) 0xff, 6, 0, 0, 'S', '2', 's', 'T', 'w', 'O'};

    @TempDir
    Path dir;

    @Test
    void ourLeafAnswersAGo210HubAndCompresses() throws Exception {
        try (ServerSocket fakeHub = new ServerSocket()) {
            fakeHub.bind(new InetSocketAddress("127.0.0.1", 0));
            try (Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:"
                    + fakeHub.getLocalPort() + "\", compression: s2_fast}] }");
                 Socket s = accept(fakeHub)) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                out.write(line("INFO {\"server_id\":\"FAKEHUB\",\"version\":\"2.10.0\",\"proto\":1,\"headers\":true,"
                        + "\"nonce\":\"n1\",\"client_id\":7,\"leafnode_urls\":[\"127.0.0.1:1\"],"
                        + "\"compression\":\"s2_fast\"}"));
                out.flush();
                String answer = readLine(in);
                assertTrue(answer.startsWith("INFO ") && answer.contains("\"compression\":\"s2_fast\""),
                        "the leaf names the chosen mode in a plain INFO: " + answer);
                // From here on both directions are S2; the hub sends its INFO again, compressed.
                out.write(s2("INFO {\"server_id\":\"FAKEHUB\",\"version\":\"2.10.0\",\"proto\":1,\"headers\":true,"
                        + "\"nonce\":\"n1\",\"client_id\":7,\"leafnode_urls\":[\"127.0.0.1:1\"],"
                        + "\"compression\":\"s2_fast\"}\r\n"));
                out.flush();
                Capture got = readS2(in, c -> c.connect != null);
                assertArrayEquals(S2_IDENTIFIER, got.firstBytes, "the leaf's output starts an S2 stream");
                assertTrue(got.connect.contains("\"compress_mode\":\"s2_fast\""),
                        "the compressed CONNECT carries compress_mode as Go 2.10's: " + got.connect);
            }
        }
    }

    @Test
    void ourHubAnswersAGo210LeafAndCompresses() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\"\n compression: s2_fast }");
             Socket s = new Socket("127.0.0.1", hub.leafPort)) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String greeting = readLine(in);
            assertTrue(greeting.contains("\"compression\":\"s2_fast\""), "the hub announces its mode: " + greeting);
            out.write(line("INFO {\"server_id\":\"FAKELEAF\",\"compression\":\"s2_fast\"}"));
            out.flush();
            Capture got = readS2(in, c -> c.info != null);
            assertArrayEquals(S2_IDENTIFIER, got.firstBytes, "the hub's output turns into an S2 stream");
            assertTrue(got.info.contains("\"compression\":\"s2_fast\""), "its compressed INFO names the mode: "
                    + got.info);
            String nonce = greeting.replaceAll(".*\"nonce\":\"([^\"]*)\".*", "$1");
            assertTrue(got.info.contains("\"nonce\":\"" + nonce + "\""), "and repeats the nonce: " + got.info);
            out.write(s2("CONNECT {\"server_id\":\"FAKELEAF\",\"name\":\"FAKELEAF\",\"headers\":true,"
                    + "\"compress_mode\":\"s2_fast\"}\r\nPING\r\n"));
            out.flush();
            Capture after = readS2(in, c -> c.pongs > 0, got);
            assertEquals(1, after.pongs, "a compressed PING is answered, compressed");
        }
    }

    private static Socket accept(ServerSocket server) throws Exception {
        server.setSoTimeout(10_000);
        return server.accept();
    }

    private static byte[] line(String text) {
        return (text + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] s2(String protocol) throws Exception {
        ByteBuffer b = new S2Writer(true).encode(ByteBuffer.wrap(protocol.getBytes(StandardCharsets.UTF_8)));
        return Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
    }

    private static String readLine(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            assertTrue(c >= 0, "the connection stayed open while a line was read");
            if (prev == '\r' && c == '\n') {
                byte[] all = b.toByteArray();
                return new String(all, 0, all.length - 1, StandardCharsets.UTF_8);
            }
            b.write(c);
            prev = c;
        }
    }

    /** Reads and decodes S2 until {@code done} holds (bounded by the socket timeout). */
    private static Capture readS2(InputStream in, Predicate<Capture> done) throws Exception {
        return readS2(in, done, new Capture());
    }

    /** Goes on reading the same stream into {@code c}. */
    private static Capture readS2(InputStream in, Predicate<Capture> done, Capture c) throws Exception {
        S2Reader reader = c.reader;
        RouteProtocolParser parser = c.parser;
        byte[] buf = new byte[64 * 1024];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.test(c) && System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                break;
            }
            assertTrue(n > 0, "the connection stayed open");
            if (c.firstBytes == null && n >= S2_IDENTIFIER.length) {
                c.firstBytes = Arrays.copyOf(buf, S2_IDENTIFIER.length);
            }
            reader.decode(buf, 0, n, parser);
        }
        assertNotNull(c.firstBytes, "S2 bytes arrived");
        assertTrue(done.test(c), "the expected protocol arrived in S2 within 10 s");
        return c;
    }

    /** What the decoded protocol contained. */
    private static final class Capture implements RouteProtocolHandler {
        final S2Reader reader = new S2Reader();
        final RouteProtocolParser parser = RouteProtocolParser.forLeafNodes(this);
        byte[] firstBytes;
        String info;
        String connect;
        int pongs;

        @Override
        public void onInfo(byte[] buf, int off, int len) {
            info = new String(buf, off, len, StandardCharsets.UTF_8);
        }

        @Override
        public void onConnect(byte[] buf, int off, int len) {
            connect = new String(buf, off, len, StandardCharsets.UTF_8);
        }

        @Override
        public void onPing() {
        }

        @Override
        public void onPong() {
            pongs++;
        }

        @Override
        public void onError(byte[] buf, int off, int len) {
        }

        @Override
        public void onSubscribe(byte[] buf, int off, int len) {
        }

        @Override
        public void onUnsubscribe(byte[] buf, int off, int len) {
        }

        @Override
        public void onOriginSubscribe(byte[] buf, int off, int len) {
        }

        @Override
        public void onMessage(RoutedMessageArgs args, byte[] buf, int off, int len) {
        }
    }
}
