package nats.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import nats.testing.Clients;
import nats.gateway.testing.Member;
import nats.gateway.testing.Member.Kind;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateways and leaf nodes in one topology: a leaf server L attached to the server of cluster A, cluster B joined to A
 * by a gateway. Interest and messages flow both ways between L and B, requests are answered both ways (the reply
 * crossing the gateway mapped to {@code _GR_.} and shown bare to the responder, also on the leaf), as with Go
 * 2.9.10: the same topology runs with Go servers only (the oracle), ours only, and mixed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayAndLeafTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void goOnly() throws Exception {
        exercise(Kind.GO, Kind.GO, Kind.GO, "go");
    }

    @Test
    void oursOnly() throws Exception {
        exercise(Kind.OURS, Kind.OURS, Kind.OURS, "ours");
    }

    @Test
    void ourLeafOnAGoSuperCluster() throws Exception {
        exercise(Kind.GO, Kind.GO, Kind.OURS, "ourleaf");
    }

    @Test
    void aGoLeafOnOurSuperCluster() throws Exception {
        exercise(Kind.OURS, Kind.OURS, Kind.GO, "goleaf");
    }

    @Test
    void ourLeafOnAGoHubClusterAnsweredByOurCluster() throws Exception {
        exercise(Kind.GO, Kind.OURS, Kind.OURS, "gohub");
    }

    @Test
    void aGoLeafOnOurHubClusterAnsweredByAGoCluster() throws Exception {
        exercise(Kind.OURS, Kind.GO, Kind.GO, "ourhub");
    }

    private void exercise(Kind hubKind, Kind otherKind, Kind leafKind, String tag) throws Exception {
        Member.Plan ap = new Member.Plan();
        Member.Plan bp = new Member.Plan();
        Member.Plan lp = new Member.Plan();
        int leafPort = nats.testing.Ports.free();
        // Go: "leaf nodes and gateways (both being defined) require a system account to also be configured"
        // (an application account with no_auth_user: anonymous clients and the anonymous leaf are bound to it)
        String sys = "accounts { SYS { users: [{user: sys, password: sys}] }, APP { users: [{user: app, password: app}] } }"
                + "\nsystem_account: SYS\nno_auth_user: app\n";
        try (Member a = Member.startWith(dir, hubKind, "A" + tag, ap, sys + "leafnodes { listen: 127.0.0.1:"
                + leafPort + " }", null, "name: A");
             Member b = Member.startWith(dir, otherKind, "B" + tag, bp, sys, null,
                     "name: B, gateways: [{name: A, urls: [\"" + ap.gatewayUrl() + "\"]}]");
             Member l = Member.startWith(dir, leafKind, "L" + tag, lp,
                     "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + leafPort + "\"}] }", null, null)) {
            Monitor.awaitOutbound(WAIT, a.httpPort, "B");
            Monitor.awaitOutbound(WAIT, b.httpPort, "A");
            Monitor.await(WAIT, "the leaf connected to A", () -> leafCount(a) == 1 && leafCount(l) == 1);
            Clients.assertPubSub(l.clientUrl(), b.clientUrl(), "gl." + tag + ".leaf.to.b");
            Clients.assertPubSub(b.clientUrl(), l.clientUrl(), "gl." + tag + ".b.to.leaf");
            Clients.assertBurst(l.clientUrl(), b.clientUrl(), "gl." + tag + ".burst", 2000, 128);
            Clients.assertFreshReplyHiddenAndAnswered(l.clientUrl(), b.clientUrl(), "gl." + tag + ".rr.leaf.to.b");
            Clients.assertFreshReplyHiddenAndAnswered(b.clientUrl(), l.clientUrl(), "gl." + tag + ".rr.b.to.leaf");
            Clients.assertRequestReply(l.clientUrl(), b.clientUrl(), "gl." + tag + ".req.1");
            Clients.assertRequestReply(b.clientUrl(), l.clientUrl(), "gl." + tag + ".req.2");
        }
    }

    private static int leafCount(Member m) {
        Object n = Monitor.get(m.httpPort, "/varz").get("leafnodes");
        return n instanceof Number number ? number.intValue() : 0;
    }
}
