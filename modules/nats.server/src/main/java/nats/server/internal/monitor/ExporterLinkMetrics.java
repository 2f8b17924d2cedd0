package nats.server.internal.monitor;

import static nats.server.internal.monitor.ExporterValues.fqName;
import static nats.server.internal.monitor.ExporterValues.list;
import static nats.server.internal.monitor.ExporterValues.map;
import static nats.server.internal.monitor.ExporterValues.number;
import static nats.server.internal.monitor.ExporterValues.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nats.server.internal.monitor.PrometheusText.Type;

/**
 * The NATS Prometheus exporter's gatewayz, leafz and jsz collectors, over the documents {@code /gatewayz},
 * {@code /leafz} and {@code /jsz} give (the kernel's, or the plugin's that serves them): per gateway and leaf
 * connection series, and JetStream's server, account, stream and consumer series, named and labelled as the
 * exporter names them.
 */
final class ExporterLinkMetrics {

    private static final String[] GATEWAY_LABELS = {"gateway_name", "cid", "remote_gateway_name", "server_id"};
    private static final String[] LEAF_LABELS = {"server_id", "account", "account_id", "ip", "port", "name"};
    private static final String[] LEAF_SUB_LABELS = {"server_id", "account", "account_id", "ip", "port", "name",
        "subscription"};
    private static final String[] SERVER_LABELS = {"server_id", "server_name", "cluster", "domain", "meta_leader",
        "is_meta_leader"};
    private static final String[] ACCOUNT_LABELS = concat(SERVER_LABELS, "account", "account_name", "account_id");
    private static final String[] STREAM_LABELS = concat(ACCOUNT_LABELS, "stream_name", "stream_leader",
            "is_stream_leader", "stream_raft_group");
    private static final String[] CONSUMER_LABELS = concat(STREAM_LABELS, "consumer_name", "consumer_leader",
            "is_consumer_leader", "consumer_desc");
    private static final String[] SOURCE_LABELS = concat(STREAM_LABELS, "source_name", "source_api", "source_deliver");
    private static final String[] MIRROR_LABELS = concat(STREAM_LABELS, "mirror_name", "mirror_api", "mirror_deliver");

    private final MonitorDocuments documents;

    ExporterLinkMetrics(MonitorDocuments documents) {
        this.documents = documents;
    }

    // ---- gatewayz --------------------------------------------------------------------------------------

    void gatewayz(PrometheusText out, String namespace, String sid) throws GoFormat.BadRequest {
        Map<String, Object> gw = documents.asJson(Endpoints.GATEWAYZ, Map.of());
        String local = text(gw.get("name"));
        map(gw.get("outbound_gateways")).forEach((remote, r) ->
                gateway(out, namespace, "outbound_gateway", local, remote, map(r), sid));
        map(gw.get("inbound_gateways")).forEach((remote, list) -> {
            for (Object r : list(list)) {
                gateway(out, namespace, "inbound_gateway", local, remote, map(r), sid);
            }
        });
    }

    private static void gateway(PrometheusText out, String namespace, String kind, String local, String remote,
                                Map<String, Object> r, String sid) {
        Map<String, Object> c = map(r.get("connection"));
        String[] labels = {local, ExporterValues.plain(c.getOrDefault("cid", 0L)), remote, sid};
        double rtt = ExporterValues.goDurationNanos(text(c.get("rtt")));
        gw(out, namespace, kind, "configured", "configured", ExporterValues.bool(r.get("configured")), labels);
        gw(out, namespace, kind, "conn_start_time_seconds", "conn_start_time_seconds",
                unixSeconds(c.get("start")), labels);
        gw(out, namespace, kind, "conn_last_activity_seconds", "conn_last_activity_seconds",
                unixSeconds(c.get("last_activity")), labels);
        gw(out, namespace, kind, "conn_uptime_seconds", "conn_uptime_seconds",
                ExporterValues.uptimeMillis(c.get("uptime")) / 1000, labels);
        gw(out, namespace, kind, "conn_idle_seconds", "conn_idle_seconds",
                ExporterValues.uptimeMillis(c.get("idle")) / 1000, labels);
        gw(out, namespace, kind, "conn_rtt", "rtt", Double.isNaN(rtt) ? 0 : rtt / 1e9, labels);
        gw(out, namespace, kind, "conn_pending_bytes", "pending_bytes", number(c.get("pending_bytes")), labels);
        gw(out, namespace, kind, "conn_in_msgs", "in_msgs", number(c.get("in_msgs")), labels);
        gw(out, namespace, kind, "conn_out_msgs", "out_msgs", number(c.get("out_msgs")), labels);
        gw(out, namespace, kind, "conn_in_bytes", "in_bytes", number(c.get("in_bytes")), labels);
        gw(out, namespace, kind, "conn_out_bytes", "out_bytes", number(c.get("out_bytes")), labels);
        gw(out, namespace, kind, "conn_subscriptions", "subscriptions", number(c.get("subscriptions")), labels);
    }

    private static void gw(PrometheusText out, String namespace, String kind, String name, String help, double value,
                           String[] labels) {
        out.family(fqName(namespace, "gatewayz", kind + "_" + name), Type.GAUGE, help, GATEWAY_LABELS)
                .sample(value, labels);
    }

    /** Go's {@code time.Time.Unix()} of a JSON time (the zero time when absent, as Go unmarshals it). */
    private static double unixSeconds(Object time) {
        double millis = ExporterValues.epochMillis(time);
        return millis < 0 && !(time instanceof String) ? -62135596800.0 : Math.floor(millis / 1000);
    }

    // ---- leafz -----------------------------------------------------------------------------------------

    void leafz(PrometheusText out, String namespace, String sid) throws GoFormat.BadRequest {
        Map<String, Object> leafz = documents.asJson(Endpoints.LEAFZ, Map.of());
        for (Object o : list(leafz.get("leafs"))) {
            Map<String, Object> leaf = map(o);
            String account = text(leaf.get("account"));
            String[] labels = {sid, account, account, text(leaf.get("ip")),
                ExporterValues.plain(leaf.getOrDefault("port", 0L)), text(leaf.get("name"))};
            double rtt = ExporterValues.goDurationNanos(text(leaf.get("rtt")));
            leaf(out, namespace, "info", "info", 1, labels);
            leaf(out, namespace, "conn_rtt", "rtt", Double.isNaN(rtt) ? 0 : rtt / 1e9, labels);
            leaf(out, namespace, "conn_in_msgs", "in_msgs", number(leaf.get("in_msgs")), labels);
            leaf(out, namespace, "conn_out_msgs", "out_msgs", number(leaf.get("out_msgs")), labels);
            leaf(out, namespace, "conn_in_bytes", "in_bytes", number(leaf.get("in_bytes")), labels);
            leaf(out, namespace, "conn_out_bytes", "out_bytes", number(leaf.get("out_bytes")), labels);
            leaf(out, namespace, "conn_subscriptions_total", "subscriptions_total", number(leaf.get("subscriptions")),
                    labels);
            for (Object sub : list(leaf.get("subscriptions_list"))) {
                String[] subLabels = concat(labels, text(sub));
                out.family(fqName(namespace, "leafz", "conn_subscriptions"), Type.GAUGE, "subscriptions",
                        LEAF_SUB_LABELS).sample(0, subLabels);
            }
        }
        out.family(fqName(namespace, "leafz", "conn_nodes_total"), Type.GAUGE, "nodes_total", "server_id")
                .sample(number(leafz.get("leafnodes")), sid);
    }

    private static void leaf(PrometheusText out, String namespace, String name, String help, double value,
                             String[] labels) {
        out.family(fqName(namespace, "leafz", name), Type.GAUGE, help, LEAF_LABELS).sample(value, labels);
    }

    // ---- jsz -------------------------------------------------------------------------------------------

    /**
     * The exporter's jsz collector with its filter: {@code all} (and {@code consumers}) reads streams, consumers and
     * configs, {@code streams} the streams, {@code accounts} the accounts, anything else the server totals.
     */
    void jsz(PrometheusText out, String namespace, String filter, String sid, String serverName)
            throws GoFormat.BadRequest {
        Map<String, String> params = switch (filter) {
            case "account", "accounts" -> Map.of("accounts", "true");
            case "consumer", "consumers", "all" -> Map.of("consumers", "true", "config", "true", "raft", "true");
            case "stream", "streams" -> Map.of("streams", "true");
            default -> Map.of();
        };
        Map<String, Object> jsz = documents.asJson(Endpoints.JSZ, params);
        Map<String, Object> meta = map(jsz.get("meta_cluster"));
        boolean hasMeta = jsz.get("meta_cluster") instanceof Map<?, ?>;
        String metaLeader = text(meta.get("leader"));
        String[] server = {sid, serverName, text(meta.get("name")), text(map(jsz.get("config")).get("domain")),
            metaLeader, !hasMeta || metaLeader.equals(serverName) ? "true" : "false"};
        Map<String, Object> config = map(jsz.get("config"));
        js(out, namespace, "server", "jetstream_disabled", "JetStream disabled or not", SERVER_LABELS,
                ExporterValues.bool(jsz.get("disabled")), server);
        js(out, namespace, "server", "max_memory", "JetStream Max Memory", SERVER_LABELS,
                number(config.get("max_memory")), server);
        js(out, namespace, "server", "max_storage", "JetStream Max Storage", SERVER_LABELS,
                number(config.get("max_storage")), server);
        js(out, namespace, "server", "total_streams", "Total number of streams in JetStream", SERVER_LABELS,
                number(jsz.get("streams")), server);
        js(out, namespace, "server", "total_consumers", "Total number of consumers in JetStream", SERVER_LABELS,
                number(jsz.get("consumers")), server);
        js(out, namespace, "server", "total_messages", "Total number of stored messages in JetStream", SERVER_LABELS,
                number(jsz.get("messages")), server);
        js(out, namespace, "server", "total_message_bytes", "Total number of bytes stored in JetStream",
                SERVER_LABELS, number(jsz.get("bytes")), server);
        for (Object o : list(jsz.get("account_details"))) {
            account(out, namespace, map(o), server, serverName);
        }
    }

    private static void account(PrometheusText out, String namespace, Map<String, Object> account, String[] server,
                                String serverName) {
        String name = text(account.get("name"));
        String[] labels = concat(server, name, name, text(account.get("id")));
        js(out, namespace, "account", "max_storage", "JetStream Account Max Storage in bytes", ACCOUNT_LABELS,
                number(account.get("reserved_storage")), labels);
        js(out, namespace, "account", "max_memory", "JetStream Account Max Memory in bytes", ACCOUNT_LABELS,
                number(account.get("reserved_memory")), labels);
        js(out, namespace, "account", "storage_used", "Total number of bytes used by JetStream storage",
                ACCOUNT_LABELS, number(account.get("storage")), labels);
        js(out, namespace, "account", "memory_used", "Total number of bytes used by JetStream memory",
                ACCOUNT_LABELS, number(account.get("memory")), labels);
        // As the exporter: a stream without cluster information keeps the previous stream's leader label.
        String streamLeader = "";
        String consumerDesc = "";
        for (Object s : list(account.get("stream_detail"))) {
            Map<String, Object> stream = map(s);
            boolean clustered = stream.get("cluster") instanceof Map<?, ?>;
            if (clustered) {
                streamLeader = text(map(stream.get("cluster")).get("leader"));
            }
            String[] st = concat(labels, text(stream.get("name")), streamLeader,
                    !clustered || streamLeader.equals(serverName) ? "true" : "false",
                    text(stream.get("stream_raft_group")));
            consumerDesc = stream(out, namespace, stream, st, serverName, consumerDesc);
        }
    }

    /** A stream's series, its sources', mirror's and consumers'; returns the consumer description label carried on. */
    private static String stream(PrometheusText out, String namespace, Map<String, Object> stream, String[] labels,
                                 String serverName, String carriedDesc) {
        Map<String, Object> state = map(stream.get("state"));
        js(out, namespace, "stream", "total_messages", "Total number of messages from a stream", STREAM_LABELS,
                number(state.get("messages")), labels);
        js(out, namespace, "stream", "total_bytes", "Total stored bytes from a stream", STREAM_LABELS,
                number(state.get("bytes")), labels);
        js(out, namespace, "stream", "first_seq", "First sequence from a stream", STREAM_LABELS,
                number(state.get("first_seq")), labels);
        js(out, namespace, "stream", "last_seq", "Last sequence from a stream", STREAM_LABELS,
                number(state.get("last_seq")), labels);
        js(out, namespace, "stream", "consumer_count", "Total number of consumers from a stream", STREAM_LABELS,
                number(state.get("consumer_count")), labels);
        js(out, namespace, "stream", "subject_count", "Total number of subjects in a stream", STREAM_LABELS,
                number(state.get("num_subjects")), labels);
        if (stream.get("config") instanceof Map<?, ?> c) {
            js(out, namespace, "stream", "limit_bytes", "The maximum configured storage limit (in bytes) for a "
                    + "JetStream stream. A value of -1 indicates no limit.", STREAM_LABELS,
                    number(c.get("max_bytes")), labels);
            js(out, namespace, "stream", "limit_messages", "The maximum number of messages allowed in a JetStream "
                    + "stream as per its configuration. A value of -1 indicates no limit.", STREAM_LABELS,
                    number(c.get("max_msgs")), labels);
        }
        for (Object o : list(stream.get("sources"))) {
            origin(out, namespace, "source", map(o), labels, SOURCE_LABELS);
        }
        if (stream.get("mirror") instanceof Map<?, ?> m) {
            origin(out, namespace, "mirror", map(m), labels, MIRROR_LABELS);
        }
        String desc = carriedDesc;
        for (Object o : list(stream.get("consumer_detail"))) {
            Map<String, Object> consumer = map(o);
            if (consumer.get("config") instanceof Map<?, ?> config) {
                desc = text(map(config).get("description"));
            }
            consumer(out, namespace, consumer, labels, serverName, desc);
        }
        return desc;
    }

    private static void origin(PrometheusText out, String namespace, String kind, Map<String, Object> origin,
                               String[] streamLabels, String[] labelNames) {
        Map<String, Object> external = map(origin.get("external"));
        String[] labels = concat(streamLabels, text(origin.get("name")), text(external.get("api")),
                text(external.get("deliver")));
        String title = kind.equals("source") ? "Stream source" : "Stream mirror";
        js(out, namespace, "stream", kind + "_lag", "Number of messages a stream " + kind + " is behind",
                labelNames, number(origin.get("lag")), labels);
        js(out, namespace, "stream", kind + "_active_duration_ns", title
                + " active duration in nanoseconds (-1 indicates inactive)", labelNames, number(origin.get("active")),
                labels);
    }

    private static void consumer(PrometheusText out, String namespace, Map<String, Object> consumer,
                                 String[] streamLabels, String serverName, String desc) {
        boolean clustered = consumer.get("cluster") instanceof Map<?, ?>;
        String leader = clustered ? text(map(consumer.get("cluster")).get("leader")) : "";
        String[] labels = concat(streamLabels, text(consumer.get("name")), leader,
                !clustered || leader.equals(serverName) ? "true" : "false", desc);
        Map<String, Object> delivered = map(consumer.get("delivered"));
        Map<String, Object> ackFloor = map(consumer.get("ack_floor"));
        double ts = ExporterValues.epochMillis(consumer.get("ts"));
        if (delivered.get("last_active") instanceof String last) {
            consumer(out, "last_delivery_seconds", "Seconds since last message delivery to consumer",
                    (ts - ExporterValues.epochMillis(last)) / 1000, labels, namespace);
        }
        if (ackFloor.get("last_active") instanceof String last) {
            consumer(out, "last_ack_seconds", "Seconds since last ack from consumer",
                    (ts - ExporterValues.epochMillis(last)) / 1000, labels, namespace);
        }
        consumer(out, "delivered_consumer_seq", "Latest sequence number of a stream consumer",
                number(delivered.get("consumer_seq")), labels, namespace);
        consumer(out, "delivered_stream_seq", "Latest sequence number of a stream",
                number(delivered.get("stream_seq")), labels, namespace);
        consumer(out, "num_ack_pending", "Number of pending acks from a consumer",
                number(consumer.get("num_ack_pending")), labels, namespace);
        consumer(out, "num_redelivered", "Number of redelivered messages from a consumer",
                number(consumer.get("num_redelivered")), labels, namespace);
        consumer(out, "num_waiting", "Number of inflight fetch requests from a pull consumer",
                number(consumer.get("num_waiting")), labels, namespace);
        consumer(out, "num_pending", "Number of pending messages from a consumer",
                number(consumer.get("num_pending")), labels, namespace);
        consumer(out, "ack_floor_stream_seq", "Number of ack floor stream seq from a consumer",
                number(ackFloor.get("stream_seq")), labels, namespace);
        consumer(out, "ack_floor_consumer_seq", "Number of ack floor consumer seq from a consumer",
                number(ackFloor.get("consumer_seq")), labels, namespace);
    }

    private static void consumer(PrometheusText out, String name, String help, double value, String[] labels,
                                 String namespace) {
        js(out, namespace, "consumer", name, help, CONSUMER_LABELS, value, labels);
    }

    private static void js(PrometheusText out, String namespace, String subsystem, String name, String help,
                           String[] labelNames, double value, String[] labels) {
        out.family(fqName(namespace, subsystem, name), Type.GAUGE, help, labelNames).sample(value, labels);
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
