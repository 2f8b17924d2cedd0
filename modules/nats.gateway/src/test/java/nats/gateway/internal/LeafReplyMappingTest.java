package nats.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Subscription;
import nats.gateway.testing.FakeGateway;
import nats.gateway.testing.Member;
import nats.gateway.testing.Member.Kind;
import nats.testing.Clients;
import nats.testing.Monitor;
import nats.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What goes over a gateway, seen on the wire by a remote cluster played on raw sockets ({@link FakeGateway}):
 * cluster A of two routed servers (A1 with a leaf node L, A2), both dialling cluster C, which is interested in
 * {@code req.>} (A1 announces that to the leaf, as Go does with its gateways' interest). As Go 2.9.10's
 * processInboundLeafMsg and sendMsgToGateways: a request published on the leaf goes to C from A1 alone, its reply
 * mapped to {@code _GR_.<hash of A>.<hash of A1's id>.<inbox>} when the inbox was subscribed in the last two seconds
 * (Go's rsubs count the leaf's subscriptions), left as it is when the inbox is older or nobody subscribed it; a
 * client's request on A2 goes to C from A2 alone (what a route brings is never sent to a gateway). The same with Go
 * servers only (the oracle), ours only, and each kind of leaf on the other kind of hub cluster.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeafReplyMappingTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ACCOUNTS = "accounts { SYS { users: [{user: sys, password: sys}] },"
            + " APP { users: [{user: app, password: app}] } }\nsystem_account: SYS\nno_auth_user: app\n";

    @TempDir
    Path dir;

    @Test
    void goOnly() throws Exception {
        exercise(Kind.GO, Kind.GO, "go");
    }

    @Test
    void oursOnly() throws Exception {
        exercise(Kind.OURS, Kind.OURS, "ours");
    }

    @Test
    void ourLeafOnAGoCluster() throws Exception {
        exercise(Kind.GO, Kind.OURS, "ourleaf");
    }

    @Test
    void aGoLeafOnOurCluster() throws Exception {
        exercise(Kind.OURS, Kind.GO, "goleaf");
    }

    private void exercise(Kind hubKind, Kind leafKind, String tag) throws Exception {
        Member.Plan a1p = new Member.Plan();
        Member.Plan a2p = new Member.Plan();
        Member.Plan lp = new Member.Plan();
        int leafPort = Ports.free();
        try (FakeGateway c = new FakeGateway("C")) {
            c.subscribe("APP", "req.>");
            String gateways = "name: A, gateways: [{name: C, urls: [\"" + c.url() + "\"]}]";
            try (Member a1 = Member.startWith(dir, hubKind, "A1" + tag, a1p, ACCOUNTS + "leafnodes { listen: 127.0.0.1:"
                    + leafPort + " }", "name: A, routes: [\"" + a2p.routeUrl() + "\"]", gateways);
                 Member a2 = Member.startWith(dir, hubKind, "A2" + tag, a2p, ACCOUNTS,
                         "name: A, routes: [\"" + a1p.routeUrl() + "\"]", gateways);
                 Member l = Member.startWith(dir, leafKind, "L" + tag, lp, "leafnodes { remotes: [{url: "
                         + "\"nats-leaf://127.0.0.1:" + leafPort + "\"}] }", null, null)) {
                String a1Id = serverId(a1);
                String a2Id = serverId(a2);
                Monitor.await(WAIT, "A1 and A2 connected to C", () -> c.connectedFrom(a1Id) && c.connectedFrom(a2Id));
                Monitor.await(WAIT, "the leaf connected to A1", () -> leafCount(a1) == 1 && leafCount(l) == 1);
                String a1Prefix = "_GR_." + GatewayHash.of("A") + "." + GatewayHash.of(a1Id) + ".";
                try (Connection onLeaf = Clients.connect(l.clientUrl());
                     Connection onA1 = Clients.connect(a1.clientUrl());
                     Connection onA2 = Clients.connect(a2.clientUrl())) {
                    awaitCrossing(onLeaf, c);
                    // An old inbox on the leaf: A1 must know it (it announces nothing to C, so a probe waits for it).
                    String oldInbox = "_INBOX.old." + tag;
                    Subscription old = onLeaf.subscribe(oldInbox);
                    onLeaf.flush(Duration.ofSeconds(2));
                    awaitKnown(onA1, oldInbox, onLeaf, old);
                    drain(c);

                    String fresh = "_INBOX.fresh." + tag + "." + System.nanoTime();
                    Subscription freshSub = onLeaf.subscribe(fresh);
                    onLeaf.flush(Duration.ofSeconds(2));
                    awaitKnown(onA1, fresh, onLeaf, freshSub);
                    drain(c);
                    onLeaf.publish("req.leaf", fresh, bytes("q"));
                    onLeaf.flush(Duration.ofSeconds(2));
                    FakeGateway.Received r = c.next("APP", 10_000);
                    assertNotNull(r, "the leaf's request reached cluster C");
                    assertEquals(new FakeGateway.Received(a1Id, "APP", "req.leaf", a1Prefix + fresh), r,
                            "sent by A1, the reply mapped to A1's _GR_. prefix (the inbox is fresh)");
                    assertNull(c.next("APP", 300), "sent once (A2 got it over the route and sends nothing)");

                    onLeaf.publish("req.leaf.nobody", "_INBOX.unknown." + tag, bytes("q"));
                    onLeaf.flush(Duration.ofSeconds(2));
                    assertEquals(new FakeGateway.Received(a1Id, "APP", "req.leaf.nobody", "_INBOX.unknown." + tag),
                            c.next("APP", 10_000), "a reply nobody subscribed stays as it is");

                    Thread.sleep(2_500);
                    onLeaf.publish("req.leaf.old", oldInbox, bytes("q"));
                    onLeaf.flush(Duration.ofSeconds(2));
                    assertEquals(new FakeGateway.Received(a1Id, "APP", "req.leaf.old", oldInbox), c.next("APP", 10_000),
                            "a reply subscribed more than two seconds ago stays as it is");

                    String a2Inbox = "_INBOX.a2." + tag + "." + System.nanoTime();
                    onA2.subscribe(a2Inbox);
                    onA2.flush(Duration.ofSeconds(2));
                    onA2.publish("req.a2", a2Inbox, bytes("q"));
                    onA2.flush(Duration.ofSeconds(2));
                    String a2Prefix = "_GR_." + GatewayHash.of("A") + "." + GatewayHash.of(a2Id) + ".";
                    assertEquals(new FakeGateway.Received(a2Id, "APP", "req.a2", a2Prefix + a2Inbox), c.next("APP", 10_000),
                            "a client of A2 is sent to C by A2, with A2's prefix");
                    assertNull(c.next("APP", 500), "A1 does not send to C what the route brought");
                }
            }
        }
    }

    /** Waits until a message published on A1 reaches {@code sub} on the leaf: A1 holds the leaf's interest. */
    private static void awaitKnown(Connection publisher, String subject, Connection subscriberConn, Subscription sub)
            throws Exception {
        Clients.awaitInterest(publisher, subject, sub);
        subscriberConn.flush(Duration.ofSeconds(2));
    }

    /** Publishes probes on the leaf until C gets one: C's RS+ went from A1 to the leaf as LS+. */
    private static void awaitCrossing(Connection onLeaf, FakeGateway c) throws Exception {
        Monitor.await(WAIT, "C's interest reached the leaf", () -> {
            try {
                onLeaf.publish("req.probe", bytes("p"));
                onLeaf.flush(Duration.ofSeconds(2));
                return c.next("APP", 200) != null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        drain(c);
    }

    private static void drain(FakeGateway c) throws InterruptedException {
        while (c.next("APP", 300) != null) {
            // the probes of awaitKnown
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String serverId(Member m) {
        return String.valueOf(Monitor.get(m.httpPort, "/varz").get("server_id"));
    }

    private static int leafCount(Member m) {
        Object n = Monitor.get(m.httpPort, "/varz").get("leafnodes");
        return n instanceof Number number ? number.intValue() : 0;
    }
}
