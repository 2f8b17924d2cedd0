package nats.server.liveness;

import static org.junit.jupiter.api.Assertions.assertAll;
import nats.testing.RawClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscriber that stops reading while its pending limit is far away: the write deadline must cut it off.
 *
 * <p>Reference (nats-server 2.9.10, {@code write_deadline: "1s"}, {@code max_pending: 64MB}, 30 MB of 1 KiB
 * messages, checked on the wire): the server's write to the stuck subscriber blocks, and about one second later
 * ("Slow Consumer Detected: WriteDeadline of 1s exceeded") the connection is closed; the subscriber was sent no
 * {@code -ERR}, and what it can still read is MSG frames (the last possibly cut short) and then end of stream.
 * The publisher is unaffected.
 */
@Timeout(40)
class WriteDeadlineTest {

    private static final int PAYLOAD = 1024;
    private static final long FLOOD_BYTES = 30L * 1024 * 1024;
    private static final long FLOOD_MILLIS = 10_000;
    /** Go needs about write deadline (1 s) after its write blocked; allow generously for a loaded machine. */
    private static final long CLOSE_WITHIN_MILLIS = 6_000;

    private NatsServer server;
    private RawClient stuck;
    private RawClient publisher;

    @AfterEach
    void tearDown() {
        if (stuck != null) {
            stuck.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (server != null) {
            server.shutdown();
        }
    }

    @Test
    void stuckReaderIsClosedByTheWriteDeadline() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .writeDeadline(Duration.ofSeconds(1))
                .maxPending(64L * 1024 * 1024));
        int port = server.port();

        stuck = RawClient.connect(port);
        stuck.send("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPING\r\n");
        assertTrue(stuck.readLine(2000).startsWith("INFO "));
        assertEquals("PONG", stuck.readLine(2000), "stuck subscriber's SUB is registered");

        publisher = RawClient.connect(port);
        publisher.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
        assertTrue(publisher.readLine(2000).startsWith("INFO "));
        assertEquals("PONG", publisher.readLine(2000));
        assertEquals(2, server.clientCount());

        long start = System.nanoTime();
        Flood flood = Flood.start(publisher, "foo", PAYLOAD, FLOOD_BYTES, FLOOD_MILLIS);

        // 30 MB cannot fit in the socket buffers, so the server's writes to the stuck subscriber block; the
        // write deadline must then close it. Wait for the flood first (bounded), then up to the deadline.
        boolean floodFinished = flood.await(FLOOD_MILLIS + 2_000);
        long closedAfter = -1;
        long floodEnd = System.nanoTime();
        while ((System.nanoTime() - floodEnd) / 1_000_000L < CLOSE_WITHIN_MILLIS) {
            if (server.clientCount() <= 1) {
                closedAfter = (System.nanoTime() - start) / 1_000_000L;
                break;
            }
            Thread.sleep(20);
        }
        long closedAfterMillis = closedAfter;

        assertAll(
                () -> assertTrue(closedAfterMillis >= 0, "a subscriber that stopped reading must be closed once a"
                        + " write has been blocked for the 1 s write deadline (Go: slow consumer, WriteDeadline"
                        + " exceeded), but it was still registered " + CLOSE_WITHIN_MILLIS + " ms after the flood;"
                        + " clientCount=" + server.clientCount() + ", " + flood),
                () -> {
                    assertTrue(floodFinished, "publisher's writes blocked: the server stopped reading the publisher"
                            + " while a subscriber was stuck; " + flood);
                    assertNull(flood.failure(), "publisher's connection failed: " + flood);
                    publisher.send("PING\r\n");
                    String line;
                    while (!(line = publisher.readLine(5000)).equals("PONG")) {
                        assertFalse(line.startsWith("-ERR"), "publisher must not get an error: " + line);
                    }
                },
                () -> {
                    // Only MSG frames (the last one possibly cut short), no -ERR, then end of stream. Reading
                    // unblocks the server's writer, so this is bounded by time and volume too.
                    RawClient.Drained drained = stuck.readToEnd(5_000, FLOOD_BYTES + 1024 * 1024,
                            Integer.MAX_VALUE);
                    assertTrue(drained.closedByServer(), "stuck subscriber's socket should reach EOF/reset (closed"
                            + " on write deadline), got " + drained.end() + " after " + drained.bytes().length
                            + " bytes");
                    int frames = WireFrames.checkMsgStream(drained.bytes(), "foo", "1", PAYLOAD);
                    assertTrue(frames > 0, "stuck subscriber had received messages before it stalled");
                    assertTrue(frames < flood.messagesSent(), "stuck subscriber cannot have received everything: "
                            + frames + " of " + flood.messagesSent());
                });
        assertEquals(1, server.clientCount(), "only the publisher remains");
    }

    /**
     * A publisher sending one message at a time, each followed by a PING, must keep getting its PONGs promptly
     * while a subscriber of the same subject is stuck: the Go server never writes to another client's socket
     * from the publisher's read loop (it only signals that client's writeLoop), so the publisher is not held
     * up by the stuck socket; it is only throttled ("fast producer stall") once the stuck client's pending
     * bytes pass half of max_pending (32 MB here), far beyond this test.
     *
     * <p>Reference (nats-server 2.9.10, this test run against it): every round trip stays far below 1 s.
     */
    @Test
    void publisherRoundTripsStayFastWhileASubscriberIsStuck() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .writeDeadline(Duration.ofSeconds(5)));
        int port = server.port();

        stuck = RawClient.connect(port);
        stuck.send("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPING\r\n");
        assertTrue(stuck.readLine(2000).startsWith("INFO "));
        assertEquals("PONG", stuck.readLine(2000), "stuck subscriber's SUB is registered");

        publisher = RawClient.connect(port);
        publisher.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
        assertTrue(publisher.readLine(2000).startsWith("INFO "));
        assertEquals("PONG", publisher.readLine(2000));

        // 12 MB one message at a time: more than the socket buffers between server and stuck subscriber hold.
        byte[] frame = ("PUB foo " + PAYLOAD + "\r\n" + "x".repeat(PAYLOAD) + "\r\nPING\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int messages = 12 * 1024;
        long slowest = 0;
        long start = System.nanoTime();
        for (int i = 0; i < messages && System.nanoTime() - start < 8_000_000_000L; i++) {
            long t = System.nanoTime();
            publisher.send(frame);
            String line;
            try {
                line = publisher.readLine(1_000);
                if (line.equals("PING")) {
                    // The server's own RTT/keep-alive probe: answer it like a client would.
                    publisher.send("PONG\r\n");
                    line = publisher.readLine(1_000);
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("publisher's PING #" + (i + 1) + " not answered within 1 s: the server"
                        + " stopped serving the publisher while a subscriber was stuck (Go keeps answering;"
                        + " stuck subscriber still registered: " + (server.clientCount() == 2) + ")", e);
            }
            assertEquals("PONG", line, "publisher gets only PONGs");
            slowest = Math.max(slowest, System.nanoTime() - t);
        }
        assertTrue(slowest < 1_000_000_000L, "slowest round trip " + slowest / 1_000_000 + " ms");
    }
}
