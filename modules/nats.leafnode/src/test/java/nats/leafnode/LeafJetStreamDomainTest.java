package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Messaging;
import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * JetStream domains across a leaf connection: the hub runs {@code jetstream { domain: HUB }}, which maps
 * {@code $JS.HUB.API.>} to its {@code $JS.API.>} (Go's generateJSMappingTable) and announces those sources to its
 * leaves; a jnats client on the leaf with {@code JetStreamOptions.domain("HUB")} creates a stream there, publishes
 * to it and pulls the messages back (shown with their own subjects: the delivery crosses with Go's
 * {@code $JS.ACK...@<subject>} reply). Our leaf on a Go 2.9.10 hub, on ours, and a Go leaf on ours.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeafJetStreamDomainTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void ourLeafUsesAGoHubsDomain() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        Path store = Files.createDirectories(dir.resolve("go-js"));
        try (GoServer hub = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + hubHttp
                + "\njetstream { domain: HUB, store_dir: \"" + store + "\" }\nleafnodes { listen: 127.0.0.1:"
                + hubLeaf + " }\n");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + hubLeaf
                     + "\"}] }")) {
            Leafz.await(WAIT, 1, hubHttp, leaf.httpPort);
            useTheHubsJetStream(leaf.clientUrl());
        }
    }

    @Test
    void ourLeafUsesOurHubsDomain() throws Exception {
        Path store = Files.createDirectories(dir.resolve("our-js"));
        try (Ours hub = Ours.start(dir, "HUB", "jetstream { domain: HUB, store_dir: \"" + store + "\" }\n"
                + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            useTheHubsJetStream(leaf.clientUrl());
        }
    }

    @Test
    void aGoLeafUsesOurHubsDomain() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        Path store = Files.createDirectories(dir.resolve("our-js"));
        int leafHttp = Ports.free();
        try (Ours hub = Ours.start(dir, "HUB", "jetstream { domain: HUB, store_dir: \"" + store + "\" }\n"
                + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             GoServer leaf = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + leafHttp
                     + "\nleafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }\n")) {
            Leafz.await(WAIT, 1, hub.httpPort, leafHttp);
            useTheHubsJetStream("nats://127.0.0.1:" + leaf.port());
        }
    }

    private static void useTheHubsJetStream(String leafUrl) throws Exception {
        try (Connection c = Messaging.connect(leafUrl)) {
            JetStreamOptions domain = JetStreamOptions.builder().domain("HUB").build();
            JetStreamManagement jsm = awaitManagement(c, domain);
            StreamInfo info = jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .storageType(StorageType.Memory).build());
            assertEquals("ORDERS", info.getConfiguration().getName(), "the stream was created over the leaf");
            JetStream js = c.jetStream(domain);
            for (int i = 0; i < 3; i++) {
                PublishAck ack = js.publish("orders." + i, ("o" + i).getBytes(StandardCharsets.UTF_8));
                assertEquals("ORDERS", ack.getStream(), "acknowledged by the hub's stream");
                assertEquals("HUB", ack.getDomain(), "the hub's domain in the ack");
            }
            JetStreamSubscription sub = js.subscribe("orders.>", PullSubscribeOptions.builder().durable("d").build());
            List<Message> got = sub.fetch(3, WAIT);
            assertEquals(3, got.size(), "pulled through the domain's API");
            assertEquals("o0", new String(got.get(0).getData(), StandardCharsets.UTF_8));
            assertEquals("orders.0", got.get(0).getSubject(), "shown with its own subject, not the pull inbox");
            got.forEach(Message::ack);
            assertEquals(3, jsm.getStreamInfo("ORDERS").getStreamState().getMsgCount(), "three messages stored");
        }
    }

    /** Interest in the domain's API reaches the leaf asynchronously: ask until the hub answers. */
    private static JetStreamManagement awaitManagement(Connection c, JetStreamOptions domain) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                JetStreamManagement jsm = c.jetStreamManagement(domain);
                assertNotNull(jsm.getAccountStatistics(), "account info from the hub");
                return jsm;
            } catch (Exception e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the hub's JetStream never answered over the leaf", last);
    }
}
