package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Messaging;
import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Monitor;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaf compression as Go 2.10 negotiates it: two of our servers configured {@code s2_fast} speak S2 (shown in
 * {@code /leafz}) and carry small and 1 MiB messages both ways; against Go 2.9.10, which announces no
 * compression, either role stays uncompressed and works.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeafCompressionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void twoOfOursCompressWithS2Fast() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\"\n compression: s2_fast\n"
                + " authorization { users: [{user: leaf, password: s3cret}] } }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("leaf:s3cret")
                     + "\", compression: s2_fast}] }");
             Connection onHub = Messaging.connect(hub.clientUrl());
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            assertEquals("s2_fast", Leafz.leafs(hub.httpPort, "").getFirst().get("compression"),
                    "the hub's /leafz shows S2 in effect");
            assertEquals("s2_fast", Leafz.leafs(leaf.httpPort, "").getFirst().get("compression"),
                    "the leaf's /leafz shows S2 in effect");
            exchange(onHub, onLeaf, 2000);
        }
    }

    @Test
    void s2FastShrinksWhatCrossesTheWire() throws Exception {
        for (String mode : new String[] {"off", "s2_fast"}) {
            java.nio.file.Files.createDirectories(dir.resolve(mode));
            try (Ours hub = Ours.start(dir.resolve(mode), "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\"\n compression: "
                    + mode + " }");
                 CountingProxy proxy = new CountingProxy(hub.leafPort);
                 Ours leaf = Ours.start(dir.resolve(mode), "LEAF", "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:"
                         + proxy.port() + "\", compression: " + mode + "}] }");
                 Connection onHub = Messaging.connect(hub.clientUrl());
                 Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
                Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
                Subscription down = onLeaf.subscribe("down");
                onLeaf.flush(WAIT);
                Messaging.awaitInterest(onHub, "down", down);
                long before = proxy.toLeaf();
                byte[] text = new byte[1024 * 1024];
                byte[] line = "a leaf node repeats itself when it has nothing new to say\n".getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < text.length; i++) {
                    text[i] = line[i % line.length];
                }
                onHub.publish("down", text);
                onHub.flush(WAIT);
                Message m = down.nextMessage(WAIT);
                assertNotNull(m, mode + ": the 1 MiB message arrived");
                assertArrayEquals(text, m.getData(), mode + ": intact");
                long crossed = proxy.toLeaf() - before;
                if (mode.equals("off")) {
                    assertTrue(crossed >= text.length, "off: the message crossed as it is (" + crossed + " bytes)");
                } else {
                    assertTrue(crossed < text.length / 4, "s2_fast: 1 MiB of text crossed in " + crossed + " bytes");
                }
            }
        }
    }

    /** A TCP relay from the leaf to the hub counting the bytes that go to the leaf. */
    private static final class CountingProxy implements AutoCloseable {
        private final java.net.ServerSocket server = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress());
        private final java.util.concurrent.atomic.AtomicLong toLeaf = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.List<java.net.Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        CountingProxy(int hubPort) throws Exception {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        java.net.Socket leaf = server.accept();
                        java.net.Socket hub = new java.net.Socket("127.0.0.1", hubPort);
                        sockets.add(leaf);
                        sockets.add(hub);
                        pump(leaf, hub, null);
                        pump(hub, leaf, toLeaf);
                    }
                } catch (java.io.IOException closed) {
                    // the proxy was closed
                }
            });
        }

        private void pump(java.net.Socket from, java.net.Socket to, java.util.concurrent.atomic.AtomicLong count) {
            Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[64 * 1024];
                try (var in = from.getInputStream(); var out = to.getOutputStream()) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        if (count != null) {
                            count.addAndGet(n);
                        }
                    }
                } catch (java.io.IOException closed) {
                    // either side went away
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        long toLeaf() {
            return toLeaf.get();
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (java.net.Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void twoOfOursSpeakGo29WithoutCompressionConfigured() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }");
             Connection onHub = Messaging.connect(hub.clientUrl());
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            assertFalse(Leafz.leafs(leaf.httpPort, "").getFirst().containsKey("compression"),
                    "nothing about compression in the leaf's /leafz, as Go 2.9.10");
            assertFalse(Leafz.leafs(hub.httpPort, "").getFirst().containsKey("compression"),
                    "nothing about compression in the hub's /leafz, as Go 2.9.10");
            exchange(onHub, onLeaf, 200);
        }
    }

    @Test
    void twoOfOursWithS2AutoSettleOnALevel() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\"\n compression: s2_auto }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("")
                     + "\", compression: s2_auto}] }");
             Connection onHub = Messaging.connect(hub.clientUrl());
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            // s2_auto on both sides: the level follows the round trip (s2_uncompressed under 10 ms on loopback).
            Object mode = Leafz.leafs(leaf.httpPort, "").getFirst().get("compression");
            assertTrue(String.valueOf(mode).startsWith("s2_") && !"s2_auto".equals(mode),
                    "s2_auto settled on an S2 level: " + mode);
            exchange(onHub, onLeaf, 200);
        }
    }

    @Test
    void oursCompressingAsTheLeafOfAGo29Hub() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goLeafPort = Ports.free();
        int goHttp = Ports.free();
        try (GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                + "\nleafnodes { listen: 127.0.0.1:" + goLeafPort + " }\n");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:"
                     + goLeafPort + "\", compression: s2_fast}] }");
             Connection onGo = Messaging.connect("nats://127.0.0.1:" + go.port());
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, goHttp, leaf.httpPort);
            assertNull(Leafz.leafs(leaf.httpPort, "").getFirst().get("compression"),
                    "a hub that announces nothing gets no compression (not supported: no field, as Go 2.9's /leafz)");
            exchange(onGo, onLeaf, 200);
            assertFalse(go.log().contains("[ERR]"), "the Go hub logged no error: " + go.log());
        }
    }

    @Test
    void go29AsTheLeafOfOurCompressingHub() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goHttp = Ports.free();
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\"\n compression: s2_fast }");
             GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                     + "\nleafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }\n");
             Connection onHub = Messaging.connect(hub.clientUrl());
             Connection onGo = Messaging.connect("nats://127.0.0.1:" + go.port())) {
            Leafz.await(WAIT, 1, goHttp, hub.httpPort);
            assertNull(Leafz.leafs(hub.httpPort, "").getFirst().get("compression"),
                    "a leaf whose CONNECT says nothing gets no compression (not supported: no field, as Go 2.9's /leafz)");
            exchange(onHub, onGo, 200);
            assertFalse(go.log().contains("[ERR]"), "the Go leaf logged no error: " + go.log());
        }
    }

    /** {@code count} messages each way, then one of 1 MiB each way, byte for byte. */
    @Test
    void aReloadChangesTheLevelInPlaceAndNegotiatesAgainWhenCompressionGoesOnOrOff() throws Exception {
        String hubAuth = " authorization { users: [{user: leaf, password: s3cret}] } }";
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\"\n compression: s2_fast\n"
                + hubAuth);
             Ours leaf = Ours.start(dir, "LEAF", remote(hub, "s2_fast"));
             Connection onHub = Messaging.connect(hub.clientUrl());
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            Object cid = Leafz.leafs(hub.httpPort, "").getFirst().get("id");
            // Between compressing levels the hub's writer changes in place: the same connection, at s2_best.
            hub.reload("leafnodes { listen: \"127.0.0.1:" + hub.leafPort + "\"\n compression: s2_best\n" + hubAuth);
            assertEquals("s2_best", compression(hub), "the hub writes s2_best now");
            assertEquals(cid, Leafz.leafs(hub.httpPort, "").getFirst().get("id"), "the leaf connection stayed");
            assertEquals("s2_fast", compression(leaf), "the leaf still writes s2_fast");
            exchange(onHub, onLeaf, 500);
            // Off on the leaf: its connection is closed and negotiated again, uncompressed on both sides.
            leaf.reload(remote(hub, "off"));
            Monitor.await(WAIT, "negotiated again without compression", () -> Leafz.count(hub.httpPort) == 1
                    && Leafz.count(leaf.httpPort) == 1 && "off".equals(compression(hub))
                    && "off".equals(compression(leaf)));
            exchange(onHub, onLeaf, 500);
            // Back on: negotiated again, each side at its own level.
            leaf.reload(remote(hub, "s2_better"));
            Monitor.await(WAIT, "negotiated again with compression", () -> Leafz.count(hub.httpPort) == 1
                    && Leafz.count(leaf.httpPort) == 1 && "s2_best".equals(compression(hub))
                    && "s2_better".equals(compression(leaf)));
            exchange(onHub, onLeaf, 500);
        }
    }

    private static String remote(Ours hub, String mode) {
        return "leafnodes { remotes: [{url: \"" + hub.leafUrl("leaf:s3cret") + "\", compression: " + mode + "}] }";
    }

    private static Object compression(Ours server) {
        java.util.List<java.util.Map<String, Object>> leafs = Leafz.leafs(server.httpPort, "");
        return leafs.isEmpty() ? null : leafs.getFirst().get("compression");
    }

    private static void exchange(Connection onHub, Connection onLeaf, int count) throws Exception {
        Subscription down = onLeaf.subscribe("down");
        onLeaf.flush(WAIT);
        Messaging.awaitInterest(onHub, "down", down);
        Messaging.assertFlow(onHub, "down", down, count);
        Subscription up = onHub.subscribe("up");
        onHub.flush(WAIT);
        Messaging.awaitInterest(onLeaf, "up", up);
        Messaging.assertFlow(onLeaf, "up", up, count);

        byte[] big = new byte[1024 * 1024];
        byte[] text = "leaf compression carries this line again and again; ".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < big.length; i++) {
            big[i] = (i % 4096 < 2048) ? text[i % text.length] : (byte) (i * 31 + (i >>> 7));
        }
        onHub.publish("down", big);
        onHub.flush(WAIT);
        Message m = down.nextMessage(WAIT);
        assertNotNull(m, "the 1 MiB message reached the leaf");
        assertArrayEquals(big, m.getData(), "the 1 MiB message arrived intact at the leaf");
        onLeaf.publish("up", big);
        onLeaf.flush(WAIT);
        m = up.nextMessage(WAIT);
        assertNotNull(m, "the 1 MiB message reached the hub");
        assertArrayEquals(big, m.getData(), "the 1 MiB message arrived intact at the hub");
    }
}
