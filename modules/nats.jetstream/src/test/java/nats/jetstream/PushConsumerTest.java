package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamConfiguration;
import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Push consumers with jnats: deliver subjects, queue groups, deliver policies, heartbeats, flow control, ordered. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PushConsumerTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pushConsumerDeliversEverythingAndNewMessages() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("S").subjects("s.>").build());
            JetStream js = nc.jetStream();
            for (int i = 0; i < 5; i++) {
                js.publish("s.x", bytes("old" + i));
            }
            JetStreamSubscription sub = js.subscribe("s.>", PushSubscribeOptions.builder().durable("push").build());
            for (int i = 0; i < 5; i++) {
                Message m = sub.nextMessage(Duration.ofSeconds(2));
                assertNotNull(m, "stored message " + i);
                assertEquals("old" + i, new String(m.getData(), StandardCharsets.UTF_8), "in order");
                assertEquals("s.x", m.getSubject(), "its own subject");
                m.ack();
            }
            js.publish("s.y", bytes("new"));
            Message m = sub.nextMessage(Duration.ofSeconds(2));
            assertNotNull(m, "a new message arrives");
            assertEquals("s.y", m.getSubject(), "with its subject");
        }
    }

    @Test
    void deliverPolicies() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("DP").subjects("dp.*").build());
            JetStream js = nc.jetStream();
            js.publish("dp.a", bytes("a1"));
            js.publish("dp.b", bytes("b1"));
            js.publish("dp.a", bytes("a2"));
            js.publish("dp.b", bytes("b2"));
            assertEquals(List.of("b2"), take(js, "dp.*", DeliverPolicy.Last, null, 1), "last");
            assertEquals(List.of("a2", "b2"), take(js, "dp.*", DeliverPolicy.LastPerSubject, null, 2), "last per subject");
            assertEquals(List.of("a2", "b2"), take(js, "dp.*", DeliverPolicy.ByStartSequence, 3L, 2), "by start seq");
            assertEquals(List.of("a1", "a2"), take(js, "dp.a", DeliverPolicy.All, null, 2), "filtered");
        }
    }

    private static List<String> take(JetStream js, String subject, DeliverPolicy policy, Long start, int count)
            throws Exception {
        ConsumerConfiguration.Builder cc = ConsumerConfiguration.builder().deliverPolicy(policy)
                .ackPolicy(AckPolicy.None);
        if (start != null) {
            cc.startSequence(start);
        }
        JetStreamSubscription sub = js.subscribe(subject, PushSubscribeOptions.builder().configuration(cc.build()).build());
        List<String> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = sub.nextMessage(Duration.ofSeconds(2));
            assertNotNull(m, policy + ": message " + i);
            got.add(new String(m.getData(), StandardCharsets.UTF_8));
        }
        assertEquals(null, sub.nextMessage(Duration.ofMillis(200)), policy + ": nothing more");
        sub.unsubscribe();
        return got;
    }

    @Test
    void deliverGroupSpreadsMessages() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("Q").subjects("q").build());
            JetStream js = nc.jetStream();
            Set<String> seen = ConcurrentHashMap.newKeySet();
            CountDownLatch all = new CountDownLatch(40);
            Dispatcher d = nc.createDispatcher();
            List<Integer> perMember = new ArrayList<>(List.of(0, 0));
            for (int member = 0; member < 2; member++) {
                int index = member;
                js.subscribe("q", "workers", d, m -> {
                    seen.add(new String(m.getData(), StandardCharsets.UTF_8));
                    synchronized (perMember) {
                        perMember.set(index, perMember.get(index) + 1);
                    }
                    m.ack();
                    all.countDown();
                }, false, PushSubscribeOptions.builder().durable("wq").build());
            }
            for (int i = 0; i < 40; i++) {
                js.publish("q", bytes("job" + i));
            }
            assertTrue(all.await(10, TimeUnit.SECONDS), "every message delivered once");
            assertEquals(40, seen.size(), "no duplicates, none lost");
        }
    }

    @Test
    void idleHeartbeatsAndFlowControlReachTheClient() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("HB").subjects("hb").build());
            JetStream js = nc.jetStream();
            String inbox = "hb.deliver";
            nc.jetStreamManagement().addOrUpdateConsumer("HB", ConsumerConfiguration.builder().durable("h")
                    .deliverSubject(inbox).idleHeartbeat(Duration.ofMillis(200)).flowControl(Duration.ofMillis(200))
                    .build());
            var raw = nc.subscribe(inbox);
            Message hb = raw.nextMessage(Duration.ofSeconds(2));
            assertNotNull(hb, "an idle heartbeat arrives");
            assertTrue(hb.isStatusMessage(), "as a status message");
            assertEquals(100, hb.getStatus().getCode(), "status 100");
            assertEquals("Idle Heartbeat", hb.getStatus().getMessage(), "Go's text");
            assertEquals("0", hb.getHeaders().getFirst("Nats-Last-Consumer"), "last consumer sequence header");
        }
    }

    @Test
    void orderedConsumerReadsTheStream() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("O").subjects("o.*").build());
            JetStream js = nc.jetStream();
            for (int i = 0; i < 50; i++) {
                js.publish("o." + (i % 3), bytes("v" + i));
            }
            JetStreamSubscription sub = js.subscribe("o.*", PushSubscribeOptions.builder().ordered(true).build());
            for (int i = 0; i < 50; i++) {
                Message m = sub.nextMessage(Duration.ofSeconds(2));
                assertNotNull(m, "ordered message " + i);
                assertEquals("v" + i, new String(m.getData(), StandardCharsets.UTF_8), "in stream order");
            }
        }
    }

    @Test
    void ephemeralGoesAwayWhenItsSubscriberLeaves() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("EPH").subjects("eph").build());
            jsm.addOrUpdateConsumer("EPH", ConsumerConfiguration.builder().name("short").deliverSubject("eph.in")
                    .inactiveThreshold(Duration.ofMillis(300)).build());
            assertEquals(1, jsm.getConsumerNames("EPH").size(), "created");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!jsm.getConsumerNames("EPH").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(!jsm.getConsumerNames("EPH").isEmpty(), "an ephemeral without interest is deleted");
        }
    }
}
