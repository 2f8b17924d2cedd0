package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.Mirror;
import io.nats.client.api.Source;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
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
 * A single (not clustered) leaf server's stream mirrors and sources a stream of the hub's JetStream domain
 * ({@code external.api} {@code $JS.HUB.API}) across the leaf connection, as the jnats suite's
 * KeyValueTests.testKeyValueMirrorCrossDomains does with a KV bucket: what the hub holds arrives at once, and what
 * is published later follows. Go hub and Go leaf (the oracle), and our leaf on a Go hub (the leaf's side is what
 * follows the origin), and our leaf on our hub (it lost a delivery now and then, the mirror one message short,
 * while a consumer create's answer showed the consumer's live state instead of its state as created).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeafMirrorAcrossDomainsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private String js(String domain, String name) throws Exception {
        return DomainConfigs.jetStream(dir, domain, name);
    }

    @Test
    void goLeafMirrorsTheGoHub() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        int leafHttp = Ports.free();
        String hubJs = js("HUB", "go-hub");
        String leafJs = js("SPOKE", "go-leaf");
        try (GoServer hub = GoServer.start(dir, p -> DomainConfigs.goHub(p, hubHttp, hubJs, hubLeaf));
             GoServer leaf = GoServer.start(dir, p -> DomainConfigs.goLeaf(p, leafHttp, leafJs,
                     "nats-leaf://127.0.0.1:" + hubLeaf))) {
            Leafz.await(WAIT, 1, hubHttp, leafHttp);
            mirrorAndSourceFollowTheHub("nats://127.0.0.1:" + hub.port(), "nats://127.0.0.1:" + leaf.port());
        }
    }

    @Test
    void ourLeafMirrorsAGoHub() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        String hubJs = js("HUB", "go-hub");
        try (GoServer hub = GoServer.start(dir, p -> DomainConfigs.goHub(p, hubHttp, hubJs, hubLeaf));
             Ours leaf = Ours.start(dir, "LEAF", js("SPOKE", "our-leaf") + "leafnodes { remotes: [{url: "
                     + "\"nats-leaf://127.0.0.1:" + hubLeaf + "\"}] }")) {
            Leafz.await(WAIT, 1, hubHttp, leaf.httpPort);
            mirrorAndSourceFollowTheHub("nats://127.0.0.1:" + hub.port(), leaf.clientUrl());
        }
    }

    @Test
    void ourLeafMirrorsOurHub() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", js("HUB", "our-hub") + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", js("SPOKE", "our-leaf") + "leafnodes { remotes: [{url: \""
                     + hub.leafUrl("") + "\"}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            mirrorAndSourceFollowTheHub(hub.clientUrl(), leaf.clientUrl());
        }
    }

    private static void mirrorAndSourceFollowTheHub(String hubUrl, String leafUrl) throws Exception {
        try (Connection hub = Messaging.connect(hubUrl); Connection leaf = Messaging.connect(leafUrl)) {
            JetStreamManagement hubJsm = hub.jetStreamManagement();
            hubJsm.addStream(StreamConfiguration.builder().name("ORIGIN").subjects("origin.>")
                    .storageType(StorageType.Memory).build());
            for (int i = 1; i <= 3; i++) {
                hub.jetStream().publish("origin.a", ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            JetStreamManagement leafJsm = leaf.jetStreamManagement();
            leafJsm.addStream(StreamConfiguration.builder().name("COPY").storageType(StorageType.Memory)
                    .mirror(Mirror.builder().sourceName("ORIGIN").domain("HUB").build()).build());
            leafJsm.addStream(StreamConfiguration.builder().name("GATHER").storageType(StorageType.Memory)
                    .sources(Source.builder().sourceName("ORIGIN").domain("HUB").build()).build());
            awaitCount(leafJsm, "COPY", 3);
            awaitCount(leafJsm, "GATHER", 3);
            hub.jetStream().publish("origin.b", "m4".getBytes(StandardCharsets.UTF_8));
            awaitCount(leafJsm, "COPY", 4);
            awaitCount(leafJsm, "GATHER", 4);
            assertEquals("m4", new String(leafJsm.getMessage("COPY", 4).getData(), StandardCharsets.UTF_8),
                    "the mirror keeps the origin's sequence");
            assertEquals("origin.b", leafJsm.getMessage("GATHER", 4).getSubject(), "the source keeps the subject");
        }
    }

    private static void awaitCount(JetStreamManagement jsm, String stream, long expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long count = -1;
        while (System.nanoTime() < deadline) {
            count = jsm.getStreamInfo(stream).getStreamState().getMsgCount();
            if (count == expected) {
                return;
            }
            Thread.sleep(50);
        }
        assertEquals(expected, count, stream + " holds what the hub published");
    }
}
