package nats.server.internal.monitor;

import static nats.server.internal.monitor.ExporterValues.fqName;
import static nats.server.internal.monitor.ExporterValues.map;
import static nats.server.internal.monitor.ExporterValues.number;
import static nats.server.internal.monitor.ExporterValues.text;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nats.server.internal.auth.OperatorLimits;
import nats.server.internal.monitor.PrometheusText.Family;
import nats.server.internal.monitor.PrometheusText.Type;

/**
 * The metrics the NATS Prometheus exporter ({@code prometheus-nats-exporter}, its {@code collector} package)
 * derives from {@code /varz}, {@code /subsz}, {@code /routez}, {@code /connz}, {@code /healthz},
 * {@code /accstatz} and {@code /accountz}: the same names, types, help texts and labels, so dashboards built on
 * the exporter work unchanged. The numbers come from the same documents, read without HTTP, or, where the
 * exporter only sums or counts, straight from the server's counters. Gateways, leaf nodes and JetStream are in
 * {@link ExporterLinkMetrics}.
 */
final class ExporterMetrics {

    /** The exporter's {@code gnatsd} namespace (kept by the exporter for existing dashboards). */
    static final String CORE_SYSTEM = "gnatsd";
    /** The exporter leaves these out of the /varz metrics (their numbers are settings, not measurements). */
    private static final Set<String> SKIPPED = Set.of("leaf", "trusted_operators_claim", "cluster_tls_timeout",
            "cluster_cluster_port", "cluster_auth_timeout", "gateway_port", "gateway_auth_timeout",
            "gateway_tls_timeout", "gateway_connect_retries");
    /** Text fields the exporter exposes: as a time in epoch milliseconds, or as a {@code value} label. */
    private static final Set<String> LABEL_KEYS = Set.of("server_id", "server_name", "version", "domain", "leader",
            "name", "start", "config_load_time");
    /** The page of connections the exporter's {@code /connz} request returns (Go's default limit). */
    static final int CONNZ_PAGE = Endpoints.DEFAULT_LIST_SIZE;
    private static final String[] DETAIL_LABELS = {"server_id", "cid", "kind", "type", "ip", "port", "name",
        "name_tag", "account", "account_id", "lang", "version", "tls_version", "tls_cipher_suite"};
    private static final String[] ACCOUNT_LABELS = {"server_id", "account", "account_id", "account_name"};
    private static final String[] ACCOUNTZ_LABELS = {"server_id", "account_id", "account_name"};

    private final MonitorDocuments documents;

    ExporterMetrics(MonitorDocuments documents) {
        this.documents = documents;
    }

    // ---- varz, subsz, routez: every number and some texts of the document ------------------------------

    /**
     * The exporter's generic collector: each number of the document is a gauge named after its path
     * ({@code gnatsd_varz_jetstream_config_max_memory}), help text the same path; the texts in
     * {@link #LABEL_KEYS} become a time or a gauge of 1 with a {@code value} label; booleans and lists are left out.
     */
    void document(PrometheusText out, String namespace, String endpoint, Map<String, Object> document, String sid) {
        flatten(out, namespace, endpoint, document, List.of(), sid, new HashSet<>());
    }

    private static void flatten(PrometheusText out, String namespace, String endpoint, Map<String, Object> m,
                                List<String> prefix, String sid, Set<String> seen) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            String fqn = pathName(path);
            if (SKIPPED.contains(fqn) || seen.contains(fqn)) {
                continue;
            }
            String name = fqName(namespace, endpoint, fqn);
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                flatten(out, namespace, endpoint, map(nested), path, sid, seen);
                continue;
            }
            if (!PrometheusText.METRIC_NAME.matcher(name).matches()) {
                continue; // client_golang could not register it either
            }
            if (v instanceof Number n) {
                seen.add(fqn);
                out.family(name, Type.GAUGE, fqn, "server_id").sample(n.doubleValue(), sid);
            } else if (v instanceof String s && LABEL_KEYS.contains(e.getKey())) {
                seen.add(fqn);
                if (ExporterValues.isTime(s)) {
                    out.family(name, Type.GAUGE, fqn, "server_id").sample(ExporterValues.epochMillis(s), sid);
                } else {
                    out.family(name, Type.GAUGE, fqn, "server_id", "value").sample(1, sid, s);
                }
            }
        }
    }

    /** The exporter's {@code fqName}: the path joined with '_', '/' as '_', no leading/trailing or double '_'. */
    static String pathName(List<String> path) {
        String joined = String.join("_", path).replace('/', '_');
        while (joined.contains("__")) {
            joined = joined.replace("__", "_");
        }
        int from = 0;
        int to = joined.length();
        while (from < to && joined.charAt(from) == '_') {
            from++;
        }
        while (to > from && joined.charAt(to - 1) == '_') {
            to--;
        }
        return joined.substring(from, to);
    }

    // ---- connz: the first page of connections, summed -----------------------------------------------------

    /**
     * The exporter's connz collector reads {@code /connz} (its first {@value #CONNZ_PAGE} connections by cid) and
     * sums their pending bytes, subscriptions and traffic. The same sums come from the scrape's one walk over the
     * connections ({@link ClientPass}), without building their documents.
     */
    void connz(PrometheusText out, String namespace, ClientPass.ConnzPage page, String sid) {
        summary(out, namespace, "num_connections", Type.GAUGE).sample(page.size(), sid);
        summary(out, namespace, "total", Type.GAUGE).sample(page.total(), sid);
        summary(out, namespace, "offset", Type.GAUGE).sample(0, sid);
        summary(out, namespace, "limit", Type.GAUGE).sample(CONNZ_PAGE, sid);
        summary(out, namespace, "pending_bytes", Type.GAUGE).sample(page.pendingBytes(), sid);
        summary(out, namespace, "subscriptions", Type.GAUGE).sample(page.subscriptions(), sid);
        summary(out, namespace, "in_bytes", Type.COUNTER).sample(page.inBytes(), sid);
        summary(out, namespace, "out_bytes", Type.COUNTER).sample(page.outBytes(), sid);
        summary(out, namespace, "in_msgs", Type.COUNTER).sample(page.inMsgs(), sid);
        summary(out, namespace, "out_msgs", Type.COUNTER).sample(page.outMsgs(), sid);
    }

    private static Family summary(PrometheusText out, String namespace, String name, Type type) {
        return out.family(fqName(namespace, "connz", name), type, name, "server_id");
    }

    /**
     * The exporter's {@code -connz_detailed}: one series per connection of the first page, labelled as the
     * exporter labels them, in the same families as the sums. Only when asked: it grows with the connections.
     */
    void connzDetailed(PrometheusText out, String namespace, String sid) throws GoFormat.BadRequest {
        Map<String, Object> connz = documents.asJson(Endpoints.CONNZ, Map.of("auth", "true"));
        Family start = out.family(fqName(namespace, "connz", "start"), Type.UNTYPED,
                "epoch time at which the connection was started", DETAIL_LABELS);
        Family lastActivity = out.family(fqName(namespace, "connz", "last_activity"), Type.UNTYPED,
                "epoch time at which the last activity was registred", DETAIL_LABELS);
        Family rtt = out.family(fqName(namespace, "connz", "rtt"), Type.GAUGE,
                "response time latency in microseconds", DETAIL_LABELS);
        Family uptime = out.family(fqName(namespace, "connz", "uptime"), Type.UNTYPED,
                "uptime duration in milliseconds", DETAIL_LABELS);
        Family idle = out.family(fqName(namespace, "connz", "idle"), Type.GAUGE,
                "idle time duration in milliseconds", DETAIL_LABELS);
        for (Object o : ExporterValues.list(connz.get("connections"))) {
            Map<String, Object> c = map(o);
            String account = text(c.get("account"));
            String[] labels = {sid, ExporterValues.plain(c.get("cid")), text(c.get("kind")), text(c.get("type")),
                text(c.get("ip")), ExporterValues.plain(c.get("port")), text(c.get("name")), text(c.get("name_tag")),
                account, account, text(c.get("lang")), text(c.get("version")), text(c.get("tls_version")),
                text(c.get("tls_cipher_suite"))};
            detail(out, namespace, "pending_bytes", Type.GAUGE, number(c.get("pending_bytes")), labels);
            detail(out, namespace, "subscriptions", Type.GAUGE, number(c.get("subscriptions")), labels);
            detail(out, namespace, "in_bytes", Type.COUNTER, number(c.get("in_bytes")), labels);
            detail(out, namespace, "out_bytes", Type.COUNTER, number(c.get("out_bytes")), labels);
            detail(out, namespace, "in_msgs", Type.COUNTER, number(c.get("in_msgs")), labels);
            detail(out, namespace, "out_msgs", Type.COUNTER, number(c.get("out_msgs")), labels);
            start.sample(ExporterValues.epochMillis(c.get("start")), labels);
            lastActivity.sample(ExporterValues.epochMillis(c.get("last_activity")), labels);
            double nanos = ExporterValues.goDurationNanos(text(c.get("rtt")));
            rtt.sample(Double.isNaN(nanos) ? -1 : Math.floor(nanos / 1e3), labels);
            uptime.sample(ExporterValues.uptimeMillis(c.get("uptime")), labels);
            idle.sample(ExporterValues.uptimeMillis(c.get("idle")), labels);
        }
    }

    private static void detail(PrometheusText out, String namespace, String name, Type type, double value,
                               String[] labels) {
        out.family(fqName(namespace, "connz", name), type, name, "server_id").sampleLabelled(DETAIL_LABELS, labels,
                value);
    }

    // ---- healthz -----------------------------------------------------------------------------------------

    /**
     * The exporter's healthz collectors: {@code status} is 0 when healthy, 1 otherwise; {@code status_value}
     * is 1 when healthy, with the status text as its {@code value} label.
     *
     * @param endpoint {@code healthz}, {@code healthz_js_enabled_only} or {@code healthz_js_server_only}
     */
    void healthz(PrometheusText out, String namespace, String endpoint, String sid) throws GoFormat.BadRequest {
        Map<String, String> params = switch (endpoint) {
            case "healthz_js_enabled_only" -> Map.of("js-enabled-only", "true");
            case "healthz_js_server_only" -> Map.of("js-server-only", "true");
            default -> Map.of();
        };
        String status = text(documents.asJson(Endpoints.HEALTHZ, params).get("status"));
        boolean ok = status.equals("ok");
        out.family(fqName(namespace, endpoint, "status"), Type.GAUGE, "status", "server_id").sample(ok ? 0 : 1, sid);
        out.family(fqName(namespace, endpoint, "status_value"), Type.GAUGE, "status", "server_id", "value")
                .sample(ok ? 1 : 0, sid, status);
    }

    // ---- accstatz, accountz --------------------------------------------------------------------------------

    /** The exporter's accstatz collector ({@code /accstatz?unused=1}): every account's clients and traffic. */
    void accstatz(PrometheusText out, String namespace, List<AccountTotals> accounts, String sid) {
        for (AccountTotals a : accounts) {
            String[] labels = {sid, a.name(), a.name(), a.nameTag()};
            account(out, namespace, "current_connections", a.connections(), labels);
            account(out, namespace, "total_connections", a.connections(), labels);
            account(out, namespace, "subscriptions", a.subscriptions(), labels);
            account(out, namespace, "leaf_nodes", 0, labels);
            account(out, namespace, "sent_messages", a.outMsgs(), labels);
            account(out, namespace, "sent_bytes", a.outBytes(), labels);
            account(out, namespace, "received_messages", a.inMsgs(), labels);
            account(out, namespace, "received_bytes", a.inBytes(), labels);
            account(out, namespace, "slow_consumers", a.slowConsumers(), labels);
        }
    }

    private static void account(PrometheusText out, String namespace, String name, double value, String[] labels) {
        out.family(fqName(namespace, "accstatz", name), Type.GAUGE, name, ACCOUNT_LABELS).sample(value, labels);
    }

    /**
     * The exporter's accountz collector: each account's detail ({@code /accountz?acc=NAME}) and the limits its
     * JWT sets (zero for accounts without a JWT, as the exporter reads a missing {@code decoded_jwt}).
     */
    void accountz(PrometheusText out, String namespace, List<AccountTotals> accounts, String sid)
            throws GoFormat.BadRequest {
        for (AccountTotals a : accounts) {
            Map<String, Object> detail = map(documents.asJson(Endpoints.ACCOUNTZ, Map.of("acc", a.name()))
                    .get("account_detail"));
            String[] labels = {sid, a.name(), a.nameTag()};
            accountz(out, namespace, "client_connections", number(detail.get("client_connections")), labels);
            accountz(out, namespace, "leafnode_connections", number(detail.get("leafnode_connections")), labels);
            accountz(out, namespace, "subscriptions", number(detail.get("subscriptions")), labels);
            accountz(out, namespace, "is_system", ExporterValues.bool(detail.get("is_system")), labels);
            accountz(out, namespace, "expired", ExporterValues.bool(detail.get("expired")), labels);
            accountz(out, namespace, "complete", ExporterValues.bool(detail.get("complete")), labels);
            accountz(out, namespace, "jetstream_enabled", ExporterValues.bool(detail.get("jetstream_enabled")),
                    labels);
            OperatorLimits limits = a.account().jwt() == null ? null : a.account().jwt().claims().limits();
            accountz(out, namespace, "limit_subs", limits == null ? 0 : limits.nats().subs(), labels);
            accountz(out, namespace, "limit_data", limits == null ? 0 : limits.nats().data(), labels);
            accountz(out, namespace, "limit_payload", limits == null ? 0 : limits.nats().payload(), labels);
            accountz(out, namespace, "limit_imports", limits == null ? 0 : limits.account().imports(), labels);
            accountz(out, namespace, "limit_exports", limits == null ? 0 : limits.account().exports(), labels);
            accountz(out, namespace, "limit_wildcards",
                    limits != null && limits.account().wildcardExports() ? 1 : 0, labels);
            accountz(out, namespace, "limit_conn", limits == null ? 0 : limits.account().conn(), labels);
            accountz(out, namespace, "limit_leaf", limits == null ? 0 : limits.account().leaf(), labels);
        }
    }

    private static void accountz(PrometheusText out, String namespace, String name, double value, String[] labels) {
        out.family(fqName(namespace, "accountz", name), Type.GAUGE, name, ACCOUNTZ_LABELS).sample(value, labels);
    }
}
