package nats.server.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A busy connection's reader and flusher move to platform threads and back to virtual ones when it goes
 * quiet, without losing or reordering anything on the way.
 */
@Timeout(60)
class ThreadPromotionTest {

    /** Threads that existed before the test, possibly left by other tests' servers: not counted. */
    private final Set<Thread> before = Thread.getAllStackTraces().keySet();
    private NatsServer server;
    private Socket subscriber;
    private Socket publisher;

    @AfterEach
    void tearDown() throws IOException {
        for (Socket s : new Socket[] {subscriber, publisher}) {
            if (s != null) {
                s.close();
            }
        }
        if (server != null) {
            server.shutdown();
        }
    }

    @Test
    void busyConnectionsMoveToPlatformThreadsAndBack() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT));
        subscriber = connect(server.port());
        publisher = connect(server.port());
        LineReader subIn = new LineReader(subscriber);
        LineReader pubIn = new LineReader(publisher);
        send(subscriber, "CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPING\r\n");
        assertEquals("PONG", subIn.skipTo("PONG"), "subscriber registered");
        send(publisher, "CONNECT {\"verbose\":false}\r\nPING\r\n");
        assertEquals("PONG", pubIn.skipTo("PONG"), "publisher connected");

        // One message per round trip: the publisher's reader and the subscriber's flusher each wake once
        // per message, far above the busy rate. Each message carries its number to check the order.
        int sent = 0;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while ((platformLoops("nats-client-") == 0 || platformLoops("nats-flush-") == 0)
                && System.nanoTime() < deadline) {
            String payload = String.format("%08d", sent);
            send(publisher, "PUB foo 8\r\n" + payload + "\r\nPING\r\n");
            assertEquals("PONG", pubIn.line(), "publisher's PING " + sent + " answered");
            assertEquals("MSG foo 1 8", subIn.line(), "frame of message " + sent);
            assertEquals(payload, subIn.line(), "message " + sent + " in order");
            sent++;
        }
        assertTrue(platformLoops("nats-client-") > 0, "a busy reader got a platform thread; threads: "
                + platformNames());
        assertTrue(platformLoops("nats-flush-") > 0, "a busy flusher got a platform thread; threads: "
                + platformNames());

        // Quiet: the flusher wakes by itself once a second and moves back within about two seconds.
        waitUntil(() -> platformLoops("nats-flush-") == 0, 10_000, "the quiet flusher left its platform thread");
        // The reader moves back at its next read after a quiet window; everything still flows after that.
        Thread.sleep(2 * PlatformThreads.WINDOW_NANOS / 1_000_000);
        send(publisher, "PUB foo 8\r\nthe-last\r\nPING\r\n");
        assertEquals("PONG", pubIn.line(), "publisher's last PING answered");
        assertEquals("MSG foo 1 8", subIn.line(), "frame of the last message");
        assertEquals("the-last", subIn.line(), "the last message arrives after the moves");
        waitUntil(() -> platformLoops("nats-client-") == 0, 10_000, "the quiet reader left its platform thread");
        send(subscriber, "PING\r\n");
        assertEquals("PONG", subIn.line(), "the subscriber is still served");
    }

    private long platformLoops(String prefix) {
        return platformNames().stream().filter(n -> n.startsWith(prefix)).count();
    }

    /** New platform threads only: virtual threads are not listed by {@link Thread#getAllStackTraces()}. */
    private List<String> platformNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .map(Thread::getName).sorted().toList();
    }

    private void waitUntil(java.util.function.BooleanSupplier condition, long millis, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within " + millis + " ms; threads: " + platformNames());
            Thread.sleep(20);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads CRLF-terminated lines; answers and skips the server's keep-alive PINGs. */
    private static final class LineReader {
        private final Socket socket;
        private final InputStream in;
        private final byte[] buf = new byte[8192];
        private int pos;
        private int limit;

        LineReader(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        String line() throws IOException {
            while (true) {
                String l = rawLine();
                if (!l.equals("PING")) {
                    return l;
                }
                send(socket, "PONG\r\n");
            }
        }

        private String rawLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos == limit) {
                    limit = in.read(buf);
                    pos = 0;
                    if (limit < 0) {
                        throw new IOException("end of stream after '" + sb + "'");
                    }
                }
                char c = (char) buf[pos++];
                if (c == '\n' && !sb.isEmpty() && sb.charAt(sb.length() - 1) == '\r') {
                    sb.setLength(sb.length() - 1);
                    return sb.toString();
                }
                sb.append(c);
            }
        }

        /** Skips lines (INFO and the like) up to the first one equal to {@code wanted}. */
        String skipTo(String wanted) throws IOException {
            String l;
            do {
                l = line();
            } while (!l.equals(wanted));
            return l;
        }
    }
}
