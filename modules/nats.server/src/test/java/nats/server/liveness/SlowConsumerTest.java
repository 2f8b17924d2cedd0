package nats.server.liveness;

import static org.junit.jupiter.api.Assertions.assertAll;
import nats.testing.RawClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscriber that stops reading must be cut off as a slow consumer without hurting anybody else.
 *
 * <p>Reference (nats-server 2.9.10, same setup, checked on the wire): the stuck subscriber is closed (by the
 * pending-bytes limit, or at the latest by the 10 s default write deadline), is never sent an {@code -ERR}
 * (its buffer is full), and what it can still read afterwards is MSG frames, the last possibly cut short, then
 * end of stream. The publisher stays connected and answers PING; a normal subscriber receives every message.
 */
@Timeout(45)
class SlowConsumerTest {

    private static final int PAYLOAD = 1024;
    private static final long FLOOD_BYTES = 20L * 1024 * 1024;
    private static final long FLOOD_MILLIS = 10_000;
    /** Go closes a stuck subscriber by its write deadline (10 s by default) if the pending limit is not hit first. */
    private static final long CLOSE_WITHIN_MILLIS = 12_000;

    private NatsServer server;
    private Connection good;
    private RawClient slow;
    private RawClient publisher;

    @AfterEach
    void tearDown() throws Exception {
        if (slow != null) {
            slow.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (good != null) {
            good.close();
        }
        if (server != null) {
            server.shutdown();
        }
    }

    @Test
    void stuckSubscriberIsClosedWhilePublisherAndOtherSubscribersCarryOn() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .maxPending(256 * 1024)
                // The Go server refuses a max_payload above max_pending; keep the configuration valid for both.
                .maxPayload(64 * 1024));
        int port = server.port();

        // A well-behaved jnats subscriber.
        List<String> goodEvents = new CopyOnWriteArrayList<>();
        AtomicLong goodReceived = new AtomicLong();
        good = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).noReconnect()
                .connectionListener((conn, event) -> goodEvents.add(event.name()))
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        goodEvents.add("error: " + error);
                    }

                    @Override
                    public void slowConsumerDetected(Connection conn, Consumer consumer) {
                        goodEvents.add("client-side slow consumer");
                    }
                })
                .build());
        Dispatcher dispatcher = good.createDispatcher(m -> goodReceived.incrementAndGet());
        dispatcher.setPendingLimits(-1, -1);
        dispatcher.subscribe("foo");
        good.flush(Duration.ofSeconds(2));

        // The stuck subscriber: subscribes, sees its PONG (so the SUB is registered), then never reads again.
        slow = RawClient.connect(port);
        slow.send("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPING\r\n");
        assertTrue(slow.readLine(2000).startsWith("INFO "), "slow subscriber is greeted with INFO");
        assertEquals("PONG", slow.readLine(2000), "slow subscriber's SUB is registered");

        publisher = RawClient.connect(port);
        publisher.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
        assertTrue(publisher.readLine(2000).startsWith("INFO "));
        assertEquals("PONG", publisher.readLine(2000));
        assertEquals(3, server.clientCount(), "good subscriber, slow subscriber and publisher are connected");

        long start = System.nanoTime();
        Flood flood = Flood.start(publisher, "foo", PAYLOAD, FLOOD_BYTES, FLOOD_MILLIS);

        // The server must drop the stuck subscriber.
        long closedAfter = -1;
        while ((System.nanoTime() - start) / 1_000_000L < CLOSE_WITHIN_MILLIS) {
            if (server.clientCount() <= 2) {
                closedAfter = (System.nanoTime() - start) / 1_000_000L;
                break;
            }
            Thread.sleep(20);
        }
        long closedAfterMillis = closedAfter;
        boolean floodFinished = flood.await(FLOOD_MILLIS + 5_000);
        long expected = flood.messagesSent();

        assertAll(
                () -> assertTrue(closedAfterMillis >= 0, "the stuck subscriber should be closed as a slow consumer"
                        + " within " + CLOSE_WITHIN_MILLIS + " ms; clientCount=" + server.clientCount() + ", " + flood),
                () -> {
                    // The publisher keeps being read: the flood completes instead of blocking in write().
                    assertTrue(floodFinished, "publisher's writes blocked: the server stopped reading the publisher"
                            + " while a subscriber was stuck; " + flood);
                    assertNull(flood.failure(), "publisher's connection failed during the flood: " + flood);
                    // The publisher is still connected and answers PING, without having been sent any error.
                    publisher.send("PING\r\n");
                    String line;
                    while (!(line = publisher.readLine(5000)).equals("PONG")) {
                        assertFalse(line.startsWith("-ERR"), "publisher must not get an error: " + line);
                    }
                },
                () -> {
                    // The normal subscriber stays connected and every message published reaches it.
                    assertEquals(Connection.Status.CONNECTED, good.getStatus(), "normal (reading) subscriber must"
                            + " stay connected while another subscriber is stuck; it received " + goodReceived.get()
                            + " of " + expected + " messages; events " + goodEvents);
                    good.flush(Duration.ofSeconds(5));
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (goodReceived.get() < expected && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertEquals(expected, goodReceived.get(), "normal subscriber should get every message; events "
                            + goodEvents);
                    assertTrue(goodEvents.stream().allMatch(e -> e.equals(ConnectionListener.Events.CONNECTED.name())),
                            "normal subscriber saw no disconnect or error: " + goodEvents);
                },
                () -> {
                    // What the stuck subscriber can still read: only MSG frames (the last one may be cut short),
                    // no -ERR, then the end of the stream.
                    RawClient.Drained drained = slow.readAllToEnd(15_000);
                    assertTrue(drained.closedByServer(), "slow consumer's socket should reach EOF/reset, got "
                            + drained.end() + " after " + drained.bytes().length + " bytes");
                    int frames = WireFrames.checkMsgStream(drained.bytes(), "foo", "1", PAYLOAD);
                    assertTrue(frames > 0, "slow consumer had received messages before it stalled");
                    assertTrue(frames < expected, "slow consumer cannot have received everything");
                });
        assertEquals(2, server.clientCount(), "publisher and normal subscriber remain");
    }
}
