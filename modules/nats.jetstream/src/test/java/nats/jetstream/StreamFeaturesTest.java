package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.Republish;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stream options beyond limits: interest retention, republish, rollups, sealing, deny flags, TTLs, headers-only. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamFeaturesTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void interestRetentionKeepsMessagesUntilEveryConsumerAcked() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("I").subjects("i").retentionPolicy(RetentionPolicy.Interest)
                    .build());
            JetStream js = nc.jetStream();
            js.publish("i", bytes("nobody listens"));
            assertEquals(0, jsm.getStreamInfo("I").getStreamState().getMsgCount(), "no consumer: not kept");
            for (String name : List.of("a", "b")) {
                jsm.addOrUpdateConsumer("I", ConsumerConfiguration.builder().durable(name).ackPolicy(AckPolicy.Explicit)
                        .build());
            }
            js.publish("i", bytes("both"));
            assertEquals(1, jsm.getStreamInfo("I").getStreamState().getMsgCount(), "kept for two consumers");
            JetStreamSubscription a = js.subscribe(null, PullSubscribeOptions.bind("I", "a"));
            a.fetch(1, Duration.ofSeconds(2)).get(0).ackSync(Duration.ofSeconds(2));
            assertEquals(1, jsm.getStreamInfo("I").getStreamState().getMsgCount(), "b still needs it");
            JetStreamSubscription b = js.subscribe(null, PullSubscribeOptions.bind("I", "b"));
            b.fetch(1, Duration.ofSeconds(2)).get(0).ackSync(Duration.ofSeconds(2));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (jsm.getStreamInfo("I").getStreamState().getMsgCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, jsm.getStreamInfo("I").getStreamState().getMsgCount(), "gone once both acked");
        }
    }

    @Test
    void republishCopiesStoredMessagesWithStreamHeaders() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("RP").subjects("rp.>")
                    .republish(Republish.builder().source("rp.>").destination("out.>").build()).build());
            Subscription out = nc.subscribe("out.>");
            nc.flush(Duration.ofSeconds(1));
            nc.jetStream().publish("rp.x", bytes("hello"));
            Message m = out.nextMessage(Duration.ofSeconds(2));
            assertNotNull(m, "republished");
            assertEquals("out.x", m.getSubject(), "to the mapped subject");
            assertEquals("RP", m.getHeaders().getFirst("Nats-Stream"), "stream header");
            assertEquals("1", m.getHeaders().getFirst("Nats-Sequence"), "sequence header");
            assertEquals("rp.x", m.getHeaders().getFirst("Nats-Subject"), "original subject header");
            assertEquals("hello", new String(m.getData(), StandardCharsets.UTF_8), "payload");
        }
    }

    @Test
    void rollupSealAndDenyFlags() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("RU").subjects("ru.*").allowRollup(true).denyDelete(true)
                    .build());
            JetStream js = nc.jetStream();
            js.publish("ru.a", bytes("1"));
            js.publish("ru.a", bytes("2"));
            js.publish("ru.b", bytes("3"));
            Headers h = new Headers().add("Nats-Rollup", "sub");
            js.publish(NatsMessage.builder().subject("ru.a").headers(h).data(bytes("roll")).build());
            assertEquals(2, jsm.getStreamInfo("RU").getStreamState().getMsgCount(), "rollup left one per subject");
            JetStreamApiException denied = assertThrows(JetStreamApiException.class, () -> jsm.deleteMessage("RU", 3));
            assertEquals(10057, denied.getApiErrorCode(), "deny delete");
            StreamConfiguration sealed = StreamConfiguration.builder(jsm.getStreamInfo("RU").getConfiguration())
                    .seal().build();
            assertTrue(jsm.updateStream(sealed).getConfiguration().getSealed(), "sealed");
            JetStreamApiException closed = assertThrows(JetStreamApiException.class, () -> js.publish("ru.c", bytes("x")));
            assertEquals(10109, closed.getApiErrorCode(), "sealed stream refuses publishes");
            JetStreamApiException purge = assertThrows(JetStreamApiException.class, () -> jsm.purgeStream("RU"));
            assertEquals(10109, purge.getApiErrorCode(), "and purges");
        }
    }

    @Test
    void headersOnlyConsumerSendsSizes() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("HO").subjects("ho").build());
            nc.jetStream().publish("ho", bytes("twelve bytes"));
            jsm.addOrUpdateConsumer("HO", ConsumerConfiguration.builder().durable("h").headersOnly(true)
                    .ackPolicy(AckPolicy.None).build());
            Message m = nc.jetStream().subscribe(null, PullSubscribeOptions.bind("HO", "h"))
                    .fetch(1, Duration.ofSeconds(2)).get(0);
            assertEquals(0, m.getData().length, "no payload");
            assertEquals("12", m.getHeaders().getFirst("Nats-Msg-Size"), "its size instead");
        }
    }

    @Test
    void multipleFilterSubjectsAndMaxAckPending() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("MF").subjects("mf.*").build());
            JetStream js = nc.jetStream();
            for (String s : List.of("a", "b", "c", "a", "b", "c")) {
                js.publish("mf." + s, bytes(s));
            }
            // jnats asks for a 2.10 server before it sends filter_subjects (INFO says 2.9.10): use the API directly.
            String create = "{\"stream_name\":\"MF\",\"config\":{\"durable_name\":\"two\","
                    + "\"filter_subjects\":[\"mf.a\",\"mf.c\"],\"ack_policy\":\"explicit\",\"max_ack_pending\":2}}";
            String reply = new String(nc.request("$JS.API.CONSUMER.CREATE.MF.two", bytes(create), Duration.ofSeconds(2))
                    .getData(), StandardCharsets.UTF_8);
            assertTrue(reply.contains("\"filter_subjects\":[\"mf.a\",\"mf.c\"]"), "created: " + reply);
            JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("MF", "two"));
            List<Message> first = sub.fetch(10, Duration.ofMillis(800));
            assertEquals(2, first.size(), "max ack pending 2 holds the rest back");
            first.forEach(Message::ack);
            nc.flush(Duration.ofSeconds(1));
            List<Message> rest = sub.fetch(10, Duration.ofMillis(800));
            assertEquals(2, rest.size(), "the other two matches follow");
            for (Message m : rest) {
                assertTrue(m.getSubject().equals("mf.a") || m.getSubject().equals("mf.c"), "only the filters");
            }
        }
    }

    @Test
    void perMessageTtlNeedsTheStreamToAllowIt() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("T0").subjects("t0").build());
            Headers ttl = new Headers().add("Nats-TTL", "1s");
            JetStreamApiException off = assertThrows(JetStreamApiException.class, () -> nc.jetStream().publish(
                    NatsMessage.builder().subject("t0").headers(ttl).data(bytes("x")).build()));
            assertEquals(10166, off.getApiErrorCode(), "per-message TTL is disabled");
            String create = "{\"name\":\"T1\",\"subjects\":[\"t1\"],\"allow_msg_ttl\":true}";
            nc.request("$JS.API.STREAM.CREATE.T1", bytes(create), Duration.ofSeconds(2));
            nc.jetStream().publish(NatsMessage.builder().subject("t1").headers(ttl).data(bytes("x")).build());
            assertEquals(1, jsm.getStreamInfo("T1").getStreamState().getMsgCount(), "stored");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (jsm.getStreamInfo("T1").getStreamState().getMsgCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, jsm.getStreamInfo("T1").getStreamState().getMsgCount(), "expired after its TTL");
        }
    }

    @Test
    void consumerPauseHoldsDelivery() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("PA").subjects("pa").build());
            nc.jetStream().publish("pa", bytes("x"));
            jsm.addOrUpdateConsumer("PA", ConsumerConfiguration.builder().durable("p").ackPolicy(AckPolicy.None).build());
            String until = java.time.Instant.now().plusSeconds(60).toString();
            Message resp = nc.request("$JS.API.CONSUMER.PAUSE.PA.p", bytes("{\"pause_until\":\"" + until + "\"}"),
                    Duration.ofSeconds(2));
            assertTrue(new String(resp.getData(), StandardCharsets.UTF_8).contains("\"paused\":true"), "paused");
            JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind("PA", "p"));
            assertTrue(sub.fetch(1, Duration.ofMillis(500)).isEmpty(), "nothing while paused");
            nc.request("$JS.API.CONSUMER.PAUSE.PA.p", new byte[0], Duration.ofSeconds(2));
            assertEquals(1, sub.fetch(1, Duration.ofSeconds(2)).size(), "delivered once resumed");
        }
    }

    @Test
    void directGetAndLastBySubject() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("DG").subjects("dg.*").allowDirect(true).build());
            nc.jetStream().publish("dg.a", bytes("one"));
            nc.jetStream().publish("dg.a", bytes("two"));
            var last = jsm.getLastMessage("DG", "dg.a");
            assertEquals("two", new String(last.getData(), StandardCharsets.UTF_8), "last by subject");
            assertEquals(2, last.getSeq(), "its sequence");
            assertNull(nc.request("$JS.API.DIRECT.GET.NOPE", bytes("{\"seq\":1}"), Duration.ofMillis(300)),
                    "no direct get without the stream: no responder");
        }
    }
}
