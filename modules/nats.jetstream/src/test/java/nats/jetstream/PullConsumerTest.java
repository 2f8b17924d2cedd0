package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamConfiguration;
import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Pull consumers with jnats: fetch, batches, explicit acks, redelivery after ack wait, NAK, max deliver. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PullConsumerTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void publish(JetStream js, String subject, int count) throws Exception {
        for (int i = 1; i <= count; i++) {
            js.publish(subject, bytes("m" + i));
        }
    }

    /**
     * A UTF-8 filter subject, which jnats puts in the create subject as well as in the JSON (the jnats suite's
     * PublishTests.testUtf8Subjects): both read the same, the consumer is created and delivers the message under
     * its subject as published (read with jnats's UTF-8 subject support, as that suite does; see Utf8SubjectTest).
     */
    @Test
    void consumerWithAUtf8FilterSubject() throws Exception {
        String subject = "utf8.\u00fc\u6d4b\u8bd5";
        try (JsServer server = JsServer.start(dir); Connection nc = server.connectUtf8Subjects()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("U").subjects("utf8.>").build());
            JetStream js = nc.jetStream();
            js.publish(subject, bytes("m1"));
            ConsumerInfo info = jsm.addOrUpdateConsumer("U", ConsumerConfiguration.builder().durable("u")
                    .filterSubject(subject).build());
            assertEquals(subject, info.getConsumerConfiguration().getFilterSubject());
            JetStreamSubscription sub = js.subscribe(subject, PullSubscribeOptions.bind("U", "u"));
            List<Message> batch = sub.fetch(1, Duration.ofSeconds(2));
            assertEquals(1, batch.size(), "the message under the UTF-8 subject");
            assertEquals("m1", new String(batch.get(0).getData(), StandardCharsets.UTF_8));
            assertEquals(subject, batch.get(0).getSubject(), "delivered under the subject it was published to");
        }
    }

    @Test
    void fetchDeliversInOrderAndAcksMoveTheFloor() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("P").subjects("p.>").build());
            JetStream js = nc.jetStream();
            publish(js, "p.a", 20);
            JetStreamSubscription sub = js.subscribe("p.>", PullSubscribeOptions.builder().durable("worker").build());
            List<Message> batch = sub.fetch(10, Duration.ofSeconds(2));
            assertEquals(10, batch.size(), "a batch of ten");
            for (int i = 0; i < 10; i++) {
                assertEquals("m" + (i + 1), new String(batch.get(i).getData(), StandardCharsets.UTF_8), "in order");
                assertEquals(i + 1, batch.get(i).metaData().streamSequence(), "stream sequence in the ack subject");
                assertEquals("p.a", batch.get(i).getSubject(), "delivered under the message's own subject");
                batch.get(i).ack();
            }
            nc.flush(Duration.ofSeconds(2));
            ConsumerInfo info = waitForAckFloor(jsm, "P", "worker", 10);
            assertEquals(10, info.getDelivered().getStreamSequence(), "ten delivered");
            assertEquals(0, info.getNumAckPending(), "nothing pending");
            assertEquals(10, info.getNumPending(), "ten still to deliver");
            List<Message> rest = sub.fetch(50, Duration.ofSeconds(1));
            assertEquals(10, rest.size(), "the other ten, then the request expires");
        }
    }

    private static ConsumerInfo waitForAckFloor(JetStreamManagement jsm, String stream, String consumer, long floor)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        ConsumerInfo info;
        do {
            info = jsm.getConsumerInfo(stream, consumer);
            if (info.getAckFloor().getStreamSequence() >= floor) {
                return info;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return info;
    }

    @Test
    void unackedMessagesComeBackAfterAckWait() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("R").subjects("r").build());
            JetStream js = nc.jetStream();
            publish(js, "r", 3);
            jsm.addOrUpdateConsumer("R", ConsumerConfiguration.builder().durable("slow").ackPolicy(AckPolicy.Explicit)
                    .ackWait(Duration.ofMillis(500)).build());
            JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("R", "slow"));
            List<Message> first = sub.fetch(3, Duration.ofSeconds(2));
            assertEquals(3, first.size(), "three delivered");
            first.get(0).ack();
            first.get(2).ack();
            nc.flush(Duration.ofSeconds(1));
            List<Message> again = sub.fetch(1, Duration.ofSeconds(3));
            assertEquals(1, again.size(), "only the unacked one comes back: " + again.stream()
                    .map(m -> m.metaData().streamSequence() + "/" + m.metaData().deliveredCount()).toList());
            assertEquals(2, again.get(0).metaData().streamSequence(), "message 2");
            assertEquals(2, again.get(0).metaData().deliveredCount(), "on its second delivery");
            assertEquals(1, jsm.getConsumerInfo("R", "slow").getRedelivered(), "one message is being redelivered");
            again.get(0).ack();
            nc.flush(Duration.ofSeconds(1));
            ConsumerInfo info = waitForAckFloor(jsm, "R", "slow", 3);
            assertEquals(3, info.getAckFloor().getStreamSequence(), "all acked");
            assertEquals(0, info.getRedelivered(), "an ack clears its redelivery count, as in Go");
        }
    }

    @Test
    void nakRedeliversAtOnceAndMaxDeliverStopsIt() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("K").subjects("k").build());
            JetStream js = nc.jetStream();
            publish(js, "k", 1);
            jsm.addOrUpdateConsumer("K", ConsumerConfiguration.builder().durable("c").ackPolicy(AckPolicy.Explicit)
                    .maxDeliver(3).build());
            JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("K", "c"));
            for (int i = 1; i <= 3; i++) {
                List<Message> got = sub.fetch(1, Duration.ofSeconds(2));
                assertEquals(1, got.size(), "delivery " + i);
                assertEquals(i, got.get(0).metaData().deliveredCount(), "delivery count " + i);
                got.get(0).nak();
            }
            assertTrue(sub.fetch(1, Duration.ofMillis(700)).isEmpty(), "no fourth delivery past max_deliver 3");
        }
    }

    @Test
    void noWaitFetchOnAnEmptyStreamEndsAtOnce() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("E").subjects("e").build());
            JetStreamSubscription sub = nc.jetStream().subscribe("e",
                    PullSubscribeOptions.builder().durable("d").build());
            long start = System.nanoTime();
            java.util.Iterator<Message> none = sub.iterate(5, Duration.ofSeconds(1));
            List<Message> got = new ArrayList<>();
            none.forEachRemaining(got::add);
            assertTrue(got.isEmpty(), "nothing to fetch");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "the request ends in time");
        }
    }

    @Test
    void ackAllAcknowledgesEverythingBefore() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("A").subjects("a").build());
            JetStream js = nc.jetStream();
            publish(js, "a", 5);
            jsm.addOrUpdateConsumer("A", ConsumerConfiguration.builder().durable("all").ackPolicy(AckPolicy.All)
                    .build());
            JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("A", "all"));
            List<Message> got = sub.fetch(5, Duration.ofSeconds(2));
            assertEquals(5, got.size(), "five delivered");
            got.get(3).ack();
            nc.flush(Duration.ofSeconds(1));
            ConsumerInfo info = waitForAckFloor(jsm, "A", "all", 4);
            assertEquals(4, info.getAckFloor().getStreamSequence(), "ack of 4 acks 1..4");
            assertEquals(1, info.getNumAckPending(), "only 5 pending");
        }
    }

    @Test
    void workQueueRemovesAckedMessages() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("WQ").subjects("wq")
                    .retentionPolicy(io.nats.client.api.RetentionPolicy.WorkQueue).build());
            JetStream js = nc.jetStream();
            publish(js, "wq", 4);
            JetStreamSubscription sub = js.subscribe("wq", PullSubscribeOptions.builder().durable("w").build());
            for (Message m : sub.fetch(4, Duration.ofSeconds(2))) {
                m.ackSync(Duration.ofSeconds(2));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            long left;
            do {
                left = jsm.getStreamInfo("WQ").getStreamState().getMsgCount();
            } while (left > 0 && System.nanoTime() < deadline);
            assertEquals(0, left, "acked work is removed from a work queue");
            var second = assertThrowsApi(() -> jsm.addOrUpdateConsumer("WQ",
                    ConsumerConfiguration.builder().durable("w2").ackPolicy(AckPolicy.Explicit).build()));
            assertEquals(10099, second, "a second unfiltered consumer is refused");
        }
    }

    /** Go 2.9.10 (checked with its server: 5 messages before, 5 after) releases messages only of interest streams. */
    @Test
    void deletingAWorkQueueConsumerKeepsItsMessages() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("WQD").subjects("wqd")
                    .retentionPolicy(io.nats.client.api.RetentionPolicy.WorkQueue).build());
            publish(nc.jetStream(), "wqd", 5);
            jsm.addOrUpdateConsumer("WQD", ConsumerConfiguration.builder().durable("w")
                    .ackPolicy(AckPolicy.Explicit).build());
            assertTrue(jsm.deleteConsumer("WQD", "w"), "expected the consumer deleted");
            Thread.sleep(300);
            assertEquals(5, jsm.getStreamInfo("WQD").getStreamState().getMsgCount(),
                    "expected the work queue to keep its messages for the next consumer");
        }
    }

    private static int assertThrowsApi(org.junit.jupiter.api.function.Executable e) {
        io.nats.client.JetStreamApiException ex = org.junit.jupiter.api.Assertions.assertThrows(
                io.nats.client.JetStreamApiException.class, e);
        return ex.getApiErrorCode();
    }

    @Test
    void ephemeralPullConsumerAndInfo() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("F").subjects("f.*").build());
            JetStream js = nc.jetStream();
            js.publish("f.a", bytes("1"));
            js.publish("f.b", bytes("2"));
            js.publish("f.a", bytes("3"));
            JetStreamSubscription sub = js.subscribe("f.a", PullSubscribeOptions.builder().build());
            List<Message> got = sub.fetch(5, Duration.ofSeconds(1));
            assertEquals(2, got.size(), "the filter selects f.a only");
            ConsumerInfo info = sub.getConsumerInfo();
            assertNotNull(info.getName(), "ephemeral gets a name");
            assertEquals("f.a", info.getConsumerConfiguration().getFilterSubject(), "filter kept");
            assertNull(info.getConsumerConfiguration().getDurable(), "no durable name");
        }
    }
}
