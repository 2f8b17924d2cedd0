package nats.server.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.server.internal.ServerCore;
import nats.transport.json.Json;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The monitoring endpoints over a live {@link ServerCore}, driven by the official Java client. */
@Timeout(20)
class MonitorServerTest {

    private static final String UPTIME = "(\\d+y)?(\\d+d)?(\\d+h)?(\\d+m)?\\d+s";
    /** The global account imports three of the system account's services, as in Go; each is a subscription. */
    private static final long SYSTEM_IMPORTS = 3;

    private ServerCore core;
    private MonitorServer monitor;
    private int httpPort;
    private final List<Connection> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        core = new ServerCore(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT));
        core.start();
        monitor = new MonitorServer(core);
        httpPort = monitor.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws Exception {
        for (Connection c : clients) {
            c.close();
        }
        monitor.stop();
        core.shutdown();
    }

    private Connection connect(String name) throws Exception {
        Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + core.port())
                .connectionName(name).noReconnect().build());
        clients.add(nc);
        return nc;
    }

    /** One named client with two subscriptions that published three 5-byte messages to itself. */
    private Connection busyClient() throws Exception {
        Connection nc = connect("monitor-test");
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
        return nc;
    }

    private Http.Response get(String pathAndQuery) throws IOException {
        return Http.get(httpPort, pathAndQuery);
    }

    private Map<String, Object> json(String pathAndQuery) throws IOException {
        Http.Response response = get(pathAndQuery);
        assertEquals(200, response.status(), () -> pathAndQuery + ": " + response.body());
        assertEquals("application/json", response.contentType());
        return Json.parseObject(response.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return (Map<String, Object>) assertInstanceOf(Map.class, value);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) assertInstanceOf(List.class, value);
    }

    @Test
    void varzReportsIdentityOptionsAndCounters() throws Exception {
        busyClient();
        Http.Response raw = get("/varz");
        assertTrue(raw.body().startsWith("{\n  \"server_id\": \""), "indented like json.MarshalIndent");
        Map<String, Object> v = json("/varz");
        assertEquals(core.identity().serverId(), v.get("server_id"));
        assertEquals(core.identity().serverName(), v.get("server_name"));
        assertEquals("2.9.10", v.get("version"));
        assertEquals(1L, v.get("proto"));
        assertTrue(((String) v.get("go")).startsWith("java" + Runtime.version().feature()));
        assertEquals("127.0.0.1", v.get("host"));
        assertEquals((long) core.port(), v.get("port"));
        assertEquals("127.0.0.1", v.get("http_host"));
        assertEquals((long) httpPort, v.get("http_port"));
        assertEquals(65536L, v.get("max_connections"));
        assertEquals(120_000_000_000L, v.get("ping_interval"));
        assertEquals(2L, v.get("ping_max"));
        assertEquals(2L, v.get("auth_timeout"));
        assertEquals(4096L, v.get("max_control_line"));
        assertEquals(1048576L, v.get("max_payload"));
        assertEquals(67108864L, v.get("max_pending"));
        assertEquals(10_000_000_000L, v.get("write_deadline"));
        for (String block : List.of("cluster", "gateway", "leaf", "mqtt", "websocket", "jetstream")) {
            assertEquals(Map.of(), v.get(block), block);
        }
        Instant start = Instant.parse((String) v.get("start"));
        Instant now = Instant.parse((String) v.get("now"));
        assertFalse(now.isBefore(start));
        assertEquals(start, Instant.parse((String) v.get("config_load_time")));
        assertTrue(((String) v.get("uptime")).matches(UPTIME), () -> "uptime " + v.get("uptime"));
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertTrue((Long) v.get("mem") > 1_000_000, () -> "mem " + v.get("mem"));
        }
        assertTrue((Long) v.get("cores") >= 1);
        assertInstanceOf(Number.class, v.get("cpu"));
        assertEquals(1L, v.get("connections"));
        assertTrue((Long) v.get("total_connections") >= 1);
        assertEquals(0L, v.get("routes"));
        assertEquals(0L, v.get("remotes"));
        assertEquals(0L, v.get("leafnodes"));
        assertEquals(3L, v.get("in_msgs"));
        assertEquals(3L, v.get("out_msgs"));
        assertEquals(15L, v.get("in_bytes"));
        assertEquals(15L, v.get("out_bytes"));
        assertEquals(0L, v.get("slow_consumers"));
        assertEquals(2L + SYSTEM_IMPORTS, v.get("subscriptions"));
        Map<String, Object> stats = object(v.get("http_req_stats"));
        assertEquals(2L, stats.get("/varz"), "both /varz requests counted, this one included");
        assertEquals("$SYS", v.get("system_account"), "the system account exists by default, as in Go");
    }

    @Test
    void connzListsClientsWithSubscriptions() throws Exception {
        busyClient();
        Http.Response raw = get("/connz?subs=1");
        assertTrue(raw.body().contains("\"orders.\\u003e\""), "Go escapes '>' in JSON strings");
        // The client can read the last bytes before the server's writer has counted them as written.
        Map<String, Object> c = json("/connz?subs=1");
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!Long.valueOf(0).equals(object(list(c.get("connections")).getFirst()).get("pending_bytes"))
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
            c = json("/connz?subs=1");
        }
        assertEquals(core.identity().serverId(), c.get("server_id"));
        Instant.parse((String) c.get("now"));
        assertEquals(1L, c.get("num_connections"));
        assertEquals(1L, c.get("total"));
        assertEquals(0L, c.get("offset"));
        assertEquals(1024L, c.get("limit"));
        Map<String, Object> ci = object(list(c.get("connections")).getFirst());
        long cid = (Long) ci.get("cid");
        assertEquals(core.clients().getFirst().id(), cid);
        assertEquals("Client", ci.get("kind"));
        assertEquals("nats", ci.get("type"));
        assertEquals("127.0.0.1", ci.get("ip"));
        assertTrue((Long) ci.get("port") > 0);
        Instant start = Instant.parse((String) ci.get("start"));
        Instant last = Instant.parse((String) ci.get("last_activity"));
        assertFalse(last.isBefore(start));
        // As in Go, CONNECT arriving gives the first round-trip estimate (accept to CONNECT).
        assertTrue(((String) ci.get("rtt")).matches("[0-9.]+(ns|µs|ms|s)"), () -> "rtt " + ci.get("rtt"));
        assertNotEquals("0s", ci.get("rtt"));
        assertTrue(((String) ci.get("uptime")).matches(UPTIME));
        assertTrue(((String) ci.get("idle")).matches(UPTIME));
        assertEquals(0L, ci.get("pending_bytes"));
        assertEquals(3L, ci.get("in_msgs"));
        assertEquals(3L, ci.get("out_msgs"));
        assertEquals(15L, ci.get("in_bytes"));
        assertEquals(15L, ci.get("out_bytes"));
        assertEquals(2L, ci.get("subscriptions"));
        assertEquals("monitor-test", ci.get("name"));
        assertEquals("java", ci.get("lang"));
        assertFalse(((String) ci.get("version")).isEmpty());
        assertEquals(Set.of("orders.>", "work"), Set.copyOf(list(ci.get("subscriptions_list"))));
        assertFalse(ci.containsKey("subscriptions_list_detail"));

        Map<String, Object> plain = object(list(json("/connz").get("connections")).getFirst());
        assertFalse(plain.containsKey("subscriptions_list"), "lists only with subs=1");

        Map<String, Object> detailed = object(list(json("/connz?subs=detail").get("connections")).getFirst());
        assertFalse(detailed.containsKey("subscriptions_list"));
        List<Object> details = list(detailed.get("subscriptions_list_detail"));
        assertEquals(2, details.size());
        Map<String, Object> work = details.stream().map(MonitorServerTest::object)
                .filter(d -> d.get("subject").equals("work")).findFirst().orElseThrow();
        assertEquals("q1", work.get("qgroup"));
        assertEquals(cid, work.get("cid"));
        assertEquals(0L, work.get("msgs"));
        assertInstanceOf(String.class, work.get("sid"));
        Map<String, Object> orders = details.stream().map(MonitorServerTest::object)
                .filter(d -> d.get("subject").equals("orders.>")).findFirst().orElseThrow();
        assertEquals(3L, orders.get("msgs"));
        assertFalse(orders.containsKey("qgroup"));
        assertFalse(orders.containsKey("account"), "no account in per-connection details");
    }

    @Test
    void connzFiltersSortsAndPages() throws Exception {
        // Apart in time, so start times (millisecond precision) differ.
        Connection a = connect("a");
        Thread.sleep(5);
        Connection b = connect("b");
        Thread.sleep(5);
        Connection c = connect("c");
        for (int i = 0; i < 5; i++) {
            b.publish("x", new byte[10]);
        }
        for (int i = 0; i < 2; i++) {
            c.publish("x", new byte[10]);
        }
        a.flush(Duration.ofSeconds(2));
        b.flush(Duration.ofSeconds(2));
        c.flush(Duration.ofSeconds(2));

        List<String> byCid = names(json("/connz"));
        assertEquals(List.of("a", "b", "c"), byCid);
        assertEquals(List.of("b", "c", "a"), names(json("/connz?sort=msgs_from")));
        assertEquals(List.of("b", "c", "a"), names(json("/connz?sort=bytes_from")));
        assertEquals(List.of("c", "b", "a"), names(json("/connz?sort=uptime")), "newest first");

        Map<String, Object> page = json("/connz?sort=msgs_from&offset=1&limit=1");
        assertEquals(List.of("c"), names(page));
        assertEquals(3L, page.get("total"));
        assertEquals(1L, page.get("num_connections"));
        assertEquals(1L, page.get("offset"));
        assertEquals(1L, page.get("limit"));
        assertEquals(List.of(), names(json("/connz?offset=10")));

        long cidOfB = core.clients().stream().filter(x -> "b".equals(x.name())).findFirst().orElseThrow().id();
        Map<String, Object> one = json("/connz?cid=" + cidOfB);
        assertEquals(List.of("b"), names(one));
        assertEquals(1L, one.get("limit"));
        assertEquals(3L, one.get("total"));
        Map<String, Object> none = json("/connz?cid=999999");
        assertEquals(List.of(), names(none));
        assertEquals(0L, none.get("num_connections"));

        Map<String, Object> closed = json("/connz?state=closed");
        assertEquals(0L, closed.get("total"));
        assertEquals(List.of(), list(closed.get("connections")));
        Map<String, Object> otherAccount = json("/connz?acc=ACME");
        assertNull(otherAccount.get("connections"));
        assertTrue(otherAccount.containsKey("connections"));

        assertBadRequest("/connz?sort=bogus", "invalid sorting option: bogus");
        assertBadRequest("/connz?sort=stop", "sort by stop only valid on closed connections");
        assertBadRequest("/connz?limit=x", "Error decoding int for 'limit': strconv.Atoi: parsing \"x\": invalid syntax");
        assertBadRequest("/connz?subs=maybe",
                "Error decoding boolean for 'subs': strconv.ParseBool: parsing \"maybe\": invalid syntax");
        assertBadRequest("/connz?state=gone", "Error decoding state for gone");
    }

    private static List<String> names(Map<String, Object> connz) {
        return list(connz.get("connections")).stream().map(c -> (String) object(c).get("name")).toList();
    }

    private void assertBadRequest(String pathAndQuery, String message) throws Exception {
        Http.Response response = get(pathAndQuery);
        assertEquals(400, response.status(), pathAndQuery);
        assertEquals(message, response.body());
    }

    @Test
    void configLoadTimeMovesWithAReload() throws Exception {
        Instant loaded = Instant.parse((String) json("/varz").get("config_load_time"));
        Thread.sleep(5);
        core.reload(core.options(), java.util.Optional.empty());
        Instant reloaded = Instant.parse((String) json("/varz").get("config_load_time"));
        assertTrue(reloaded.isAfter(loaded), () -> loaded + " then " + reloaded);
        assertEquals(Instant.parse((String) json("/varz").get("start")), loaded);
    }

    @Test
    void subszReportsTheRoutingTable() throws Exception {
        busyClient();
        Map<String, Object> stats = json("/subsz");
        assertEquals(List.of("num_subscriptions", "num_cache", "num_inserts", "num_removes", "num_matches",
                "cache_hit_rate", "max_fanout", "avg_fanout"), List.copyOf(stats.keySet()));
        assertEquals(2L + SYSTEM_IMPORTS, stats.get("num_subscriptions"));
        assertEquals(stats.keySet(), json("/subscriptionsz").keySet());

        Map<String, Object> listed = json("/subsz?subs=1");
        assertEquals(core.identity().serverId(), listed.get("server_id"));
        assertEquals(2L + SYSTEM_IMPORTS, listed.get("total"));
        assertEquals(1024L, listed.get("limit"));
        List<Object> subs = list(listed.get("subscriptions_list"));
        assertEquals(2 + SYSTEM_IMPORTS, subs.size());
        for (Object s : subs) {
            assertEquals("$G", object(s).get("account"));
        }
        Map<String, Object> matching = json("/subsz?subs=1&test=orders.new");
        assertEquals(List.of("orders.>"), list(matching.get("subscriptions_list")).stream()
                .map(s -> object(s).get("subject")).toList());
        assertFalse(json("/subsz?subs=1&test=nothing.here").containsKey("subscriptions_list"),
                "an empty list prints only the statistics, as Go does");
        assertBadRequest("/subsz?subs=1&test=orders.*", "invalid test subject, must be valid publish subject: orders.*");
    }

    @Test
    void healthzIsCompactOk() throws Exception {
        Http.Response response = get("/healthz");
        assertEquals(200, response.status());
        assertEquals("{\"status\":\"ok\"}", response.body());
        assertEquals("application/json", response.contentType());
    }

    @Test
    void unconfiguredFeaturesReturnGoEmptyShapes() throws Exception {
        Map<String, Object> routez = json("/routez");
        assertEquals(List.of("server_id", "now", "num_routes", "routes"), List.copyOf(routez.keySet()));
        assertEquals(0L, routez.get("num_routes"));
        assertEquals(List.of(), routez.get("routes"));

        Map<String, Object> gatewayz = json("/gatewayz");
        assertEquals(List.of("server_id", "now", "outbound_gateways", "inbound_gateways"),
                List.copyOf(gatewayz.keySet()));
        assertEquals(Map.of(), gatewayz.get("outbound_gateways"));

        Map<String, Object> leafz = json("/leafz");
        assertEquals(List.of("server_id", "now", "leafnodes", "leafs"), List.copyOf(leafz.keySet()));
        assertNull(leafz.get("leafs"));

        Map<String, Object> accountz = json("/accountz");
        assertEquals(List.of("$G", "$SYS"), accountz.get("accounts"));
        Map<String, Object> detail = object(json("/accountz?acc=$G").get("account_detail"));
        assertEquals("$G", detail.get("account_name"));
        assertEquals(0L, detail.get("client_connections"));
        assertBadRequest("/accountz?acc=ACME", "Account ACME does not exist");

        assertEquals(List.of(), json("/accstatz").get("account_statz"));
        assertEquals(2, list(json("/accstatz?unused=1").get("account_statz")).size(), "$G and $SYS");

        Map<String, Object> jsz = json("/jsz");
        assertEquals(true, jsz.get("disabled"));
        assertEquals(Map.of("max_memory", 0L, "max_storage", 0L), jsz.get("config"));
        assertEquals(Map.of("total", 0L, "errors", 0L), jsz.get("api"));
        assertEquals(0L, jsz.get("streams"));

        assertEquals(Map.of(), json("/ipqueuesz"));
    }

    @Test
    void accstatzCountsTheGlobalAccount() throws Exception {
        busyClient();
        Map<String, Object> acc = object(list(json("/accstatz").get("account_statz")).getFirst());
        assertEquals("$G", acc.get("acc"));
        assertEquals(1L, acc.get("conns"));
        assertEquals(Map.of("msgs", 3L, "bytes", 15L), acc.get("sent"));
        assertEquals(Map.of("msgs", 3L, "bytes", 15L), acc.get("received"));
    }

    @Test
    void jsonpWrapsTheDocument() throws Exception {
        Http.Response response = get("/varz?callback=cb");
        assertEquals(200, response.status());
        assertEquals("application/javascript", response.contentType());
        assertTrue(response.body().startsWith("cb({\n"));
        assertTrue(response.body().endsWith("})"));
        Json.parseObject(response.body().substring(3, response.body().length() - 1));
        assertEquals("cb({\"status\":\"ok\"})", get("/healthz?callback=cb").body());
        assertEquals(400, get("/varz?callback=alert(1)").status());
    }

    @Test
    void rootPageAndUnknownPaths() throws Exception {
        Http.Response root = get("/");
        assertEquals(200, root.status());
        assertTrue(root.contentType().startsWith("text/html"));
        for (String path : List.of("varz", "connz", "subsz", "routez", "gatewayz", "leafz", "accountz", "jsz",
                "healthz")) {
            assertTrue(root.body().contains("href=./" + path + ">"), path);
        }
        Http.Response missing = get("/nope");
        assertEquals(404, missing.status());
        assertEquals("404 page not found\n", missing.body());
        assertEquals(404, get("/varz/").status(), "Go's mux matches /varz exactly");
        assertEquals(200, get("/stacksz").status());

        Map<String, Object> stats = object(json("/varz").get("http_req_stats"));
        assertEquals(1L, stats.get("/"));
        assertFalse(stats.containsKey("/nope"));
        assertFalse(stats.containsKey("/stacksz"), "Go does not count /stacksz");
    }

    @Test
    void headAndPostAreServed() throws Exception {
        Http.Response head = Http.send("HEAD", httpPort, "/varz", null);
        assertEquals(200, head.status());
        assertEquals("", head.body());
        Http.Response post = Http.send("POST", httpPort, "/healthz", "ignored");
        assertEquals("{\"status\":\"ok\"}", post.body());
    }

    @Test
    void stopReleasesThePort() throws Exception {
        assertEquals(httpPort, monitor.port());
        assertThrows(IllegalStateException.class, () -> monitor.start("127.0.0.1", 0));
        monitor.stop();
        assertEquals(0, monitor.port());
        assertThrows(IOException.class, () -> get("/healthz"));
        monitor.stop();
        // The same port can be bound again right away.
        assertEquals(httpPort, monitor.start("127.0.0.1", httpPort));
        assertEquals(200, get("/healthz").status());
    }
}
