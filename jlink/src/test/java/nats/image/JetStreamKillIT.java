package nats.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image with {@code -js -sd DIR}, killed with SIGKILL while publishers wait for acks: after a restart every
 * acknowledged message is there, sequences go on above them, and the consumer's delivered and ack floor are
 * where the acks left them (acks a client got back are never lost).
 */
class JetStreamKillIT {

    @TempDir
    Path dir;

    private static Connection connect(int port) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    @Timeout(120)
    void acknowledgedMessagesAndConsumerStateSurviveKill9() throws Exception {
        int port = ImageProcess.freePort();
        String store = dir.resolve("store").toString();
        List<PublishAck> acked = new ArrayList<>();
        long ackFloorBefore;
        long deliveredBefore;
        try (ImageProcess server = ImageProcess.start(port, "-js", "-sd", store)) {
            try (Connection nc = connect(port)) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("K9").subjects("k9.>").build());
                jsm.addOrUpdateConsumer("K9", ConsumerConfiguration.builder().durable("c")
                        .ackPolicy(AckPolicy.Explicit).build());
                JetStream js = nc.jetStream();
                for (int i = 0; i < 200; i++) {
                    acked.add(js.publish("k9.sync", ("sync-" + i).getBytes(StandardCharsets.UTF_8)));
                }
                JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("K9", "c"));
                for (Message m : sub.fetch(50, Duration.ofSeconds(5))) {
                    m.ackSync(Duration.ofSeconds(5));
                }
                ConsumerInfo info = jsm.getConsumerInfo("K9", "c");
                ackFloorBefore = info.getAckFloor().getStreamSequence();
                deliveredBefore = info.getDelivered().getStreamSequence();
                // Async publishes in flight when the process dies: only the acked ones must survive.
                List<CompletableFuture<PublishAck>> inFlight = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    inFlight.add(js.publishAsync("k9.async", ("async-" + i).getBytes(StandardCharsets.UTF_8)));
                }
                Thread.sleep(30);
                server.kill9();
                for (CompletableFuture<PublishAck> f : inFlight) {
                    if (f.isDone() && !f.isCompletedExceptionally()) {
                        acked.add(f.get());
                    }
                }
            }
        }
        try (ImageProcess server = ImageProcess.start(port, "-js", "-sd", store); Connection nc = connect(port)) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            for (PublishAck ack : acked) {
                io.nats.client.api.MessageInfo m = jsm.getMessage("K9", ack.getSeqno());
                assertTrue(m.getSubject().startsWith("k9."), "acknowledged message " + ack.getSeqno() + " is back");
            }
            long maxAcked = acked.stream().mapToLong(PublishAck::getSeqno).max().orElse(0);
            PublishAck next = nc.jetStream().publish("k9.after", new byte[0]);
            assertTrue(next.getSeqno() > maxAcked, "sequences continue above every acknowledged one");
            ConsumerInfo info = jsm.getConsumerInfo("K9", "c");
            assertEquals(ackFloorBefore, info.getAckFloor().getStreamSequence(), "ack floor as acknowledged");
            assertEquals(deliveredBefore, info.getDelivered().getStreamSequence(), "delivered as before the kill");
            server.terminate();
        }
    }
}
