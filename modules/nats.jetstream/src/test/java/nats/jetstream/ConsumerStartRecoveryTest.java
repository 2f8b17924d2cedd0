package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamConfiguration;
import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer created on an empty stream that delivered nothing yet keeps its start across a restart: a
 * deliver-new consumer must not skip what was stored after its creation (MQTT sessions rely on it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerStartRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void deliverNewConsumerOnAnEmptyStreamKeepsItsStart() throws Exception {
        String conf = "jetstream { store_dir: \"%s\" }\n";
        try (JsServer server = JsServer.start(dir, conf); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("S").subjects("s.*").build());
            jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("c").ackPolicy(AckPolicy.Explicit)
                    .deliverPolicy(DeliverPolicy.New).build());
            nc.jetStream().publish("s.a", "after-create".getBytes(StandardCharsets.UTF_8));
        }
        try (JsServer server = JsServer.start(dir, conf); Connection nc = server.connect()) {
            assertEquals(1, nc.jetStreamManagement().getConsumerInfo("S", "c").getNumPending(),
                    "the message stored after the consumer's creation is still pending for it");
            JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind("S", "c"));
            Message m = sub.fetch(1, Duration.ofSeconds(3)).stream().findFirst().orElse(null);
            assertNotNull(m, "delivered after the restart");
            assertEquals("after-create", new String(m.getData(), StandardCharsets.UTF_8), "the message");
        }
    }
}
