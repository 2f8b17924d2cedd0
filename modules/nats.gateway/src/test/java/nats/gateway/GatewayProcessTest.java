package nats.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import nats.gateway.testing.Member.Kind;
import nats.gateway.testing.Member;
import nats.testing.Clients;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateways between servers in child JVMs: a gateway node killed with SIGKILL and started again on its ports is
 * reconnected (messages and requests cross again); and the optimistic mode of Go before 2.9 (asked for with
 * {@code -Dnats.gateway.optimistic=true}), where a cluster answers RS- until, after Go's threshold of 1000
 * subjects, it switches the account to interest-only and sends all its subscriptions.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aKilledGatewayNodeIsReconnectedWhenItComesBack() throws Exception {
        Member.Plan ap = new Member.Plan();
        Member.Plan bp = new Member.Plan();
        try (Member a = Member.start(dir, Kind.OURS_PROCESS, "A", ap, null, "name: A");
             Member b = Member.start(dir, Kind.OURS, "B", bp, null, "name: B, gateways: [{name: A, urls: [\""
                     + ap.gatewayUrl() + "\"]}]")) {
            Monitor.awaitOutbound(WAIT, b.httpPort, "A");
            Monitor.awaitOutbound(WAIT, a.httpPort, "B");
            Clients.assertPubSub(a.clientUrl(), b.clientUrl(), "k.before");
            a.kill();
            Monitor.await(WAIT, "B notices A is gone", () -> Monitor.outbound(b.httpPort).isEmpty());
            a.launch();
            Monitor.awaitOutbound(WAIT, b.httpPort, "A");
            Monitor.awaitOutbound(WAIT, a.httpPort, "B");
            Clients.assertPubSub(a.clientUrl(), b.clientUrl(), "k.after.1");
            Clients.assertPubSub(b.clientUrl(), a.clientUrl(), "k.after.2");
            Clients.assertRequestReply(a.clientUrl(), b.clientUrl(), "k.after.rr");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void optimisticModeSwitchesToInterestOnlyAfterTooManySubjectsWithoutInterest() throws Exception {
        Member.Plan ap = new Member.Plan();
        Member.Plan bp = new Member.Plan();
        String optimistic = "-Dnats.gateway.optimistic=true";
        try (Member a = Member.start(dir, Kind.OURS_PROCESS, "A", ap, null, "name: A", optimistic);
             Member b = Member.start(dir, Kind.OURS_PROCESS, "B", bp, null, "name: B, gateways: [{name: A, urls: [\""
                     + ap.gatewayUrl() + "\"]}]", optimistic);
             Connection pubA = Clients.connect(a.clientUrl());
             Connection subB = Clients.connect(b.clientUrl())) {
            Monitor.awaitOutbound(WAIT, a.httpPort, "B");
            Monitor.awaitOutbound(WAIT, b.httpPort, "A");
            // B has a subscriber in $G (so no A- for the account), on a subject A does not publish to.
            io.nats.client.Subscription kept = subB.subscribe("wanted");
            subB.flush(Duration.ofSeconds(2));
            Clients.awaitInterest(pubA, "wanted", kept);
            for (int i = 0; i < 500; i++) {
                pubA.publish("nobody." + i, "x".getBytes(StandardCharsets.UTF_8));
            }
            pubA.flush(WAIT);
            Monitor.await(WAIT, "A records B's RS- for 500 subjects", () -> outbound$G(a).get("no_interest_count")
                    instanceof Number n && n.intValue() == 500);
            assertEquals("Optimistic", outbound$G(a).get("interest_mode"), "still optimistic under the threshold");
            for (int i = 500; i < 1100; i++) {
                pubA.publish("nobody." + i, "x".getBytes(StandardCharsets.UTF_8));
            }
            pubA.flush(WAIT);
            Monitor.await(WAIT, "A's account switched to interest-only",
                    () -> "Interest-Only".equals(outbound$G(a).get("interest_mode")));
            Map<String, Object> now = outbound$G(a);
            assertTrue(((Number) now.get("num_subs")).intValue() >= 1, "B sent its subscriptions: " + now);
            Map<String, Object> in = inbound$G(b);
            assertEquals("Interest-Only", in.get("interest_mode"), "B's inbound side switched too: " + in);
            // Interest-only from now on: a new subscriber on B is announced and reached.
            Clients.assertPubSub(a.clientUrl(), b.clientUrl(), "after.switch");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> outbound$G(Member m) {
        Map<String, Object> out = (Map<String, Object>) ((Map<String, Object>) Monitor.get(m.httpPort,
                "/gatewayz?accs=1").get("outbound_gateways")).values().iterator().next();
        return ((List<Map<String, Object>>) out.getOrDefault("accounts", List.of())).stream()
                .filter(x -> "$G".equals(x.get("name"))).findFirst().orElse(Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inbound$G(Member m) {
        List<Map<String, Object>> in = (List<Map<String, Object>>) ((Map<String, Object>) Monitor.get(m.httpPort,
                "/gatewayz?accs=1").get("inbound_gateways")).values().iterator().next();
        return ((List<Map<String, Object>>) in.get(0).getOrDefault("accounts", List.of())).stream()
                .filter(x -> "$G".equals(x.get("name"))).findFirst().orElse(Map.of());
    }
}
