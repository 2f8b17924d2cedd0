package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.leafnode.testing.LeafStarter;
import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Monitor;
import nats.testing.Ports;
import nats.transport.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leaf connection counts in its account as Go's do (addClient/removeClient of a LEAF): the account connection
 * event ({@code $SYS.ACCOUNT.<acc>.SERVER.CONNS}) goes out when it comes and goes, with {@code leafnodes} and
 * {@code total_conns}; {@code /accstatz} and {@code /accountz} count it. Compared with Go 2.9.10 as the hub. The
 * other servers of the cluster learn the count from those events (Go's nrleafs): the meta leader of a JetStream
 * cluster then leaves the JetStream requests of an account without JetStream to the leaf side.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeafAccountCountsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private static final String ACCOUNTS = "system_account: SYS\naccounts {\n"
            + "  SYS { users: [{user: sys, password: p}] }\n"
            + "  B { users: [{user: b, password: p}, {user: leaf, password: p}] }\n}\n";

    private static String leafBody(int hubLeafPort) {
        return "leafnodes { remotes: [{url: \"nats-leaf://leaf:p@127.0.0.1:" + hubLeafPort + "\"}] }";
    }

    @Test
    void aLeafConnectionCountsInItsAccountAsOnGo() throws Exception {
        Map<String, Object> ours;
        try (Ours hub = Ours.start(dir, "HUB", ACCOUNTS + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }")) {
            ours = observe(hub.clientUrl(), hub.httpPort, () -> Ours.start(dir, "LEAF", leafBody(hub.leafPort)));
        }
        assertEquals(1L, ours.get("event with leaf leafnodes"), "the event counts the leaf: " + ours);
        assertEquals(1L, ours.get("event with leaf total_conns"), "in total_conns too: " + ours);
        assertEquals(0L, ours.get("event after leafnodes"), "and the event after it left: " + ours);
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        Map<String, Object> go;
        try (GoServer hub = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + hubHttp + "\n"
                + ACCOUNTS + "leafnodes { listen: 127.0.0.1:" + hubLeaf + " }\n")) {
            go = observe("nats://127.0.0.1:" + hub.port(), hubHttp,
                    () -> GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\n" + leafBody(hubLeaf)));
        }
        assertEquals(go, ours, "the same counts as Go 2.9.10's hub");
    }

    /** The account connection events of B, its /accstatz entry and /accountz leaf count, with a leaf and after. */
    private static Map<String, Object> observe(String hubUrl, int hubHttp, LeafStarter leaf) throws Exception {
        Map<String, Object> seen = new LinkedHashMap<>();
        try (Connection sys = Nats.connect(new Options.Builder().server(hubUrl).userInfo("sys", "p").build())) {
            Subscription events = sys.subscribe("$SYS.ACCOUNT.B.SERVER.CONNS");
            sys.flush(WAIT);
            try (AutoCloseable l = leaf.start()) {
                Leafz.await(WAIT, 1, hubHttp);
                record(seen, "event with leaf ", event(events));
                Map<String, Object> stat = Leafz.get(hubHttp, "/accstatz?unused=1&acc=B");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> stats = (List<Map<String, Object>>) stat.get("account_statz");
                Map<String, Object> b = stats.stream().filter(s -> "B".equals(s.get("acc"))).findFirst().orElseThrow();
                record(seen, "accstatz ", b);
                @SuppressWarnings("unchecked")
                Map<String, Object> detail = (Map<String, Object>) Leafz.get(hubHttp, "/accountz?acc=B")
                        .get("account_detail");
                seen.put("accountz leafnode_connections", number(detail.get("leafnode_connections")));
            }
            Leafz.await(WAIT, 0, hubHttp);
            record(seen, "event after ", event(events));
        }
        return seen;
    }

    private static void record(Map<String, Object> seen, String prefix, Map<String, Object> stat) {
        for (String field : List.of("acc", "conns", "leafnodes", "total_conns")) {
            Object v = stat.get(field);
            seen.put(prefix + field, v instanceof Number ? number(v) : v);
        }
    }

    private static Long number(Object v) {
        return v instanceof Number n ? n.longValue() : null;
    }

    private static Map<String, Object> event(Subscription events) throws InterruptedException {
        Message m = events.nextMessage(WAIT);
        assertNotNull(m, "an account connection event");
        return Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8));
    }

    @Test
    void theMetaLeaderLeavesTheRequestsToALeafOnAnotherServer() throws Exception {
        int r1 = Ports.free();
        int r2 = Ports.free();
        String jsAccounts = ACCOUNTS.replace("  B {", "  JSA { jetstream: enabled, users: [{user: a, password: p}] }\n  B {");
        try (Ours h1 = Ours.start(dir, "H1", hub(r1, r2, "h1") + jsAccounts);
             Ours h2 = Ours.start(dir, "H2", hub(r2, r1, "h2") + jsAccounts)) {
            Monitor.await(WAIT, "a meta leader", () -> !metaLeader(h1).isEmpty());
            Ours leader = metaLeader(h1).equals("H1") ? h1 : h2;
            Ours other = leader == h1 ? h2 : h1;
            assertTrue(answered(leader.clientUrl()).contains("\"err_code\":10039"),
                    "before any leaf, the meta leader answers Go's 10039");
            try (Ours leaf = Ours.start(dir, "LEAF", leafBody(other.leafPort))) {
                Leafz.await(WAIT, 1, other.httpPort);
                Monitor.await(WAIT, "the meta leader leaves it to the leaf side", () -> {
                    try {
                        return answered(leader.clientUrl()).equals("(no answer)");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            Monitor.await(WAIT, "and answers again once the leaf left", () -> {
                try {
                    return answered(leader.clientUrl()).contains("\"err_code\":10039");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private String hub(int route, int otherRoute, String store) {
        return "jetstream { store_dir: \"" + dir.resolve(store) + "\" }\ncluster { name: H, listen: 127.0.0.1:"
                + route + ", routes: [\"nats-route://127.0.0.1:" + otherRoute + "\"] }\n"
                + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }\n";
    }

    private static String metaLeader(Ours server) {
        Object meta = Leafz.get(server.httpPort, "/jsz").get("meta_cluster");
        return meta instanceof Map<?, ?> m && m.get("leader") instanceof String leader ? leader : "";
    }

    /** {@code $JS.API.INFO} from account B: the answer, or "(no answer)" within a second. */
    private static String answered(String url) throws Exception {
        try (Connection nc = Nats.connect(new Options.Builder().server(url).userInfo("b", "p").maxReconnects(0)
                .build())) {
            Subscription replies = nc.subscribe("_R.info");
            nc.publish("$JS.API.INFO", "_R.info", new byte[0]);
            nc.flush(WAIT);
            Message m = replies.nextMessage(Duration.ofSeconds(1));
            return m == null ? "(no answer)" : new String(m.getData(), StandardCharsets.UTF_8);
        }
    }
}
