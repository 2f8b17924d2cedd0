package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Leaf remotes over WebSocket ({@code remotes: [{urls: ["ws://..."]}]}, and {@code wss://}): the leaf upgrades to the
 * hub's {@code websocket {}} listener on its {@code /leafnode} endpoint (RFC 6455, masked frames) and speaks the leaf
 * protocol in binary frames. Our leaf on our hub (plain and TLS), on a Go 2.9.10 hub, and a Go leaf on our hub; a
 * burst of 2000 messages each way and a 1 MiB message (frames longer than 64 KiB). The same three with the remote's
 * {@code ws_compression} and {@code ws_no_masking} against a listener with {@code compression: true}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeafWebSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static String file(String name) throws Exception {
        return Path.of(LeafWebSocketTest.class.getResource("/tls/" + name).toURI()).toString();
    }

    private static String hub(int wsPort, String wsTls) {
        return "leafnodes { listen: \"127.0.0.1:%LEAF%\" }\nwebsocket { listen: \"127.0.0.1:" + wsPort + "\", "
                + wsTls + " }";
    }

    @Test
    void ourLeafOnOurHubOverWs() throws Exception {
        int ws = Ports.free();
        try (Ours hub = Ours.start(dir, "HUB", hub(ws, "no_tls: true"));
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{urls: [\"ws://127.0.0.1:" + ws + "\"]}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            flow(hub.clientUrl(), leaf.clientUrl());
        }
    }

    @Test
    void ourLeafOnOurHubOverWss() throws Exception {
        int ws = Ports.free();
        String tls = "tls { cert_file: \"" + file("route-cert.pem") + "\", key_file: \"" + file("route-key.pem") + "\" }";
        try (Ours hub = Ours.start(dir, "HUB", hub(ws, tls));
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{urls: [\"wss://127.0.0.1:" + ws + "\"], "
                     + "tls: { ca_file: \"" + file("ca.pem") + "\" }}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            flow(hub.clientUrl(), leaf.clientUrl());
        }
    }

    @Test
    void ourLeafOnAGoHubOverWs() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int ws = Ports.free();
        int goHttp = Ports.free();
        int goLeaf = Ports.free();
        try (GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                + "\nleafnodes { listen: 127.0.0.1:" + goLeaf + " }\nwebsocket { listen: \"127.0.0.1:" + ws
                + "\", no_tls: true }\n");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{urls: [\"ws://127.0.0.1:" + ws + "\"]}] }")) {
            Leafz.await(WAIT, 1, goHttp, leaf.httpPort);
            flow("nats://127.0.0.1:" + go.port(), leaf.clientUrl());
        }
    }

    @Test
    void aGoLeafOnOurHubOverWs() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int ws = Ports.free();
        int goHttp = Ports.free();
        try (Ours hub = Ours.start(dir, "HUB", hub(ws, "no_tls: true"));
             GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                     + "\nleafnodes { remotes: [{urls: [\"ws://127.0.0.1:" + ws + "\"]}] }\n")) {
            Leafz.await(WAIT, 1, hub.httpPort, goHttp);
            flow(hub.clientUrl(), "nats://127.0.0.1:" + go.port());
        }
    }

    private static final String WS_OPTIONS = ", ws_compression: true, ws_no_masking: true";

    @Test
    void ourLeafOnOurHubWithCompressionAndNoMasking() throws Exception {
        int ws = Ports.free();
        try (Ours hub = Ours.start(dir, "HUB", hub(ws, "no_tls: true, compression: true"));
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{urls: [\"ws://127.0.0.1:" + ws + "\"]"
                     + WS_OPTIONS + "}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            flow(hub.clientUrl(), leaf.clientUrl());
        }
    }

    @Test
    void ourLeafOnAGoHubWithCompressionAndNoMasking() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int ws = Ports.free();
        int goHttp = Ports.free();
        int goLeaf = Ports.free();
        try (GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                + "\nleafnodes { listen: 127.0.0.1:" + goLeaf + " }\nwebsocket { listen: \"127.0.0.1:" + ws
                + "\", no_tls: true, compression: true }\n", "-D");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{urls: [\"ws://127.0.0.1:" + ws + "\"]"
                     + WS_OPTIONS + "}] }")) {
            Leafz.await(WAIT, 1, goHttp, leaf.httpPort);
            assertTrue(go.log().contains("Leafnode compression=true"), "the Go hub accepted compression: " + go.log());
            // Go reads no mask key once it answered Nats-No-Masking: masked frames from us would break the flow.
            flow("nats://127.0.0.1:" + go.port(), leaf.clientUrl());
        }
    }

    @Test
    void aGoLeafOnOurHubWithCompressionAndNoMasking() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int ws = Ports.free();
        int goHttp = Ports.free();
        try (Ours hub = Ours.start(dir, "HUB", hub(ws, "no_tls: true, compression: true"));
             GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                     + "\nleafnodes { remotes: [{urls: [\"ws://127.0.0.1:" + ws + "\"]" + WS_OPTIONS + "}] }\n",
                     "-D")) {
            Leafz.await(WAIT, 1, hub.httpPort, goHttp);
            assertTrue(go.log().contains("Leafnode compression=true masking=false"),
                    "our hub accepted both (Go's leaf logs what it negotiated): " + go.log());
            flow(hub.clientUrl(), "nats://127.0.0.1:" + go.port());
        }
    }

    /** Messages both ways between a client of the hub and one of the leaf, and one of 1 MiB. */
    private static void flow(String hubUrl, String leafUrl) throws Exception {
        try (Connection onHub = Messaging.connect(hubUrl); Connection onLeaf = Messaging.connect(leafUrl)) {
            Subscription down = onLeaf.subscribe("down.>");
            Subscription up = onHub.subscribe("up.>");
            onLeaf.flush(WAIT);
            onHub.flush(WAIT);
            Messaging.awaitInterest(onHub, "down.probe", down);
            Messaging.awaitInterest(onLeaf, "up.probe", up);
            Messaging.assertFlow(onHub, "down.x", down, 2000);
            Messaging.assertFlow(onLeaf, "up.x", up, 2000);
            byte[] big = new byte[1 << 20];
            java.util.Arrays.fill(big, (byte) 'b');
            onLeaf.publish("up.big", big);
            io.nats.client.Message m = up.nextMessage(WAIT);
            assertEquals(big.length, m == null ? -1 : m.getData().length, "1 MiB crossed in frames");
        }
    }
}
