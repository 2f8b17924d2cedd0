package nats.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import nats.gateway.testing.Member.Kind;
import nats.gateway.testing.Member;
import nats.testing.Clients;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateways between Debian's Go nats-server 2.9.10 and ours, both directions: a Go cluster of two and one of ours
 * of two (ours dials, gossip brings the rest), and a single Go server dialling ours.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MixedGoTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void ourClusterDialsAGoClusterAndGossipJoinsEveryServer() throws Exception {
        Member.Plan g1p = new Member.Plan();
        Member.Plan g2p = new Member.Plan();
        Member.Plan j1p = new Member.Plan();
        Member.Plan j2p = new Member.Plan();
        try (Member g1 = Member.start(dir, Kind.GO, "G1", g1p, "name: G", "name: G");
             Member g2 = Member.start(dir, Kind.GO, "G2", g2p, "name: G, routes: [\"" + g1p.routeUrl() + "\"]",
                     "name: G");
             Member j1 = Member.start(dir, Kind.OURS, "J1", j1p, "name: J", "name: J, gateways: [{name: G, urls: [\""
                     + g1p.gatewayUrl() + "\"]}]");
             Member j2 = Member.start(dir, Kind.OURS, "J2", j2p, "name: J, routes: [\"" + j1p.routeUrl() + "\"]",
                     "name: J")) {
            Monitor.awaitRoutes(WAIT, 1, g1.httpPort, g2.httpPort, j1.httpPort, j2.httpPort);
            for (Member m : List.of(j1, j2)) {
                Monitor.awaitOutbound(WAIT, m.httpPort, "G");
            }
            for (Member m : List.of(g1, g2)) {
                Monitor.awaitOutbound(WAIT, m.httpPort, "J");
            }
            exercise(g2, j2, g1, j1);
            assertNoErrors(g1);
            assertNoErrors(g2);
        }
    }

    @Test
    void aGoServerDialsOurs() throws Exception {
        Member.Plan jp = new Member.Plan();
        Member.Plan gp = new Member.Plan();
        try (Member j = Member.start(dir, Kind.OURS, "J", jp, null, "name: J");
             Member g = Member.start(dir, Kind.GO, "G", gp, null, "name: G, gateways: [{name: J, urls: [\""
                     + jp.gatewayUrl() + "\"]}]")) {
            Monitor.awaitOutbound(WAIT, g.httpPort, "J");
            Monitor.awaitOutbound(WAIT, j.httpPort, "G");
            exercise(g, j, g, j);
            TwoClustersTest.assertInterestOnly(j.httpPort, "G");
            TwoClustersTest.assertInterestOnly(g.httpPort, "J");
            assertNoErrors(g);
        }
    }

    @Test
    void systemRequestsAreAnsweredByEveryServerOfTheSuperCluster() throws Exception {
        String sys = "accounts { SYS { users: [{user: sys, password: sys}] } }\nsystem_account: SYS\n";
        Member.Plan jp = new Member.Plan();
        Member.Plan gp = new Member.Plan();
        try (Member g = Member.startWith(dir, Kind.GO, "G", gp, sys, null, "name: G");
             Member j = Member.startWith(dir, Kind.OURS, "J", jp, sys, null, "name: J, gateways: [{name: G, urls: [\""
                     + gp.gatewayUrl() + "\"]}]")) {
            Monitor.awaitOutbound(WAIT, j.httpPort, "G");
            Monitor.awaitOutbound(WAIT, g.httpPort, "J");
            for (Member asker : List.of(j, g)) {
                try (io.nats.client.Connection c = io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                        .server(asker.clientUrl()).userInfo("sys", "sys").build())) {
                    java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
                    Monitor.await(WAIT, "PING from " + asker.name + " answered by both servers", () -> {
                        try {
                            String inbox = c.createInbox();
                            io.nats.client.Subscription sub = c.subscribe(inbox);
                            c.publish("$SYS.REQ.SERVER.PING", inbox, new byte[0]);
                            io.nats.client.Message m;
                            while ((m = sub.nextMessage(Duration.ofMillis(500))) != null) {
                                String body = new String(m.getData(), java.nio.charset.StandardCharsets.UTF_8);
                                names.add(body.replaceAll("(?s)^.*?\"name\":\"([^\"]*)\".*$", "$1"));
                            }
                            sub.unsubscribe();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return names.containsAll(List.of("G", "J"));
                    });
                }
            }
        }
    }

    /** Pub/sub and requests both ways (between different servers when there are two), queue groups preferring the local cluster. */
    private static void exercise(Member go, Member ours, Member otherGo, Member otherOurs) throws Exception {
        Clients.assertPubSub(go.clientUrl(), ours.clientUrl(), "mix.ps.1");
        Clients.assertPubSub(ours.clientUrl(), go.clientUrl(), "mix.ps.2");
        Clients.assertPubSub(otherOurs.clientUrl(), otherGo.clientUrl(), "mix.ps.3");
        Clients.assertRequestReply(go.clientUrl(), ours.clientUrl(), "mix.rr.1");
        Clients.assertRequestReply(ours.clientUrl(), go.clientUrl(), "mix.rr.2");
        Clients.assertRequestReply(otherOurs.clientUrl(), go.clientUrl(), "mix.rr.3");
        Clients.assertRequestReply(otherGo.clientUrl(), ours.clientUrl(), "mix.rr.4");
        Clients.assertBurst(go.clientUrl(), ours.clientUrl(), "mix.burst.1", 3000, 700);
        Clients.assertBurst(ours.clientUrl(), go.clientUrl(), "mix.burst.2", 3000, 700);
        Clients.assertQueuePrefersLocalCluster(ours.clientUrl(), otherOurs.clientUrl(), go.clientUrl(), 300,
                () -> Monitor.await(WAIT, "ours knows Go's queue members",
                        () -> TwoClustersTest.queueSubs(ours.httpPort, go.name.substring(0, 1)) > 0));
        Clients.assertQueuePrefersLocalCluster(go.clientUrl(), otherGo.clientUrl(), ours.clientUrl(), 300,
                () -> Monitor.await(WAIT, "Go knows our queue members",
                        () -> TwoClustersTest.queueSubs(go.httpPort, ours.name.substring(0, 1)) > 0));
    }

    /** The Go server found nothing wrong with what ours sent (it logs protocol trouble as errors). */
    private static void assertNoErrors(Member go) throws java.io.IOException {
        List<String> errors = go.logText().lines().filter(l -> l.contains("[ERR]")).toList();
        assertEquals(List.of(), errors, "Go logged no errors");
    }
}
