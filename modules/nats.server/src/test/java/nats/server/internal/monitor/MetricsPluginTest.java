package nats.server.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nats.api.monitoring.HistogramValue;
import nats.api.monitoring.RawJson;
import nats.server.internal.ServerCore;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What plugins bring to {@code /metrics}: their {@code /gatewayz}, {@code /leafz} and {@code /jsz} documents
 * (Go's shapes, as the gateway, leaf-node and JetStream modules serve them) become the exporter's per-gateway,
 * per-leaf, per-account, per-stream and per-consumer families; their own metrics sources are written with
 * {@code server_id} first, and a source that breaks the rules or throws is left out without harming the scrape.
 */
@Timeout(30)
class MetricsPluginTest {

    private static final String GATEWAYZ = """
            {"server_id":"S","now":"2024-05-01T10:00:00Z","name":"A","host":"0.0.0.0","port":7222,
             "outbound_gateways":{"B":{"configured":true,"connection":{"cid":7,"ip":"10.0.0.2","port":7222,
               "start":"2024-05-01T09:00:00Z","last_activity":"2024-05-01T09:59:59Z","rtt":"1.5ms",
               "uptime":"1h0m0s","idle":"1s","pending_bytes":0,"in_msgs":10,"out_msgs":20,"in_bytes":100,
               "out_bytes":200,"subscriptions":3}}},
             "inbound_gateways":{"B":[{"configured":false,"connection":{"cid":8,"ip":"10.0.0.2","port":50000,
               "start":"2024-05-01T09:00:01Z","last_activity":"2024-05-01T09:59:58Z","rtt":"2ms",
               "uptime":"1d1h0m0s","idle":"2s","pending_bytes":5,"in_msgs":1,"out_msgs":2,"in_bytes":3,
               "out_bytes":4,"subscriptions":0}}]}}""";
    private static final String LEAFZ = """
            {"server_id":"S","now":"2024-05-01T10:00:00Z","leafnodes":1,"leafs":[{"name":"leaf1","is_spoke":false,
             "account":"$G","ip":"127.0.0.1","port":5555,"rtt":"2ms","in_msgs":1,"out_msgs":2,"in_bytes":3,
             "out_bytes":4,"subscriptions":2,"subscriptions_list":["a","b"]}]}""";

    private ServerCore core;
    private MonitorDocuments documents;
    private MonitorServer monitor;
    private int http;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(PromParser.available(), "python3-prometheus-client not installed");
        core = new ServerCore(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT).serverName("n1"));
        core.start();
        documents = new MonitorDocuments(core, new MonitorExtensions((name, value) -> { }));
        monitor = new MonitorServer(documents);
        http = monitor.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.stop();
        }
        if (core != null) {
            core.shutdown();
        }
    }

    private static String jsz(String serverName) {
        return """
            {"server_id":"S","now":"2024-05-01T10:00:00Z","config":{"max_memory":1073741824,
             "max_storage":10737418240,"store_dir":"/tmp/js"},"memory":0,"storage":1000,"reserved_memory":0,
             "reserved_storage":0,"accounts":1,"ha_assets":0,"api":{"total":5,"errors":0},"streams":1,"consumers":1,
             "messages":10,"bytes":1000,"account_details":[{"name":"$G","id":"$G","memory":0,"storage":1000,
             "reserved_memory":0,"reserved_storage":2048,"accounts":0,"ha_assets":0,"api":{"total":0,"errors":0},
             "stream_detail":[{"name":"ORDERS","created":"2024-05-01T09:00:00Z","cluster":{"leader":"%1$s"},
              "config":{"name":"ORDERS","subjects":["orders.>"],"max_msgs":-1,"max_bytes":4096},
              "state":{"messages":10,"bytes":1000,"first_seq":1,"last_seq":10,"num_subjects":2,"consumer_count":1},
              "consumer_detail":[{"stream_name":"ORDERS","name":"C1","created":"2024-05-01T09:00:00Z",
               "config":{"durable_name":"C1","description":"orders worker"},
               "delivered":{"consumer_seq":8,"stream_seq":8,"last_active":"2024-05-01T09:59:50Z"},
               "ack_floor":{"consumer_seq":6,"stream_seq":6,"last_active":"2024-05-01T09:59:40Z"},
               "num_ack_pending":2,"num_redelivered":1,"num_waiting":0,"num_pending":2,
               "cluster":{"leader":"%1$s"},"ts":"2024-05-01T10:00:00Z"}],
              "sources":[{"name":"UPSTREAM","external":{"api":"$JS.hub.API","deliver":""},"lag":3,
               "active":1000000}]}]}]}""".formatted(serverName);
    }

    @Test
    void gatewayLeafAndJetStreamDocumentsBecomeTheExportersFamilies() throws Exception {
        MonitorExtensions ext = documents.extensions();
        ext.document("/gatewayz", "GATEWAYZ", q -> new RawJson(GATEWAYZ));
        ext.document("/leafz", "LEAFZ", q -> new RawJson(LEAFZ));
        ext.document("/jsz", "JSZ", q -> {
            assertEquals(Map.of("consumers", "true", "config", "true", "raft", "true"), q.http(),
                    "the exporter's -jsz=all request");
            return new RawJson(jsz("n1"));
        });
        List<Map<String, Object>> families = PromParser.parse(Http.get(http, "/metrics").body());
        for (ExporterFamilies e : ExporterFamilies.load().get("links")) {
            if (e.name().contains("mirror")) {
                continue; // the stream has a source, not a mirror
            }
            Map<String, Object> family = PromParser.family(families, e.parsedName());
            assertNotNull(family, "expected the exporter's " + e.name());
            assertEquals(e.type(), family.get("type"), "type of " + e.name());
            assertEquals(e.help(), family.get("help"), "help text of " + e.name());
            assertEquals(Set.copyOf(e.labels()), labels(family), "labels of " + e.name());
        }
        assertEquals(0.0015, PromParser.value(families, "gnatsd_gatewayz_outbound_gateway_conn_rtt",
                Map.of("remote_gateway_name", "B", "cid", "7")), 1e-12, "rtt in seconds");
        assertEquals(3600, PromParser.value(families, "gnatsd_gatewayz_outbound_gateway_conn_uptime_seconds",
                Map.of("cid", "7")), "uptime 1h0m0s");
        assertEquals(90000, PromParser.value(families, "gnatsd_gatewayz_inbound_gateway_conn_uptime_seconds",
                Map.of("cid", "8")), "uptime 1d1h0m0s");
        assertEquals(1714554000, PromParser.value(families, "gnatsd_gatewayz_outbound_gateway_conn_start_time_seconds",
                Map.of("cid", "7")), "start as Unix seconds");
        assertEquals(2, PromParser.value(families, "gnatsd_leafz_conn_out_msgs", Map.of("name", "leaf1", "port", "5555")),
                "the leaf's out_msgs");
        assertEquals(0, PromParser.value(families, "gnatsd_leafz_conn_subscriptions", Map.of("subscription", "b")),
                "one series per listed subscription");
        Map<String, String> consumer = Map.of("stream_name", "ORDERS", "consumer_name", "C1",
                "consumer_desc", "orders worker", "is_consumer_leader", "true", "is_stream_leader", "true");
        assertEquals(10, PromParser.value(families, "jetstream_consumer_last_delivery_seconds", consumer),
                "ts minus the last delivery");
        assertEquals(20, PromParser.value(families, "jetstream_consumer_last_ack_seconds", consumer), "last ack");
        assertEquals(2, PromParser.value(families, "jetstream_consumer_num_pending", consumer), "num_pending");
        assertEquals(4096, PromParser.value(families, "jetstream_stream_limit_bytes", Map.of("stream_name", "ORDERS")),
                "the stream's max_bytes");
        assertEquals(3, PromParser.value(families, "jetstream_stream_source_lag",
                Map.of("source_name", "UPSTREAM", "source_api", "$JS.hub.API")), "the source's lag");
        assertEquals(2048, PromParser.value(families, "jetstream_account_max_storage", Map.of("account", "$G")),
                "reserved storage as the account's maximum");
        assertEquals(0, PromParser.value(families, "jetstream_server_jetstream_disabled",
                Map.of("server_name", "n1", "is_meta_leader", "true")), "enabled");
    }

    @Test
    void pluginSourcesAddTheirMetricsWithTheServerId() throws Exception {
        MonitorExtensions ext = documents.extensions();
        ext.metrics(m -> {
            m.counter("jnatsd_probe_events_total", "Events the probe saw", "kind").sample(3, "a").sample(4, "b");
            m.gauge("jnatsd_probe_queue", "Queued work").sample(7);
            m.histogram("jnatsd_probe_fsync_seconds", "fsync latency").sample(
                    new HistogramValue(new double[] {0.001, 0.01}, new long[] {5, 9}, 10, 0.05));
        });
        ext.metrics(m -> {
            throw new IllegalStateException("broken on purpose");
        });
        ext.metrics(m -> m.counter("jnatsd_probe_bad", "a counter not ending in _total").sample(1));
        ext.metrics(m -> m.gauge("jnatsd_connections", "the kernel's name taken").sample(1));
        ext.metrics(m -> m.gauge("jnatsd_probe_partial", "written before the failure").sample(1).sample(2, "extra"));
        String sid = core.identity().serverId();
        for (int scrape = 1; scrape <= 2; scrape++) {
            List<Map<String, Object>> families = PromParser.parse(Http.get(http, "/metrics").body());
            assertEquals(4, PromParser.value(families, "jnatsd_probe_events", Map.of("server_id", sid, "kind", "b")),
                    "a plugin counter, server_id first");
            assertEquals(7, PromParser.value(families, "jnatsd_probe_queue", Map.of("server_id", sid)), "a gauge");
            assertEquals(9, PromParser.value(families, "jnatsd_probe_fsync_seconds",
                    Map.of("server_id", sid, "le", "0.01")), "a histogram bucket");
            assertEquals(0, PromParser.value(families, "jnatsd_connections", Map.of("server_id", sid)),
                    "the kernel's jnatsd_connections (no clients) is not replaced by the plugin's 1");
            assertNull(PromParser.family(families, "jnatsd_probe_bad"), "a counter without _total is left out");
            assertNull(PromParser.family(families, "jnatsd_probe_partial"), "a failed source leaves nothing");
            Set<String> failing = new HashSet<>();
            for (Map<String, Object> s : PromParser.samples(PromParser.family(families,
                    "jnatsd_metrics_source_errors"))) {
                failing.add(((Map<?, ?>) s.get("labels")).get("source").toString());
                assertTrue(((Number) s.get("value")).doubleValue() >= scrape, "counted each scrape: " + s);
            }
            assertEquals(1, failing.size(), "sources of the test class are named after it: " + failing);
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> labels(Map<String, Object> family) {
        Set<String> names = new HashSet<>();
        for (Map<String, Object> s : PromParser.samples(family)) {
            names.addAll(((Map<String, Object>) s.get("labels")).keySet());
        }
        names.remove("le");
        return names;
    }
}
