package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
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
 * TLS on leaf connections in Go's order (the hub's INFO in plain text, then the handshake): our hub and our leaf,
 * our leaf on a Go hub, a Go leaf on our hub. The hub's certificate is checked against the CA and 127.0.0.1.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeafTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static String file(String name) throws Exception {
        return Path.of(LeafTlsTest.class.getResource("/tls/" + name).toURI()).toString();
    }

    private static String hubTls() throws Exception {
        return "tls { cert_file: \"" + file("route-cert.pem") + "\", key_file: \"" + file("route-key.pem") + "\" }";
    }

    private static String leafTls() throws Exception {
        return "tls: { ca_file: \"" + file("ca.pem") + "\" }";
    }

    @Test
    void oursToOurs() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\"\n " + hubTls() + " }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\", "
                     + leafTls() + "}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            flow(hub.clientUrl(), leaf.clientUrl());
        }
    }

    @Test
    void oursAsLeafOfATlsGoHub() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goLeafPort = Ports.free();
        int goHttp = Ports.free();
        String tls = hubTls();
        try (GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                + "\nleafnodes { listen: 127.0.0.1:" + goLeafPort + "\n " + tls + " }\n");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + goLeafPort
                     + "\", " + leafTls() + "}] }")) {
            Leafz.await(WAIT, 1, goHttp, leaf.httpPort);
            flow("nats://127.0.0.1:" + go.port(), leaf.clientUrl());
            assertFalse(go.log().contains("[ERR]"), "the Go hub logged no error: " + go.log());
        }
    }

    @Test
    void aGoLeafOnOurTlsHub() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goHttp = Ports.free();
        String tls = leafTls();
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\"\n " + hubTls() + " }");
             GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                     + "\nleafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\", " + tls + "}] }\n")) {
            Leafz.await(WAIT, 1, goHttp, hub.httpPort);
            flow(hub.clientUrl(), "nats://127.0.0.1:" + go.port());
            assertFalse(go.log().contains("[ERR]"), "the Go leaf logged no error: " + go.log());
            assertEquals(Boolean.TRUE, ((java.util.Map<?, ?>) Leafz.get(hub.httpPort, "/varz").get("leaf"))
                    .get("tls_required"), "/varz shows the leafnode listener's TLS");
        }
    }

    private static void flow(String hubUrl, String leafUrl) throws Exception {
        try (Connection onHub = Messaging.connect(hubUrl); Connection onLeaf = Messaging.connect(leafUrl)) {
            Subscription sub = onLeaf.subscribe("over.tls");
            onLeaf.flush(WAIT);
            Messaging.awaitInterest(onHub, "over.tls", sub);
            Messaging.assertFlow(onHub, "over.tls", sub, 50);
            Subscription up = onHub.subscribe("back.over.tls");
            onHub.flush(WAIT);
            Messaging.awaitInterest(onLeaf, "back.over.tls", up);
            Messaging.assertFlow(onLeaf, "back.over.tls", up, 50);
        }
    }
}
