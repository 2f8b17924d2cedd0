package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamConfiguration;
import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Streams, consumer state and dedupe ids survive a clean restart on the same store directory. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartTest {

    @TempDir
    Path dir;

    @Test
    void streamsAndConsumerStateComeBack() throws Exception {
        String conf = "jetstream { store_dir: \"%s\" }\n";
        try (JsServer server = JsServer.start(dir, conf); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("KEEP").subjects("keep.*").build());
            JetStream js = nc.jetStream();
            for (int i = 1; i <= 10; i++) {
                js.publish("keep.a", ("m" + i).getBytes(StandardCharsets.UTF_8),
                        PublishOptions.builder().messageId("id-" + i).build());
            }
            jsm.addOrUpdateConsumer("KEEP", ConsumerConfiguration.builder().durable("c").ackPolicy(AckPolicy.Explicit)
                    .ackWait(Duration.ofSeconds(1)).build());
            JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("KEEP", "c"));
            List<Message> got = sub.fetch(4, Duration.ofSeconds(2));
            assertEquals(4, got.size(), "four delivered");
            got.get(0).ackSync(Duration.ofSeconds(2));
            got.get(1).ackSync(Duration.ofSeconds(2));
            got.get(3).ackSync(Duration.ofSeconds(2));
        }
        try (JsServer server = JsServer.start(dir, conf); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            var state = jsm.getStreamInfo("KEEP").getStreamState();
            assertEquals(10, state.getMsgCount(), "messages kept");
            assertEquals(10, state.getLastSequence(), "last sequence kept");
            ConsumerInfo info = jsm.getConsumerInfo("KEEP", "c");
            assertEquals(4, info.getDelivered().getStreamSequence(), "delivered kept");
            assertEquals(2, info.getAckFloor().getStreamSequence(), "ack floor kept");
            assertEquals(1, info.getNumAckPending(), "message 3 still pending");
            JetStream js = nc.jetStream();
            var dup = js.publish("keep.a", "again".getBytes(StandardCharsets.UTF_8),
                    PublishOptions.builder().messageId("id-10").build());
            assertEquals(true, dup.isDuplicate(), "dedupe ids are rebuilt from the stored messages");
            JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("KEEP", "c"));
            // Message 3's ack wait (1 s) runs from its delivery before the restart; once it is over, it comes first.
            Thread.sleep(1200);
            Message m = sub.fetch(1, Duration.ofSeconds(3)).get(0);
            assertNotNull(m, "next delivery");
            assertEquals(3, m.metaData().streamSequence(), "the unacked message is redelivered first");
            assertEquals(2, m.metaData().deliveredCount(), "as a second delivery");
            assertEquals(11, js.publish("keep.b", new byte[0]).getSeqno(), "sequences continue");
        }
    }
}
