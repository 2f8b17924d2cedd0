package nats.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import nats.gateway.testing.Clients;
import nats.gateway.testing.Member;
import nats.gateway.testing.Member.Kind;
import nats.gateway.testing.Monitor;
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
