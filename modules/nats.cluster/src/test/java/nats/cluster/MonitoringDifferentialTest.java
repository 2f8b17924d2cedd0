package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.cluster.testing.GoNode;
import nats.cluster.testing.Node;
import nats.cluster.testing.Ports;
import nats.testing.Monitor;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same two-server cluster run by Go 2.9.10 and by us: /routez (plain, subs=1, subs=detail), the cluster parts
 * of /varz, the client INFO, and the ROUTEZ and STATSZ system requests answered by both servers, compared field by
 * field (values that are per-process, such as ids, ports and times, by type only).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MonitoringDifferentialTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ACCOUNTS = "accounts { SYS { users [{user: sys, password: sys}] }, "
            + "APP { users [{user: app, password: app}] } }\nsystem_account: SYS";

    @TempDir
    Path dir;

    /** Who answers what, for one implementation. */
    private record Observed(Map<String, Object> routezSeed, Map<String, Object> routezJoiner,
                            Map<String, Object> routezDetail, Map<String, Object> routezSubs,
                            Map<String, Object> varzSeed, List<String> infoFields, List<Map<String, Object>> pingRoutez,
                            List<Map<String, Object>> pingStatsz) {
    }

    @Test
    void routezVarzInfoAndSystemRequestsMatchGo() throws Exception {
        GoNode.assumeAvailable();
        Observed go;
        try (GoNode a = GoNode.start(dir, "GA", Ports.free(), "name: d", ACCOUNTS);
             GoNode b = GoNode.start(dir, "GB", Ports.free(), "name: d, routes: [\"" + a.routeUrl() + "\"]",
                     ACCOUNTS)) {
            go = observe(a.httpPort, b.httpPort, a.port, b.port);
        }
        Observed ours;
        // Ours without pooling (one route per peer, as Go 2.9); the fields Go 2.10 added are left out of the shapes.
        try (Node a = Node.start(dir, "JA", Ports.free(), "name: d", ACCOUNTS);
             Node b = Node.start(dir, "JB", Ports.free(), "name: d, routes: [\"" + a.routeUrl() + "\"]",
                     ACCOUNTS)) {
            ours = observe(a.httpPort, b.httpPort, a.port, b.port);
        }
        assertEquals(shape(go.routezSeed()), shape(ours.routezSeed()), "/routez on the seed");
        assertEquals(flags(go.routezSeed()), flags(ours.routezSeed()), "the seed's route was accepted, not configured");
        assertEquals(shape(go.routezJoiner()), shape(ours.routezJoiner()), "/routez on the joiner");
        assertEquals(flags(go.routezJoiner()), flags(ours.routezJoiner()), "the joiner's route is solicited, configured");
        assertEquals(shape(go.routezSubs()), shape(ours.routezSubs()), "/routez?subs=1");
        assertEquals(shape(go.routezDetail()), shape(ours.routezDetail()), "/routez?subs=detail");
        assertEquals(subjects(go.routezSubs()), subjects(ours.routezSubs()),
                "the peer's interest: the system account's subscriptions, and the test's own");
        assertEquals(shape(go.varzSeed().get("cluster")), shape(ours.varzSeed().get("cluster")), "/varz cluster");
        assertEquals(go.varzSeed().get("routes"), ours.varzSeed().get("routes"), "/varz routes");
        assertEquals(((List<?>) go.varzSeed().get("connect_urls")).size(),
                ((List<?>) ours.varzSeed().get("connect_urls")).size(), "/varz connect_urls");
        assertEquals(go.infoFields(), ours.infoFields(), "the fields of a client's INFO, in order");
        assertEquals(go.pingRoutez().size(), ours.pingRoutez().size(), "every server answers ROUTEZ");
        assertEquals(shape(go.pingRoutez().get(0)), shape(ours.pingRoutez().get(0)), "ROUTEZ answer");
        assertEquals(go.pingStatsz().size(), ours.pingStatsz().size(), "every server answers STATSZ");
        assertEquals(shape(routeStats(go.pingStatsz().get(0))), shape(routeStats(ours.pingStatsz().get(0))),
                "STATSZ routes");
    }

    @Test
    void statszCountsTheActiveServersOfTheCluster() throws Exception {
        try (Node a = Node.start(dir, "JA", Ports.free(), "name: d", ACCOUNTS);
             Node b = Node.start(dir, "JB", Ports.free(), "name: d, routes: [\"" + a.routeUrl() + "\"]", ACCOUNTS)) {
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
            // Each server hears the other's statistics heartbeat (250 ms, then at doubling intervals).
            Monitor.await(WAIT, "both servers count two active servers", () -> {
                try {
                    List<Map<String, Object>> answers = systemRequest(a.port, "$SYS.REQ.SERVER.PING.STATSZ", 2);
                    return answers.size() == 2 && answers.stream().allMatch(m -> Integer.valueOf(2).equals(
                            ((Number) ((Map<?, ?>) m.get("statsz")).get("active_servers")).intValue()));
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    private Observed observe(int seedHttp, int joinerHttp, int seedPort, int joinerPort) throws Exception {
        Monitor.awaitRoutes(WAIT, 1, seedHttp, joinerHttp);
        try (Connection app = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + joinerPort)
                .userInfo("app", "app").build())) {
            app.subscribe("diff.plain");
            app.subscribe("diff.queue", "workers");
            app.flush(Duration.ofSeconds(2));
            Monitor.await(WAIT, "the seed sees the joiner's subscriptions",
                    () -> Monitor.text(seedHttp, "/routez?subs=1").contains("diff.queue"));
            List<Map<String, Object>> routez = systemRequest(seedPort, "$SYS.REQ.SERVER.PING.ROUTEZ", 2);
            List<Map<String, Object>> statsz = systemRequest(seedPort, "$SYS.REQ.SERVER.PING.STATSZ", 2);
            return new Observed(Monitor.get(seedHttp, "/routez"), Monitor.get(joinerHttp, "/routez"),
                    Monitor.get(seedHttp, "/routez?subs=detail"), Monitor.get(seedHttp, "/routez?subs=1"),
                    Monitor.get(seedHttp, "/varz"), infoFields(seedPort), routez, statsz);
        }
    }

    /** Sends a system request as the system user and collects {@code expected} answers (bounded). */
    private static List<Map<String, Object>> systemRequest(int port, String subject, int expected) throws Exception {
        try (Connection sys = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                .userInfo("sys", "sys").build())) {
            List<Map<String, Object>> answers = new ArrayList<>();
            String inbox = sys.createInbox();
            Subscription sub = sys.subscribe(inbox);
            sys.flush(Duration.ofSeconds(2));
            long deadline = System.nanoTime() + WAIT.toNanos();
            // The peer's interest in the request subject arrives with the route; ask until every server answers.
            while (answers.size() < expected && System.nanoTime() < deadline) {
                answers.clear();
                sys.publish(subject, inbox, "{}".getBytes(StandardCharsets.UTF_8));
                sys.flush(Duration.ofSeconds(2));
                Message m;
                while ((m = sub.nextMessage(Duration.ofMillis(500))) != null) {
                    answers.add(Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8)));
                }
            }
            return answers;
        }
    }

    @SuppressWarnings("unchecked")
    private static Object routeStats(Map<String, Object> statszAnswer) {
        Map<String, Object> statsz = (Map<String, Object>) statszAnswer.get("statsz");
        return statsz.get("routes");
    }

    /** The field names of the INFO a client gets, in order. */
    private static List<String> infoFields(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            OutputStream out = s.getOutputStream();
            out.write("CONNECT {\"protocol\":1,\"user\":\"app\",\"pass\":\"app\"}\r\n".getBytes(StandardCharsets.US_ASCII));
            Map<String, Object> info = Json.parseObject(line.substring(5).trim());
            return new ArrayList<>(info.keySet());
        }
    }

    /** The route flags that say who dialled whom. */
    @SuppressWarnings("unchecked")
    private static List<Object> flags(Map<String, Object> routez) {
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) routez.get("routes")) {
            out.add(r.get("did_solicit"));
            out.add(r.get("is_configured"));
        }
        return out;
    }

    /** The subjects the seed lists for its route, with per-server tokens replaced. */
    @SuppressWarnings("unchecked")
    private static List<String> subjects(Map<String, Object> routez) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) routez.get("routes")) {
            for (Object s : (List<Object>) r.get("subscriptions_list")) {
                out.add(((String) s).replaceAll("N[A-Z0-9]{55}", "<server>")
                        .replaceAll("(\\$SYS\\._INBOX\\.|\\$SYS\\.LATENCY\\.M2\\.)[A-Za-z0-9]+", "$1<id>"));
            }
        }
        out.sort(null);
        return out;
    }

    /** A JSON value with its leaves replaced by their types: the same shape means the same fields in order. */
    @SuppressWarnings("unchecked")
    private static Object shape(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            // Unconfigured, our routes are Go 2.9's: none of Go 2.10's pool_size, account or compression fields.
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, shape(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            // The fullest element stands for the list: entries come in hash order on both servers, and only
            // some have optional fields (a queue subscription's qgroup).
            Object fullest = null;
            for (Object e : l) {
                Object s = shape(e);
                if (fullest == null || s instanceof Map<?, ?> sm && fullest instanceof Map<?, ?> fm
                        && sm.size() > fm.size()) {
                    fullest = s;
                }
            }
            return fullest == null ? List.of() : List.of(fullest);
        }
        return value == null ? "null" : value instanceof Number ? "number" : value.getClass().getSimpleName();
    }
}
