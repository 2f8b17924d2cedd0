package nats.server;

import nats.server.options.ServerOptions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Core pub/sub behaviour exercised end to end with the official Java client (jnats). */
@Timeout(30)
class JnatsCoreTest {

    private NatsServer server;
    private Connection nc;

    @BeforeEach
    void start() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT));
        nc = Nats.connect(url());
    }

    @AfterEach
    void stop() throws Exception {
        if (nc != null) {
            nc.close();
        }
        server.shutdown();
    }

    private String url() {
        return "nats://127.0.0.1:" + server.port();
    }

    @Test
    void publishedMessageReachesSubscriber() throws Exception {
        Subscription sub = nc.subscribe("greet.joe");
        nc.flush(Duration.ofSeconds(2));
        nc.publish("greet.joe", "hello".getBytes(StandardCharsets.UTF_8));
        Message m = sub.nextMessage(Duration.ofSeconds(2));
        assertNotNull(m, "expected the published message");
        assertEquals("hello", new String(m.getData(), StandardCharsets.UTF_8), "payload should arrive unchanged");
    }

    @Test
    void wildcardsMatchLikeGo() throws Exception {
        Subscription star = nc.subscribe("a.*.c");
        Subscription full = nc.subscribe("a.>");
        nc.flush(Duration.ofSeconds(2));
        nc.publish("a.b.c", new byte[] {1});
        nc.publish("a.b.c.d", new byte[] {2});
        nc.publish("a", new byte[] {3});
        nc.flush(Duration.ofSeconds(2));
        assertEquals(1, star.nextMessage(Duration.ofSeconds(1)).getData()[0], "a.*.c matches a.b.c");
        assertNull(star.nextMessage(Duration.ofMillis(200)), "a.*.c must not match a.b.c.d");
        assertEquals(1, full.nextMessage(Duration.ofSeconds(1)).getData()[0], "a.> matches a.b.c");
        assertEquals(2, full.nextMessage(Duration.ofSeconds(1)).getData()[0], "a.> matches a.b.c.d");
        assertNull(full.nextMessage(Duration.ofMillis(200)), "a.> must not match a");
    }

    @Test
    void queueGroupDeliversEachMessageOnce() throws Exception {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(1000);
        Dispatcher d = nc.createDispatcher();
        d.subscribe("work", "workers", m -> { a.incrementAndGet(); all.countDown(); });
        d.subscribe("work", "workers", m -> { b.incrementAndGet(); all.countDown(); });
        nc.flush(Duration.ofSeconds(2));
        for (int i = 0; i < 1000; i++) {
            nc.publish("work", new byte[] {(byte) i});
        }
        assertTrue(all.await(5, TimeUnit.SECONDS), "all 1000 messages should be delivered");
        Thread.sleep(200);
        assertEquals(1000, a.get() + b.get(), "each message goes to exactly one member");
        assertTrue(a.get() > 100 && b.get() > 100, "members should share the load: " + a + "/" + b);
    }

    @Test
    void requestReply() throws Exception {
        Dispatcher d = nc.createDispatcher(m -> nc.publish(m.getReplyTo(), m.getData()));
        d.subscribe("echo");
        nc.flush(Duration.ofSeconds(2));
        Message reply = nc.request("echo", "ping".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
        assertNotNull(reply, "expected a reply");
        assertEquals("ping", new String(reply.getData(), StandardCharsets.UTF_8), "echo replies with the request");
    }

    @Test
    void noRespondersFailsRequestFast() {
        CompletableFuture<Message> f = nc.request("nobody.home", new byte[0]);
        // jnats cancels the request future when the server answers with the 503 no-responders status.
        assertThrows(java.util.concurrent.CancellationException.class, () -> f.get(2, TimeUnit.SECONDS),
                "a request with no responders should end at once with the 503 status, not time out");
    }

    @Test
    void headersRoundTrip() throws Exception {
        Subscription sub = nc.subscribe("hdr");
        nc.flush(Duration.ofSeconds(2));
        Headers h = new Headers().add("X-Trace", "abc", "def");
        nc.publish(NatsMessage.builder().subject("hdr").headers(h).data("body").build());
        Message m = sub.nextMessage(Duration.ofSeconds(2));
        assertNotNull(m, "expected the message with headers");
        assertEquals(java.util.List.of("abc", "def"), m.getHeaders().get("X-Trace"), "header values survive");
        assertArrayEquals("body".getBytes(StandardCharsets.UTF_8), m.getData(), "payload survives");
    }

    @Test
    void autoUnsubscribeStopsAfterMax() throws Exception {
        Subscription sub = nc.subscribe("limited");
        sub.unsubscribe(3);
        nc.flush(Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            nc.publish("limited", new byte[] {(byte) i});
        }
        nc.flush(Duration.ofSeconds(2));
        int got = 0;
        // jnats deactivates the subscription once the limit is reached, as the server drops it.
        while (sub.isActive() || sub.getPendingMessageCount() > 0) {
            if (sub.nextMessage(Duration.ofMillis(300)) == null) {
                break;
            }
            got++;
        }
        assertEquals(3, got, "UNSUB with max 3 delivers exactly 3 messages");
    }

    @Test
    void echoFalseSuppressesOwnMessages() throws Exception {
        try (Connection noEcho = Nats.connect(new Options.Builder().server(url()).noEcho().build())) {
            Subscription own = noEcho.subscribe("e");
            Subscription other = nc.subscribe("e");
            noEcho.flush(Duration.ofSeconds(2));
            nc.flush(Duration.ofSeconds(2));
            noEcho.publish("e", new byte[] {9});
            noEcho.flush(Duration.ofSeconds(2));
            assertNotNull(other.nextMessage(Duration.ofSeconds(2)), "other connections still receive");
            assertNull(own.nextMessage(Duration.ofMillis(300)), "echo:false suppresses own messages");
        }
    }

    @Test
    void drainDeliversPendingThenCloses() throws Exception {
        AtomicInteger received = new AtomicInteger();
        Connection sub = Nats.connect(url());
        Dispatcher d = sub.createDispatcher(m -> received.incrementAndGet());
        d.subscribe("drain.me");
        sub.flush(Duration.ofSeconds(2));
        for (int i = 0; i < 100; i++) {
            nc.publish("drain.me", new byte[8]);
        }
        nc.flush(Duration.ofSeconds(2));
        assertTrue(sub.drain(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS), "drain should complete");
        assertEquals(100, received.get(), "drain delivers everything already sent");
    }

    @Test
    void reconnectsAfterServerRestart() throws Exception {
        int port = server.port();
        CountDownLatch reconnected = new CountDownLatch(1);
        try (Connection rc = Nats.connect(new Options.Builder().server(url()).reconnectWait(Duration.ofMillis(100))
                .maxReconnects(-1).connectionListener((conn, type) -> {
                    if (type == io.nats.client.ConnectionListener.Events.RECONNECTED) {
                        reconnected.countDown();
                    }
                }).build())) {
            Subscription sub = rc.subscribe("after.restart");
            rc.flush(Duration.ofSeconds(2));
            server.shutdown();
            server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(port));
            assertTrue(reconnected.await(10, TimeUnit.SECONDS), "client should reconnect to the restarted server");
            rc.flush(Duration.ofSeconds(2));
            try (Connection pub = Nats.connect(url())) {
                pub.publish("after.restart", new byte[] {7});
                pub.flush(Duration.ofSeconds(2));
            }
            assertNotNull(sub.nextMessage(Duration.ofSeconds(3)), "subscriptions are restored after reconnect");
        }
    }
}
