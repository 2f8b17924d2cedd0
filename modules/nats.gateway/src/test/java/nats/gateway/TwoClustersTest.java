package nats.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import nats.gateway.testing.Member.Kind;
import nats.gateway.testing.Member;
import nats.testing.Clients;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two of our clusters joined by gateways: two servers each, one gateway URL configured on one side only; gossip
 * over routes and gateways makes every server dial the other cluster. Messages, requests and queue groups cross.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoClustersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void twoClustersOfTwoShareMessagesRequestsAndQueues() throws Exception {
        Member.Plan a1p = new Member.Plan();
        Member.Plan a2p = new Member.Plan();
        Member.Plan b1p = new Member.Plan();
        Member.Plan b2p = new Member.Plan();
        try (Member a1 = Member.start(dir, Kind.OURS, "A1", a1p, "name: A", "name: A");
             Member a2 = Member.start(dir, Kind.OURS, "A2", a2p, "name: A, routes: [\"" + a1p.routeUrl() + "\"]",
                     "name: A");
             Member b1 = Member.start(dir, Kind.OURS, "B1", b1p, "name: B", "name: B, gateways: [{name: A, urls: [\""
                     + a1p.gatewayUrl() + "\"]}]");
             Member b2 = Member.start(dir, Kind.OURS, "B2", b2p, "name: B, routes: [\"" + b1p.routeUrl() + "\"]",
                     "name: B")) {
            Monitor.awaitRoutes(WAIT, 1, a1.httpPort, a2.httpPort, b1.httpPort, b2.httpPort);
            for (Member m : List.of(b1, b2)) {
                Monitor.awaitOutbound(WAIT, m.httpPort, "A");
            }
            for (Member m : List.of(a1, a2)) {
                Monitor.awaitOutbound(WAIT, m.httpPort, "B");
            }
            assertEquals("A", ((Map<?, ?>) Monitor.get(a2.httpPort, "/varz").get("gateway")).get("name"),
                    "varz has the gateway section");
            Clients.assertPubSub(a2.clientUrl(), b2.clientUrl(), "gw.ps.1");
            Clients.assertPubSub(b1.clientUrl(), a2.clientUrl(), "gw.ps.2");
            Clients.assertRequestReply(a2.clientUrl(), b2.clientUrl(), "gw.rr.1");
            Clients.assertRequestReply(b1.clientUrl(), a1.clientUrl(), "gw.rr.2");
            Clients.assertBurst(a1.clientUrl(), b2.clientUrl(), "gw.burst", 3000, 500);
            Clients.assertQueuePrefersLocalCluster(a1.clientUrl(), a2.clientUrl(), b2.clientUrl(), 500,
                    () -> Monitor.await(WAIT, "A1 knows B's queue members", () -> queueSubs(a1.httpPort, "B") > 0));
            assertInterestOnly(a1.httpPort, "B");
        }
    }

    @Test
    void accountsStaySeparateAcrossTheGateway() throws Exception {
        String accounts = "accounts { RED { users: [{user: red, password: red}] }, BLUE { users: [{user: blue,"
                + " password: blue}] } }\n";
        Member.Plan xp = new Member.Plan();
        Member.Plan yp = new Member.Plan();
        try (Member x = Member.startWith(dir, Kind.OURS, "X", xp, accounts, null, "name: X");
             Member y = Member.startWith(dir, Kind.OURS, "Y", yp, accounts, null, "name: Y, gateways: [{name: X, urls: [\""
                     + xp.gatewayUrl() + "\"]}]");
             io.nats.client.Connection redPub = user(x, "red");
             io.nats.client.Connection redSub = user(y, "red");
             io.nats.client.Connection blueSub = user(y, "blue")) {
            Monitor.awaitOutbound(WAIT, x.httpPort, "Y");
            Monitor.awaitOutbound(WAIT, y.httpPort, "X");
            io.nats.client.Subscription red = redSub.subscribe("shared");
            io.nats.client.Subscription blue = blueSub.subscribe("shared");
            redSub.flush(Duration.ofSeconds(2));
            blueSub.flush(Duration.ofSeconds(2));
            Clients.awaitInterest(redPub, "shared", red);
            redPub.publish("shared", "r".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            redPub.flush(Duration.ofSeconds(2));
            io.nats.client.Message m = red.nextMessage(Duration.ofSeconds(5));
            assertEquals("r", m == null ? null : new String(m.getData(), java.nio.charset.StandardCharsets.UTF_8),
                    "RED's subscriber in the other cluster gets RED's message");
            assertEquals(null, blue.nextMessage(Duration.ofMillis(500)), "BLUE's subscriber on the same subject does not");
        }
    }

    private static io.nats.client.Connection user(Member m, String name) throws Exception {
        return io.nats.client.Nats.connect(new io.nats.client.Options.Builder().server(m.clientUrl())
                .userInfo(name, name).connectionTimeout(Duration.ofSeconds(5)).build());
    }

    /** Go 2.9 switches every account to interest-only mode when a gateway connects: /gatewayz says so. */
    @SuppressWarnings("unchecked")
    static void assertInterestOnly(int httpPort, String remote) {
        Map<String, Object> out = (Map<String, Object>) ((Map<String, Object>) Monitor.get(httpPort,
                "/gatewayz?accs=1").get("outbound_gateways")).get(remote);
        List<Map<String, Object>> accounts = (List<Map<String, Object>>) out.get("accounts");
        Map<String, Object> global = accounts.stream().filter(a -> "$G".equals(a.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no $G account in " + out));
        assertEquals("Interest-Only", global.get("interest_mode"), "$G on the outbound gateway to " + remote);
        assertEquals(1000L, ((Number) global.get("interest_only_threshold")).longValue(), "Go's threshold");
    }

    @SuppressWarnings("unchecked")
    static int queueSubs(int httpPort, String remote) {
        Map<String, Object> out = (Map<String, Object>) ((Map<String, Object>) Monitor.get(httpPort,
                "/gatewayz?accs=1").get("outbound_gateways")).get(remote);
        if (out == null || !(out.get("accounts") instanceof List<?> accounts)) {
            return 0;
        }
        int n = 0;
        for (Object a : accounts) {
            if (((Map<String, Object>) a).get("num_queue_subs") instanceof Number q) {
                n += q.intValue();
            }
        }
        return n;
    }
}
