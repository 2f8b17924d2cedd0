package nats.server.liveness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.testing.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A busy subscriber's socket is non-blocking (its reader runs on a platform thread), so other readers write small
 * output to it directly. When that subscriber then stops reading, a publisher sending small batches must never
 * wait on its full socket (only Go's fast-producer stall slows it, as with a blocking socket), and the subscriber is
 * cut off as a slow consumer.
 */
@Timeout(45)
class PromotedSlowConsumerTest {

    private final Set<Thread> before = Thread.getAllStackTraces().keySet();
    private NatsServer server;
    private RawClient slow;
    private RawClient publisher;

    @AfterEach
    void tearDown() {
        if (slow != null) {
            slow.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (server != null) {
            server.shutdown();
        }
    }

    @Test
    void stuckPromotedSubscriberNeverHoldsUpThePublisher() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .maxPending(256 * 1024).maxPayload(64 * 1024)
                .writeDeadline(java.time.Duration.ofSeconds(4)));
        slow = RawClient.connect(server.port());
        slow.send("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPING\r\n");
        assertTrue(slow.readLine(2000).startsWith("INFO "), "greeted");
        assertEquals("PONG", slow.readLine(2000), "subscribed");
        // Round trips far above the promotion rate move the subscriber's reader to a platform thread.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!promotedReader() && System.nanoTime() < deadline) {
            for (int i = 0; i < 50; i++) {
                slow.send("PING\r\n");
                assertEquals("PONG", answer(slow), "subscriber's PING answered");
            }
        }
        assertTrue(promotedReader(), "the busy subscriber's reader moved to a platform thread");

        publisher = RawClient.connect(server.port());
        publisher.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
        assertTrue(publisher.readLine(2000).startsWith("INFO "), "publisher greeted");
        assertEquals("PONG", publisher.readLine(2000), "publisher connected");
        // Batches of 30 messages of 100 bytes (about 3.4 KiB of MSG frames each): small enough for the direct
        // write from the publisher's reader. The subscriber reads nothing from now on.
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            batch.append("PUB foo 100\r\n").append("x".repeat(100)).append("\r\n");
        }
        batch.append("PING\r\n");
        String batchText = batch.toString();
        int batches = 0;
        long stop = System.nanoTime() + 20_000_000_000L;
        while (server.clientCount() > 1 && System.nanoTime() < stop && batches < 20_000) {
            publisher.send(batchText);
            // Go's fast-producer stall may hold a message up to 1 s (3 s per batch seen, also with blocking sockets).
            assertEquals("PONG", answer(publisher), "batch " + batches + " answered");
            batches++;
        }
        // The fast-producer stall keeps the pending bytes from reaching the limit quickly, so the write deadline
        // closes it (as in Go); the same happens with blocking sockets.
        assertEquals(1, server.clientCount(), "the stuck subscriber was closed as a slow consumer after "
                + batches + " batches");
        RawClient.Drained drained = slow.readAllToEnd(15_000);
        assertTrue(drained.closedByServer(), "the slow consumer's socket ends, got " + drained.end());
        WireFrames.checkMsgStream(drained.bytes(), "foo", "1", 100);
    }

    /** The next line that is not the server's own PING (its round-trip probe), which is answered. */
    private static String answer(RawClient client) throws java.io.IOException {
        String line;
        while ((line = client.readLine(10_000)).equals("PING")) {
            client.send("PONG\r\n");
        }
        return line;
    }

    private boolean promotedReader() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> !before.contains(t) && t.getName().startsWith("nats-client-"));
    }
}
