package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Messaging;
import nats.leafnode.testing.Ours;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two of our servers, a hub and a leaf: messages, requests and interest cross in both directions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HubAndSpokeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void messagesAndRequestsCrossBothWays() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }");
             Connection onHub = Messaging.connect(hub.clientUrl());
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);

            Subscription leafSub = onLeaf.subscribe("down.>");
            onLeaf.flush(WAIT);
            Messaging.awaitInterest(onHub, "down.probe", leafSub);
            Messaging.assertFlow(onHub, "down.x", leafSub, 100);

            Subscription hubSub = onHub.subscribe("up");
            onHub.flush(WAIT);
            Messaging.awaitInterest(onLeaf, "up", hubSub);
            Messaging.assertFlow(onLeaf, "up", hubSub, 100);

            onHub.createDispatcher(m -> onHub.publish(m.getReplyTo(), ("hub:" + new String(m.getData(),
                    StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8))).subscribe("svc.hub");
            onHub.flush(WAIT);
            Message reply = awaitRequest(onLeaf, "svc.hub", "ping");
            assertEquals("hub:ping", new String(reply.getData(), StandardCharsets.UTF_8), "a leaf client's request is served on the hub");

            onLeaf.createDispatcher(m -> onLeaf.publish(m.getReplyTo(), "leaf".getBytes(StandardCharsets.UTF_8)))
                    .subscribe("svc.leaf");
            onLeaf.flush(WAIT);
            assertEquals("leaf", new String(awaitRequest(onHub, "svc.leaf", "x").getData(), StandardCharsets.UTF_8),
                    "a hub client's request is served on the leaf");

            Message headers = null;
            Subscription h = onLeaf.subscribe("hdr");
            onLeaf.flush(WAIT);
            Messaging.awaitInterest(onHub, "hdr", h);
            io.nats.client.impl.Headers hs = new io.nats.client.impl.Headers().add("k", "v");
            onHub.publish(io.nats.client.impl.NatsMessage.builder().subject("hdr").headers(hs)
                    .data("body".getBytes(StandardCharsets.UTF_8)).build());
            headers = h.nextMessage(WAIT);
            assertNotNull(headers, "a message with headers crossed");
            assertEquals("v", headers.getHeaders().getFirst("k"), "its header crossed with it");
        }
    }

    @Test
    void interestLeavesWhenTheLastSubscriberGoes() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }");
             Connection onHub = Messaging.connect(hub.clientUrl());
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            Subscription a = onLeaf.subscribe("gone");
            Subscription b = onLeaf.subscribe("gone");
            onLeaf.flush(WAIT);
            Messaging.awaitInterest(onHub, "gone", a);
            assertTrue(hubListsLeafSubject(hub, "gone"), "the hub's /leafz?subs=1 lists the leaf's interest");
            a.unsubscribe();
            onLeaf.flush(WAIT);
            Thread.sleep(200);
            assertTrue(hubListsLeafSubject(hub, "gone"), "one subscriber left: the interest stays");
            b.unsubscribe();
            onLeaf.flush(WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (hubListsLeafSubject(hub, "gone") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(!hubListsLeafSubject(hub, "gone"), "LS- withdrew the interest once the last subscriber left");
        }
    }

    static boolean hubListsLeafSubject(Ours hub, String subject) {
        for (Map<String, Object> l : Leafz.leafs(hub.httpPort, "?subs=1")) {
            Object list = l.get("subscriptions_list");
            if (list instanceof List<?> subs && subs.contains(subject)) {
                return true;
            }
        }
        return false;
    }

    static Message awaitRequest(Connection c, String subject, String body) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Message m = c.request(subject, body.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(500));
                if (m != null && !m.isStatusMessage()) {
                    return m;
                }
            } catch (Exception e) {
                // no responders yet: interest has not crossed
            }
            Thread.sleep(50);
        }
        assertNull(null);
        throw new AssertionError("request on " + subject + " never answered");
    }

    @Test
    void leafzAnswersTheSystemRequest() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "accounts { SYS { users: [{user: sys, password: sys}] }, "
                + "APP { users: [{user: app, password: app}] } }\nsystem_account: SYS\n"
                + "leafnodes { listen: \"127.0.0.1:%LEAF%\", authorization { user: l, password: l, account: APP } }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("l:l") + "\"}] }");
             Connection sys = Messaging.connect("nats://sys:sys@127.0.0.1:" + hub.port)) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            Message m = sys.request("$SYS.REQ.SERVER.PING.LEAFZ", "{\"subscriptions\":true}".getBytes(StandardCharsets.UTF_8),
                    WAIT);
            assertNotNull(m, "PING.LEAFZ answered");
            Map<String, Object> answer = nats.transport.json.Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8));
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) answer.get("data");
            assertEquals(1L, ((Number) data.get("leafnodes")).longValue(), "one leaf node in the answer: " + answer);
            @SuppressWarnings("unchecked")
            Map<String, Object> first = ((List<Map<String, Object>>) data.get("leafs")).getFirst();
            assertEquals("APP", first.get("account"), "bound to the authorization block's account");
            assertTrue(String.valueOf(first.get("subscriptions_list")).contains("$LDS."),
                    "subscriptions listed when asked: " + first);
        }
    }

    @Test
    void aLeafClientReachesAServiceTheHubsAccountImports() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "accounts {\n"
                + " SVC { users: [{user: svc, password: svc}], exports: [{service: \"time.now\"}] }\n"
                + " APP { imports: [{service: {account: SVC, subject: \"time.now\"}}] }\n}\n"
                + "leafnodes { listen: \"127.0.0.1:%LEAF%\", authorization { user: l, password: l, account: APP } }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("l:l") + "\"}] }");
             Connection service = Messaging.connect("nats://svc:svc@127.0.0.1:" + hub.port);
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            service.createDispatcher(m -> service.publish(m.getReplyTo(), "noon".getBytes(StandardCharsets.UTF_8)))
                    .subscribe("time.now");
            service.flush(WAIT);
            assertEquals("noon", new String(awaitRequest(onLeaf, "time.now", "?").getData(), StandardCharsets.UTF_8),
                    "the hub announced its account's service import to the leaf, and the reply came back");
        }
    }
}
