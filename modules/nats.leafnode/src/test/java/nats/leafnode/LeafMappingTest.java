package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
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
 * A hub's subject mappings reach its leaves as Go 2.9 does it: the hub announces each mapping's source to its leaf
 * connections (initLeafNodeSmapAndSendSubs, "Likewise for mappings"), the leaf sends what its clients publish
 * there, and the hub maps it (Go's parser maps leaf messages as clients'). A subscriber of the destination on the
 * hub gets it; the stand-in for the source is no subscription in {@code /subsz}. Go hub (the oracle), ours, and
 * ours with a Go leaf.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeafMappingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String MAPPINGS = "mappings { \"orders.new\": \"svc.orders\" }\n";

    @TempDir
    Path dir;

    @Test
    void aGoHubsMapping() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        int leafHttp = Ports.free();
        try (GoServer hub = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + hubHttp + "\n"
                + MAPPINGS + "leafnodes { listen: 127.0.0.1:" + hubLeaf + " }\n");
             GoServer leaf = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + leafHttp
                     + "\nleafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + hubLeaf + "\"}] }\n")) {
            Leafz.await(WAIT, 1, hubHttp, leafHttp);
            assertMapped("nats://127.0.0.1:" + hub.port(), "nats://127.0.0.1:" + leaf.port());
        }
    }

    @Test
    void ourHubsMapping() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", MAPPINGS + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            Map<String, Object> subsz = Leafz.get(hub.httpPort, "/subsz?subs=1&acc=%24G&test=orders.new");
            assertEquals(null, subsz.get("subscriptions_list"), "the mapping's source is listed as no subscription");
            assertMapped(hub.clientUrl(), leaf.clientUrl());
        }
    }

    @Test
    void ourHubsMappingForAGoLeaf() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int leafHttp = Ports.free();
        try (Ours hub = Ours.start(dir, "HUB", MAPPINGS + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             GoServer leaf = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + leafHttp
                     + "\nleafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }\n")) {
            Leafz.await(WAIT, 1, hub.httpPort, leafHttp);
            assertMapped(hub.clientUrl(), "nats://127.0.0.1:" + leaf.port());
        }
    }

    /** A message published on the leaf to the mapping's source reaches the hub's subscriber of its destination. */
    private static void assertMapped(String hubUrl, String leafUrl) throws Exception {
        try (Connection onHub = Messaging.connect(hubUrl); Connection onLeaf = Messaging.connect(leafUrl)) {
            Subscription svc = onHub.subscribe("svc.orders");
            onHub.flush(WAIT);
            Message m = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (m == null && System.nanoTime() < deadline) {
                onLeaf.publish("orders.new", "o".getBytes(StandardCharsets.UTF_8));
                onLeaf.flush(WAIT);
                m = svc.nextMessage(Duration.ofMillis(200));
            }
            assertNotNull(m, "the leaf's message to orders.new reached svc.orders on the hub");
            assertEquals("svc.orders", m.getSubject());
        }
    }
}
