package nats.server.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.testing.GoServer;
import nats.testing.Ports;
import nats.transport.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /metrics} read by the reference Prometheus parser and compared with what the NATS Prometheus exporter
 * would derive from the Go server in the same state: both servers get the same client and traffic; the
 * exporter's generic collector (written again in Python from its source) runs on Go's own {@code /varz},
 * {@code /subsz} and {@code /routez}, and its fixed collectors come from a fixture copied from its sources.
 * Every family the exporter would produce must be here with the same type, help text and labels. Skipped
 * without the Go binary or {@code python3-prometheus-client}.
 */
@Timeout(60)
class MetricsGoTest {

    private static GoServer go;
    private static int goHttp;
    private static NatsServer ours;
    private static final List<Connection> clients = new ArrayList<>();
    private static Path dir;

    @BeforeAll
    static void startBoth() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        Assumptions.assumeTrue(PromParser.available(), "python3-prometheus-client not installed");
        dir = Files.createTempDirectory("metrics-go-");
        goHttp = Ports.free();
        go = GoServer.startWithFlags(dir, "-m", Integer.toString(goHttp));
        ours = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .httpHost("127.0.0.1").httpPort(ServerOptions.RANDOM_PORT));
        exercise(go.port());
        exercise(ours.port());
    }

    private static void exercise(int port) throws Exception {
        Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                .connectionName("metrics").noReconnect().build());
        clients.add(nc);
        Subscription sub = nc.subscribe("orders.>");
        nc.flush(Duration.ofSeconds(2));
        for (int i = 0; i < 5; i++) {
            nc.publish("orders.new", "hello".getBytes(StandardCharsets.UTF_8));
        }
        nc.flush(Duration.ofSeconds(2));
        for (int i = 0; i < 5; i++) {
            assertNotNull(sub.nextMessage(Duration.ofSeconds(2)), "expected the published messages back");
        }
    }

    @AfterAll
    static void stop() {
        clients.forEach(c -> {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (ours != null) {
            ours.shutdown();
        }
        if (go != null) {
            go.close();
        }
    }

    @Test
    void theGenericCollectorsNamesMatchThoseFromGosDocuments() throws Exception {
        List<Map<String, Object>> families = PromParser.parse(Http.get(ours.monitorPort(), "/metrics").body());
        for (String[] endpoint : new String[][] {{"varz", "/varz"}, {"subsz", "/subsz"}, {"routez", "/routez"}}) {
            String goDocument = Http.get(goHttp, endpoint[1]).body();
            Set<String> expected = new TreeSet<>();
            for (Map<String, Object> m : PromParser.exporterGeneric("gnatsd", endpoint[0], goDocument, dir)) {
                String name = (String) m.get("name");
                if (name.startsWith("gnatsd_varz_http_req_stats")) {
                    continue; // which pages were asked for differs: Go's has our /varz fetch, ours has /metrics
                }
                expected.add(name);
                Map<String, Object> family = PromParser.family(families, name);
                assertNotNull(family, "expected the exporter's " + name + " (from Go's " + endpoint[1] + ")");
                assertEquals("gauge", family.get("type"), name + " is a gauge in the exporter");
                assertEquals(m.get("help"), family.get("help"), "help text of " + name);
                assertEquals(Set.copyOf(labelNames(m.get("labels"))), labelSet(family), "labels of " + name);
            }
            Set<String> extra = new TreeSet<>();
            for (Map<String, Object> f : families) {
                String name = (String) f.get("name");
                if (name.startsWith("gnatsd_" + endpoint[0] + "_") && !expected.contains(name)
                        && !name.startsWith("gnatsd_varz_http_req_stats")) {
                    extra.add(name);
                }
            }
            assertTrue(extra.isEmpty(), "families the exporter would not produce from Go's " + endpoint[1] + ": " + extra);
        }
        assertTrue(PromParser.family(families, "gnatsd_varz_http_req_stats_metrics") != null,
                "this scrape counts itself as /metrics in http_req_stats");
    }

    @Test
    void theFixedCollectorsFamiliesAreTheExportersOwn() throws Exception {
        List<Map<String, Object>> families = PromParser.parse(Http.get(ours.monitorPort(), "/metrics").body());
        for (ExporterFamilies e : ExporterFamilies.load().get("plain")) {
            Map<String, Object> family = PromParser.family(families, e.parsedName());
            assertNotNull(family, "expected the exporter's " + e.name());
            assertEquals(e.type(), family.get("type"), "type of " + e.name());
            assertEquals(e.help(), family.get("help"), "help text of " + e.name());
            assertEquals(Set.copyOf(e.labels()), labelSet(family), "labels of " + e.name());
        }
    }

    @Test
    void valuesAgreeWithTheDocuments() throws Exception {
        int http = ours.monitorPort();
        List<Map<String, Object>> families = PromParser.parse(Http.get(http, "/metrics").body());
        Map<String, Object> varz = Json.parseObject(Http.get(http, "/varz").body());
        String sid = ours.identity().serverId();
        Map<String, String> server = Map.of("server_id", sid);
        assertEquals(((Number) varz.get("connections")).doubleValue(),
                PromParser.value(families, "gnatsd_varz_connections", server), "connections as /varz has them");
        assertEquals(((Number) varz.get("in_msgs")).doubleValue(),
                PromParser.value(families, "gnatsd_varz_in_msgs", server), "in_msgs as /varz has them");
        assertEquals(((Number) varz.get("subscriptions")).doubleValue(),
                PromParser.value(families, "gnatsd_varz_subscriptions", server), "subscriptions as /varz");
        assertEquals(1, PromParser.value(families, "gnatsd_varz_server_id", Map.of("value", sid)),
                "the server id as a value label");
        double startMillis = PromParser.value(families, "gnatsd_varz_start", server);
        assertEquals(java.time.Instant.parse((String) varz.get("start")).toEpochMilli(), startMillis,
                "start as epoch milliseconds, as the exporter converts times");
        Map<String, Object> connz = Json.parseObject(Http.get(http, "/connz").body());
        double inMsgs = 0;
        for (Object c : (List<?>) connz.get("connections")) {
            inMsgs += ((Number) ((Map<?, ?>) c).get("in_msgs")).doubleValue();
        }
        assertEquals(inMsgs, PromParser.value(families, "gnatsd_connz_in_msgs", server), "the sum over /connz");
        assertEquals(5, PromParser.value(families, "gnatsd_accstatz_received_messages", Map.of("account", "$G")),
                "the global account received the 5 messages");
        assertEquals(5, PromParser.value(families, "jnatsd_account_received_messages", Map.of("account", "$G")),
                "as a counter too");
        assertEquals(0, PromParser.value(families, "gnatsd_healthz_status", server), "healthy is 0");
        assertEquals(1, PromParser.value(families, "jetstream_server_jetstream_disabled", server),
                "JetStream is not enabled");
        assertTrue(PromParser.value(families, "jnatsd_startup_seconds", server) > 0, "start-up took some time");
        assertTrue(PromParser.value(families, "process_cpu_seconds", server) > 0, "the process used CPU");
    }

    @Test
    void queryParametersChooseAsTheExportersFlags() throws Exception {
        int http = ours.monitorPort();
        List<Map<String, Object>> only = PromParser.parse(Http.get(http, "/metrics?varz=1&jnatsd=0").body());
        Set<String> prefixes = new HashSet<>();
        only.forEach(f -> prefixes.add(((String) f.get("name")).replaceAll("^(gnatsd_[a-z]+)_.*", "$1")));
        assertEquals(Set.of("gnatsd_varz"), prefixes, "only the varz collector");
        List<Map<String, Object>> helm = PromParser.parse(Http.get(http, "/metrics?prefix=nats").body());
        assertNotNull(PromParser.family(helm, "nats_varz_connections"), "the exporter's -prefix (Helm charts use nats)");
        assertNotNull(PromParser.family(helm, "nats_server_total_streams"), "the prefix replaces jetstream too");
        List<Map<String, Object>> detailed = PromParser.parse(Http.get(http, "/metrics?connz_detailed=1").body());
        Map<String, Object> start = PromParser.family(detailed, "gnatsd_connz_start");
        assertNotNull(start, "per-connection series with connz_detailed");
        assertEquals(Set.of("server_id", "cid", "kind", "type", "ip", "port", "name", "name_tag", "account",
                "account_id", "lang", "version", "tls_version", "tls_cipher_suite"), labelSet(start),
                "the exporter's per-connection labels");
        assertEquals(5, PromParser.value(detailed, "gnatsd_connz_in_msgs", Map.of("name", "metrics")),
                "the client's own in_msgs, labelled with its name");
        assertEquals(400, Http.get(http, "/metrics?jsz=bogus").status(), "an unknown jsz filter is refused");
        List<Map<String, Object>> relabelled = PromParser.parse(Http.get(http,
                "/metrics?varz=1&server_id=http://a:8222").body());
        assertEquals(ours.clientCount(), PromParser.value(relabelled, "gnatsd_varz_connections",
                Map.of("server_id", "http://a:8222")), "server_id sets the label, as the exporter's URL id");
    }

    private static List<String> labelNames(Object labels) {
        List<String> names = new ArrayList<>();
        for (Object o : (List<?>) labels) {
            names.add((String) o);
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> labelSet(Map<String, Object> family) {
        Set<String> names = new HashSet<>();
        for (Map<String, Object> s : PromParser.samples(family)) {
            Set<String> these = ((Map<String, Object>) s.get("labels")).keySet();
            if (names.isEmpty() || these.size() < names.size()) {
                names = new HashSet<>(these);
            }
        }
        return names;
    }
}
