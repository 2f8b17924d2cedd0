package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Subscription;
import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Messaging;
import nats.leafnode.testing.Ours;
import nats.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Deny rules, loops, reconnects, a hub cluster forwarding for its leaves, and queue groups spread over leaves. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeafBehaviourTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void denyImportsAndExportsFilterBothDirections() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("")
                     + "\", deny_exports: [\"secret.>\"], deny_imports: [\"private.>\"]}] }");
             Connection onHub = Messaging.connect(hub.clientUrl());
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            Subscription hubAll = onHub.subscribe(">");
            onHub.flush(WAIT);
            Messaging.awaitInterest(onLeaf, "public.probe", hubAll);
            onLeaf.publish("secret.plans", "no".getBytes(StandardCharsets.UTF_8));
            onLeaf.publish("public.news", "yes".getBytes(StandardCharsets.UTF_8));
            onLeaf.flush(WAIT);
            assertEquals("public.news", hubAll.nextMessage(WAIT).getSubject(), "only the exported subject left the leaf");
            assertNull(hubAll.nextMessage(Duration.ofMillis(300)), "deny_exports kept secret.plans on the leaf");

            Subscription priv = onLeaf.subscribe("private.>");
            Subscription pub = onLeaf.subscribe("open.>");
            onLeaf.flush(WAIT);
            Messaging.awaitInterest(onHub, "open.probe", pub);
            assertFalse(HubAndSpokeTest.hubListsLeafSubject(hub, "private.>"), "a denied import is not announced");
            onHub.publish("private.x", "no".getBytes(StandardCharsets.UTF_8));
            onHub.flush(WAIT);
            assertNull(priv.nextMessage(Duration.ofMillis(500)), "deny_imports kept private.x on the hub");
        }
    }

    @Test
    void twoServersThatAreEachOthersLeafDetectTheLoop() throws Exception {
        int aLeaf = Ports.free();
        int bLeaf = Ports.free();
        try (Ours a = Ours.start(dir, "A", "leafnodes { listen: \"127.0.0.1:" + aLeaf
                + "\", remotes: [{url: \"nats-leaf://127.0.0.1:" + bLeaf + "\"}] }");
             Ours b = Ours.start(dir, "B", "leafnodes { listen: \"127.0.0.1:" + bLeaf
                     + "\", remotes: [{url: \"nats-leaf://127.0.0.1:" + aLeaf + "\"}] }")) {
            // Each $LDS subject comes back through the other server: both connections are refused, and the
            // soliciting sides wait 30 s before trying again.
            Leafz.await(WAIT, 0, a.httpPort, b.httpPort);
            Thread.sleep(2500);
            assertEquals(0, Leafz.count(a.httpPort) + Leafz.count(b.httpPort), "no reconnect within the loop pause");
        }
    }

    @Test
    void theLeafReconnectsAfterTheHubRestarts() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }");
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            Subscription sub = onLeaf.subscribe("after.restart");
            onLeaf.flush(WAIT);
            hub.close();
            Leafz.await(WAIT, 0, leaf.httpPort);
            hub.launch();
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            try (Connection onHub = Messaging.connect(hub.clientUrl())) {
                Messaging.awaitInterest(onHub, "after.restart", sub);
                Messaging.assertFlow(onHub, "after.restart", sub, 50);
            }
        }
    }

    @Test
    void aHubClusterForwardsForItsLeaves() throws Exception {
        int r1 = Ports.free();
        int r2 = Ports.free();
        try (Ours h1 = Ours.start(dir, "H1", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }\ncluster { name: hubs, listen: 127.0.0.1:"
                + r1 + ", routes: [\"nats-route://127.0.0.1:" + r2 + "\"] }");
             Ours h2 = Ours.start(dir, "H2", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }\ncluster { name: hubs, listen: 127.0.0.1:"
                     + r2 + ", routes: [\"nats-route://127.0.0.1:" + r1 + "\"] }");
             Ours l1 = Ours.start(dir, "L1", "leafnodes { remotes: [{url: \"" + h1.leafUrl("") + "\"}] }");
             Ours l2 = Ours.start(dir, "L2", "leafnodes { remotes: [{url: \"" + h2.leafUrl("") + "\"}] }");
             Connection onH2 = Messaging.connect(h2.clientUrl());
             Connection onL1 = Messaging.connect(l1.clientUrl());
             Connection onL2 = Messaging.connect(l2.clientUrl())) {
            Leafz.await(WAIT, 1, h1.httpPort, h2.httpPort, l1.httpPort, l2.httpPort);
            // A client of the other hub reaches a leaf of the first, and back.
            Subscription atL1 = onL1.subscribe("to.l1");
            onL1.flush(WAIT);
            Messaging.awaitInterest(onH2, "to.l1", atL1);
            Messaging.assertFlow(onH2, "to.l1", atL1, 50);
            Subscription atH2 = onH2.subscribe("to.h2");
            onH2.flush(WAIT);
            Messaging.awaitInterest(onL1, "to.h2", atH2);
            Messaging.assertFlow(onL1, "to.h2", atH2, 50);
            // Leaf to leaf across the hub cluster, each message once.
            Subscription atL2 = onL2.subscribe("l1.to.l2");
            onL2.flush(WAIT);
            Messaging.awaitInterest(onL1, "l1.to.l2", atL2);
            Messaging.assertFlow(onL1, "l1.to.l2", atL2, 50);
            assertNull(atL2.nextMessage(Duration.ofMillis(300)), "no duplicate reached the second leaf");
        }
    }

    @Test
    void aQueueGroupOnlyOnLeavesGetsEachMessageOnce() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours l1 = Ours.start(dir, "L1", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }");
             Ours l2 = Ours.start(dir, "L2", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }");
             Connection onHub = Messaging.connect(hub.clientUrl());
             Connection onL1 = Messaging.connect(l1.clientUrl());
             Connection onL2 = Messaging.connect(l2.clientUrl())) {
            Leafz.await(WAIT, 2, hub.httpPort);
            Subscription q1 = onL1.subscribe("jobs", "g");
            Subscription q2 = onL2.subscribe("jobs", "g");
            Subscription q2b = onL2.subscribe("jobs", "g");
            onL1.flush(WAIT);
            onL2.flush(WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!queueWeightSeen(hub) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            int total = 300;
            for (int i = 0; i < total; i++) {
                onHub.publish("jobs", ("j" + i).getBytes(StandardCharsets.UTF_8));
            }
            onHub.flush(WAIT);
            int n1 = drain(q1);
            int n2 = drain(q2) + drain(q2b);
            assertEquals(total, n1 + n2, "each job went to exactly one member (l1 " + n1 + ", l2 " + n2 + ")");
            assertNotNull(n1 > 0 && n2 > 0 ? "" : null, "both leaves took part (l1 " + n1 + ", l2 " + n2 + ")");
        }
    }

    private static boolean queueWeightSeen(Ours hub) {
        return Leafz.leafs(hub.httpPort, "?subs=1").stream()
                .filter(l -> String.valueOf(l.get("subscriptions_list")).contains("jobs")).count() == 2;
    }

    private static int drain(Subscription s) throws InterruptedException {
        int n = 0;
        while (s.nextMessage(Duration.ofMillis(400)) != null) {
            n++;
        }
        return n;
    }
}
