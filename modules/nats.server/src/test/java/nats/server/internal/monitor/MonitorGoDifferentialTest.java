package nats.server.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.server.internal.ServerCore;
import nats.server.internal.system.SystemAccount;
import nats.transport.json.Json;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compares the monitoring documents with the Go reference server ({@code /usr/sbin/nats-server}, v2.9.10)
 * run with {@code -a 127.0.0.1 -p PORT -m HTTP_PORT}: both get the same client and traffic, then every
 * endpoint must have Go's keys in Go's order, values of the same JSON kind, and equal values wherever the
 * value does not depend on the process (ids, times, ports, memory). Skipped without the Go binary.
 *
 * <p>Both servers have the default system account {@code $SYS} with its services, so the subscription
 * counts (the system account's ~40 internal subscriptions, the global account's three system imports)
 * are compared too.
 */
@Timeout(30)
class MonitorGoDifferentialTest {

    private static final Path GO_BINARY = Path.of(System.getProperty("nats.go.server", "/usr/sbin/nats-server"));

    /** Top-level /varz keys Go emits for a plain server that jnatsd leaves out: none. */
    private static final Set<String> GO_ONLY_VARZ = Set.of();
    /** /varz values that must be equal: they come from defaults both servers share. */
    private static final List<String> SAME_VARZ_VALUES = List.of("version", "proto", "host", "max_connections",
            "ping_interval", "ping_max", "http_host", "http_base_path", "https_port", "auth_timeout",
            "max_control_line", "max_payload", "max_pending", "cluster", "gateway", "leaf", "mqtt", "websocket",
            "jetstream", "tls_timeout", "write_deadline", "connections", "total_connections", "routes", "remotes",
            "leafnodes", "slow_consumers", "subscriptions");
    /** Per-connection values that must be equal after the same traffic. */
    private static final List<String> SAME_CONN_VALUES = List.of("cid", "kind", "type", "ip", "pending_bytes", "in_msgs",
            "out_msgs", "in_bytes", "out_bytes", "subscriptions", "name", "lang", "version");

    private static Process go;
    private static Path goLog;
    private static int goHttp;
    private static ServerCore core;
    private static MonitorServer monitor;
    private static SystemAccount system;
    private static int ourHttp;
    private static final List<Connection> clients = new ArrayList<>();

    @BeforeAll
    static void startBoth() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(GO_BINARY), "Go nats-server not installed at " + GO_BINARY);
        int goPort = startGo();
        core = new ServerCore(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT));
        core.start();
        MonitorDocuments documents = new MonitorDocuments(core);
        system = SystemAccount.start(core, documents).orElseThrow();
        monitor = new MonitorServer(documents);
        ourHttp = monitor.start("127.0.0.1", 0);
        exercise(goPort);
        exercise(core.port());
    }

    /** The same client on both servers: two subscriptions, three 5-byte messages to itself. */
    private static void exercise(int port) throws Exception {
        Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                .connectionName("differential").noReconnect().build());
        clients.add(nc);
        Subscription orders = nc.subscribe("orders.>");
        nc.subscribe("work", "q1");
        nc.flush(Duration.ofSeconds(2));
        for (int i = 0; i < 3; i++) {
            nc.publish("orders.new", "hello".getBytes(StandardCharsets.UTF_8));
        }
        nc.flush(Duration.ofSeconds(2));
        for (int i = 0; i < 3; i++) {
            assertNotNull(orders.nextMessage(Duration.ofSeconds(2)));
        }
        // A client that leaves, for the closed-connection list.
        try (Connection leaver = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                .connectionName("leaver").noReconnect().build())) {
            leaver.subscribe("leaving.soon");
            leaver.publish("orders.gone", "bye".getBytes(StandardCharsets.UTF_8));
            leaver.flush(Duration.ofSeconds(2));
        }
    }

    private static int startGo() throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            int http = freePort();
            goLog = Files.createTempFile("go-nats-monitor-", ".log");
            go = new ProcessBuilder(GO_BINARY.toString(), "-a", "127.0.0.1", "-p", String.valueOf(port),
                    "-m", String.valueOf(http)).redirectErrorStream(true).redirectOutput(goLog.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (go.isAlive() && System.nanoTime() < deadline) {
                try {
                    if (Http.get(http, "/healthz").status() == 200) {
                        goHttp = http;
                        return port;
                    }
                } catch (IOException e) {
                    Thread.sleep(20);
                }
            }
            last = new IOException("Go nats-server did not start: " + Files.readString(goLog));
            stopGo();
        }
        throw last;
    }

    private static int freePort() throws IOException {
        return nats.testing.Ports.free();
    }

    @AfterAll
    static void stopBoth() throws Exception {
        for (Connection c : clients) {
            c.close();
        }
        if (monitor != null) {
            monitor.stop();
        }
        if (system != null) {
            system.shutdown();
        }
        if (core != null) {
            core.shutdown();
        }
        stopGo();
    }

    private static void stopGo() throws Exception {
        if (go != null) {
            go.destroy();
            if (!go.waitFor(5, TimeUnit.SECONDS)) {
                go.destroyForcibly();
            }
            go = null;
        }
        if (goLog != null) {
            Files.deleteIfExists(goLog);
        }
    }

    private static Map<String, Object> goJson(String path) throws IOException {
        return parse(Http.get(goHttp, path), "go " + path);
    }

    private static Map<String, Object> ourJson(String path) throws IOException {
        return parse(Http.get(ourHttp, path), "jnatsd " + path);
    }

    private static Map<String, Object> parse(Http.Response r, String what) {
        assertEquals(200, r.status(), () -> what + ": " + r.body());
        assertEquals("application/json", r.contentType(), what);
        return Json.parseObject(r.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    private static String kind(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "string";
            case Number n -> "number";
            case Boolean b -> "bool";
            case Map<?, ?> m -> "object";
            case List<?> l -> "array";
            default -> v.getClass().getSimpleName();
        };
    }

    /** Same keys in the same order (less {@code goOnly}), each of the same JSON kind. */
    private static void assertSameShape(String what, Map<String, Object> go, Map<String, Object> ours,
                                        Set<String> goOnly) {
        List<String> expected = go.keySet().stream().filter(k -> !goOnly.contains(k)).toList();
        assertEquals(expected, List.copyOf(ours.keySet()), what + ": keys (Go order)");
        Map<String, String> goKinds = new TreeMap<>();
        Map<String, String> ourKinds = new TreeMap<>();
        for (String k : expected) {
            goKinds.put(k, kind(go.get(k)));
            ourKinds.put(k, kind(ours.get(k)));
        }
        assertEquals(goKinds, ourKinds, what + ": value kinds");
    }

    private static void assertSameValues(String what, Map<String, Object> go, Map<String, Object> ours,
                                         List<String> keys) {
        Map<String, Object> goValues = new LinkedHashMap<>();
        Map<String, Object> ourValues = new LinkedHashMap<>();
        for (String k : keys) {
            goValues.put(k, go.get(k));
            ourValues.put(k, ours.get(k));
        }
        assertEquals(goValues, ourValues, what + ": values");
    }

    private static Map<String, Object> without(Map<String, Object> doc, String... keys) {
        Map<String, Object> copy = new LinkedHashMap<>(doc);
        for (String k : keys) {
            copy.remove(k);
        }
        return copy;
    }

    @Test
    void varzHasEveryKeyGoEmits() throws Exception {
        Map<String, Object> go = goJson("/varz");
        Map<String, Object> ours = ourJson("/varz");
        Set<String> missing = new HashSet<>(go.keySet());
        missing.removeAll(ours.keySet());
        assertEquals(GO_ONLY_VARZ, missing, "top-level /varz keys Go has and jnatsd lacks");
        assertSameShape("/varz", go, ours, GO_ONLY_VARZ);
        // http_host is where each monitor listens; both were told 127.0.0.1.
        assertSameValues("/varz", go, ours, SAME_VARZ_VALUES);
        assertTrue(object(go.get("http_req_stats")).containsKey("/varz"));
        assertTrue(object(ours.get("http_req_stats")).containsKey("/varz"));
    }

    @Test
    void closedConnectionsMatchGo() throws Exception {
        // Go records a closed client asynchronously.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (list(goJson("/connz?state=closed").get("connections")).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        for (String path : List.of("/connz?state=closed", "/connz?state=closed&subs=detail&auth=1",
                "/connz?state=closed&sort=stop", "/connz?state=closed&sort=reason", "/connz?state=all&subs=1")) {
            Map<String, Object> go = goJson(path);
            Map<String, Object> ours = ourJson(path);
            assertSameShape(path, go, ours, Set.of());
            assertSameValues(path, go, ours, List.of("num_connections", "total", "offset", "limit"));
            List<Object> goConns = list(go.get("connections"));
            List<Object> ourConns = list(ours.get("connections"));
            for (int i = 0; i < goConns.size(); i++) {
                Map<String, Object> g = object(goConns.get(i));
                Map<String, Object> o = object(ourConns.get(i));
                assertSameShape(path + " connection " + i, g, o, Set.of());
                List<String> same = new ArrayList<>(SAME_CONN_VALUES);
                same.add("reason");
                // What was still queued when the client left depends on timing (a PONG, say).
                same.remove("pending_bytes");
                assertSameValues(path + " connection " + i, g, o, same);
            }
        }
    }

    @Test
    void connzMatchesGoForTheSameClient() throws Exception {
        Map<String, Object> go = goJson("/connz?subs=1");
        Map<String, Object> ours = ourJson("/connz?subs=1");
        assertSameShape("/connz", go, ours, Set.of());
        assertSameValues("/connz", go, ours, List.of("num_connections", "total", "offset", "limit"));
        Map<String, Object> goConn = object(list(go.get("connections")).getFirst());
        Map<String, Object> ourConn = object(list(ours.get("connections")).getFirst());
        assertSameShape("/connz connection", goConn, ourConn, Set.of());
        assertSameValues("/connz connection", goConn, ourConn, SAME_CONN_VALUES);
        assertEquals(Set.copyOf(list(goConn.get("subscriptions_list"))), Set.copyOf(list(ourConn.get("subscriptions_list"))));

        Map<String, Object> goDetail = object(list(goJson("/connz?subs=detail").get("connections")).getFirst());
        Map<String, Object> ourDetail = object(list(ourJson("/connz?subs=detail").get("connections")).getFirst());
        assertSameShape("/connz?subs=detail connection", goDetail, ourDetail, Set.of());
        assertEquals(bySubject(goDetail.get("subscriptions_list_detail")).keySet(),
                bySubject(ourDetail.get("subscriptions_list_detail")).keySet());
        for (String subject : List.of("orders.>", "work")) {
            Map<String, Object> g = bySubject(goDetail.get("subscriptions_list_detail")).get(subject);
            Map<String, Object> o = bySubject(ourDetail.get("subscriptions_list_detail")).get(subject);
            assertSameShape("subscription " + subject, g, o, Set.of());
            assertSameValues("subscription " + subject, g, o, List.of("subject", "qgroup", "msgs"));
        }

        Map<String, Object> goNone = goJson("/connz?cid=999999");
        Map<String, Object> ourNone = ourJson("/connz?cid=999999");
        assertEquals(without(goNone, "server_id", "now"), without(ourNone, "server_id", "now"));
    }

    private static Map<String, Map<String, Object>> bySubject(Object details) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (Object d : list(details)) {
            out.put((String) object(d).get("subject"), object(d));
        }
        return out;
    }

    @Test
    void subszMatchesGo() throws Exception {
        assertSameShape("/subsz", goJson("/subsz"), ourJson("/subsz"), Set.of());
        assertSameShape("/subscriptionsz", goJson("/subscriptionsz"), ourJson("/subscriptionsz"), Set.of());
        Map<String, Object> go = goJson("/subsz?subs=1&test=orders.new");
        Map<String, Object> ours = ourJson("/subsz?subs=1&test=orders.new");
        assertSameShape("/subsz?subs=1", go, ours, Set.of());
        assertSameValues("/subsz?subs=1", go, ours, List.of("total", "offset", "limit"));
        Map<String, Object> g = object(list(go.get("subscriptions_list")).getFirst());
        Map<String, Object> o = object(list(ours.get("subscriptions_list")).getFirst());
        assertSameShape("/subsz entry", g, o, Set.of());
        assertSameValues("/subsz entry", g, o, List.of("account", "subject", "msgs"));
    }

    @Test
    void unconfiguredFeaturesMatchGo() throws Exception {
        for (String path : List.of("/routez", "/gatewayz", "/leafz", "/jsz", "/routez?subs=detail")) {
            Map<String, Object> go = goJson(path);
            Map<String, Object> ours = ourJson(path);
            assertSameShape(path, go, ours, Set.of());
            assertEquals(without(go, "server_id", "now"), without(ours, "server_id", "now"), path);
        }
        assertEquals(Http.get(goHttp, "/healthz").body(), Http.get(ourHttp, "/healthz").body());
        assertEquals(Http.get(goHttp, "/ipqueuesz").body(), Http.get(ourHttp, "/ipqueuesz").body());
        assertSameShape("/accountz", goJson("/accountz"), ourJson("/accountz"), Set.of());
        // Go lists its accounts in map order, which varies from run to run.
        assertEquals(new HashSet<>((List<?>) goJson("/accountz").get("accounts")),
                new HashSet<>((List<?>) ourJson("/accountz").get("accounts")),
                "both list the global and the system account");
        Map<String, Object> goAccount = object(goJson("/accountz?acc=$G").get("account_detail"));
        Map<String, Object> ourAccount = object(ourJson("/accountz?acc=$G").get("account_detail"));
        assertSameShape("/accountz?acc=$G", goAccount, ourAccount, Set.of());
        assertSameValues("/accountz?acc=$G", goAccount, ourAccount, List.of("account_name", "expired", "complete",
                "jetstream_enabled", "leafnode_connections", "client_connections", "subscriptions"));
        // The system account's services the global account imports; Go lists them in map order.
        assertEquals(new HashSet<>(list(goAccount.get("imports"))), new HashSet<>(list(ourAccount.get("imports"))),
                "/accountz?acc=$G imports");
        Map<String, Object> goStat = object(list(goJson("/accstatz").get("account_statz")).getFirst());
        Map<String, Object> ourStat = object(list(ourJson("/accstatz").get("account_statz")).getFirst());
        assertEquals(goStat, ourStat, "/accstatz for $G");
    }

    @Test
    void errorsAndJsonpMatchGo() throws Exception {
        for (String path : List.of("/connz?sort=bogus", "/connz?limit=x", "/connz?subs=maybe", "/connz?cid=-1",
                "/connz?state=gone", "/connz?sort=reason", "/subsz?subs=1&test=a.*", "/accountz?acc=nope",
                "/nope", "/varz/")) {
            Http.Response go = Http.get(goHttp, path);
            Http.Response ours = Http.get(ourHttp, path);
            assertEquals(go.status(), ours.status(), path);
            assertEquals(go.body(), ours.body(), path);
        }
        Http.Response go = Http.get(goHttp, "/routez?callback=cb");
        Http.Response ours = Http.get(ourHttp, "/routez?callback=cb");
        assertEquals(go.contentType(), ours.contentType());
        assertTrue(go.body().startsWith("cb({\n  \"server_id\"") && ours.body().startsWith("cb({\n  \"server_id\""));
    }
}
