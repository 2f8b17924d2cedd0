package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Go 2.9's addLeafNodeConnection denies the JetStream API on every leaf connection of an application account
 * ({@code $JS.API.>}, {@code $KV.>}, {@code $OBJ.>}, both ways), while other {@code $JS.} subjects (a domain's
 * {@code $JS.<domain>.API.>}) and everything else cross. The same messages go both ways over a Go hub with a Go
 * leaf (the oracle), our hub with our leaf, and the two mixed; each side sees exactly what Go lets through.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeafJetStreamDenyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> SUBJECTS = List.of("$JS.API.INFO", "$JS.API.STREAM.NAMES", "$KV.b.k",
            "$OBJ.o.x", "$JS.HUB.API.INFO", "$JS.EVENT.ADVISORY.x", "plain.x");
    private static final List<String> EXPECTED = List.of("$JS.HUB.API.INFO", "$JS.EVENT.ADVISORY.x", "plain.x");

    @TempDir
    Path dir;

    @Test
    void goHubAndGoLeaf() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        int leafHttp = Ports.free();
        try (GoServer hub = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + hubHttp
                + "\nleafnodes { listen: 127.0.0.1:" + hubLeaf + " }\n");
             GoServer leaf = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + leafHttp
                     + "\nleafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + hubLeaf + "\"}] }\n")) {
            Leafz.await(WAIT, 1, hubHttp, leafHttp);
            crossBothWays("nats://127.0.0.1:" + hub.port(), "nats://127.0.0.1:" + leaf.port());
        }
    }

    @Test
    void ourHubAndOurLeaf() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            crossBothWays(hub.clientUrl(), leaf.clientUrl());
        }
    }

    @Test
    void ourLeafOnAGoHub() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        try (GoServer hub = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + hubHttp
                + "\nleafnodes { listen: 127.0.0.1:" + hubLeaf + " }\n");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + hubLeaf
                     + "\"}] }")) {
            Leafz.await(WAIT, 1, hubHttp, leaf.httpPort);
            crossBothWays("nats://127.0.0.1:" + hub.port(), leaf.clientUrl());
        }
    }

    private static void crossBothWays(String hubUrl, String leafUrl) throws Exception {
        assertEquals(EXPECTED, cross(hubUrl, leafUrl), "from the hub to the leaf");
        assertEquals(EXPECTED, cross(leafUrl, hubUrl), "from the leaf to the hub");
    }

    /** Which subjects published at {@code fromUrl} reach a {@code >} subscriber at {@code toUrl}, in order. */
    private static List<String> cross(String fromUrl, String toUrl) throws Exception {
        try (Connection from = Messaging.connect(fromUrl); Connection to = Messaging.connect(toUrl)) {
            Subscription all = to.subscribe(">");
            Subscription probe = to.subscribe("probe.>");
            to.flush(WAIT);
            Messaging.awaitInterest(from, "probe.x", probe);
            while (all.nextMessage(Duration.ofMillis(200)) != null) {
                // the probes
            }
            for (String s : SUBJECTS) {
                from.publish(s, s.getBytes(StandardCharsets.UTF_8));
            }
            from.publish("end.x", new byte[0]);
            from.flush(WAIT);
            List<String> got = new ArrayList<>();
            Message m;
            while ((m = all.nextMessage(WAIT)) != null && !m.getSubject().equals("end.x")) {
                got.add(m.getSubject());
            }
            return got;
        }
    }
}
