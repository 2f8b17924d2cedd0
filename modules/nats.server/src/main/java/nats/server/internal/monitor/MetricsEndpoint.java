package nats.server.internal.monitor;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import nats.server.internal.ServerCore;

/**
 * {@code /metrics}: the Prometheus text format, with what the NATS Prometheus exporter would derive from this
 * server ({@link ExporterMetrics}, {@link ExporterLinkMetrics}), what it cannot see ({@link ServerMetrics}) and
 * what plugins add ({@link PluginMetrics}). Query parameters choose as the exporter's flags do:
 * {@code ?varz=1&connz=1&jsz=streams} collects only those; without any, all of them except
 * {@code connz_detailed} (one series per connection). {@code prefix} replaces the {@code gnatsd} and
 * {@code jetstream} namespaces as the exporter's {@code -prefix} does; {@code server_id} sets the label value
 * (the exporter labels with the URL it polls unless told to use the server's id, which is the default here).
 */
final class MetricsEndpoint {

    static final String PATH = "/metrics";
    /** Prometheus's text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The exporter's collector flags, in its order. */
    private static final List<String> COLLECTORS = List.of("varz", "connz", "connz_detailed", "subz", "routez",
            "gatewayz", "leafz", "accstatz", "accountz", "healthz", "healthz_js_enabled_only",
            "healthz_js_server_only", "jsz");
    private static final Set<String> JSZ_FILTERS = Set.of("account", "accounts", "consumer", "consumers", "all",
            "stream", "streams", "server");

    private final ServerCore core;
    private final Endpoints endpoints;
    private final MonitorDocuments documents;
    private final ExporterMetrics exporter;
    private final ExporterLinkMetrics links;
    private final ServerMetrics server;
    private final PluginMetrics plugins;
    private volatile double lastScrapeSeconds;

    MetricsEndpoint(ServerCore core, MonitorDocuments documents) {
        this.core = core;
        this.endpoints = documents.endpoints();
        this.documents = documents;
        this.exporter = new ExporterMetrics(documents);
        this.links = new ExporterLinkMetrics(documents);
        this.server = new ServerMetrics(core, new ProcessUsage());
        this.plugins = documents.extensions().pluginMetrics();
    }

    /** What one scrape asks for. */
    private record Selection(Set<String> collectors, String jsz, String namespace, String jsNamespace, String sid,
                             boolean jnatsd) {
    }

    String scrape(Query q) throws GoFormat.BadRequest {
        long start = System.nanoTime();
        Selection s = selection(q);
        endpoints.countRequest(PATH);
        PrometheusText out = new PrometheusText();
        String ns = s.namespace();
        // The connections are walked twice at most: for the server's totals, and once for everything else.
        ServerCore.Stats stats = s.collectors().contains("varz") || s.jnatsd() ? core.stats() : null;
        boolean walk = s.jnatsd() || s.collectors().contains("connz") || s.collectors().contains("connz_detailed")
                || s.collectors().contains("accstatz") || s.collectors().contains("accountz");
        ClientPass pass = walk ? ClientPass.of(core, ExporterMetrics.CONNZ_PAGE) : null;
        if (s.collectors().contains("varz")) {
            Map<String, Object> varz = documents.extensions().forPath(Endpoints.VARZ).isPresent()
                    ? documents.asJson(Endpoints.VARZ, Map.of())
                    : ExporterValues.map(nats.transport.json.Json.parse(nats.transport.json.GoJson.compact(
                            endpoints.varz(Query.internalHttp(Map.of()), stats))));
            exporter.document(out, ns, "varz", varz, s.sid());
        }
        if (s.collectors().contains("subz")) {
            exporter.document(out, ns, "subsz", documents.asJson(Endpoints.SUBSZ, Map.of()), s.sid());
        }
        if (s.collectors().contains("routez")) {
            exporter.document(out, ns, "routez", documents.asJson(Endpoints.ROUTEZ, Map.of()), s.sid());
        }
        if (s.collectors().contains("connz") || s.collectors().contains("connz_detailed")) {
            exporter.connz(out, ns, pass.connzPage(), s.sid());
        }
        if (s.collectors().contains("connz_detailed")) {
            exporter.connzDetailed(out, ns, s.sid());
        }
        for (String health : List.of("healthz", "healthz_js_enabled_only", "healthz_js_server_only")) {
            if (s.collectors().contains(health)) {
                exporter.healthz(out, ns, health, s.sid());
            }
        }
        if (s.collectors().contains("gatewayz")) {
            links.gatewayz(out, ns, s.sid());
        }
        if (s.collectors().contains("leafz")) {
            links.leafz(out, ns, s.sid());
        }
        List<AccountTotals> accounts = pass == null ? List.of() : pass.accounts();
        if (s.collectors().contains("accstatz")) {
            exporter.accstatz(out, ns, accounts, s.sid());
        }
        if (s.collectors().contains("accountz")) {
            exporter.accountz(out, ns, accounts, s.sid());
        }
        if (!s.jsz().isEmpty()) {
            links.jsz(out, s.jsNamespace(), s.jsz(), s.sid(), core.identity().serverName());
        }
        if (s.jnatsd()) {
            server.collect(out, s.sid(), stats, accounts, lastScrapeSeconds);
            plugins.collect(out, s.sid());
        }
        String text = out.render();
        lastScrapeSeconds = (System.nanoTime() - start) / 1e9;
        return text;
    }

    private Selection selection(Query q) throws GoFormat.BadRequest {
        Set<String> chosen = new java.util.LinkedHashSet<>();
        boolean any = false;
        for (String name : COLLECTORS) {
            if (name.equals("jsz")) {
                continue;
            }
            String param = name.equals("subz") && q.values().containsKey("subsz") ? "subsz" : name;
            if (q.values().containsKey(param)) {
                any = true;
                if (q.bool(param)) {
                    chosen.add(name);
                }
            }
        }
        String jsz = q.get("jsz").toLowerCase(Locale.ROOT);
        if (q.values().containsKey("jsz")) {
            any = true;
            if (jsz.equals("0") || jsz.equals("false") || jsz.equals("off") || jsz.isEmpty()) {
                jsz = "";
            } else if (!JSZ_FILTERS.contains(jsz)) {
                throw new GoFormat.BadRequest("invalid jsz filter \"" + q.get("jsz") + "\"");
            }
        }
        if (!any) {
            chosen.addAll(COLLECTORS);
            chosen.remove("connz_detailed");
            chosen.remove("healthz_js_enabled_only");
            chosen.remove("healthz_js_server_only");
            chosen.remove("jsz");
            jsz = "all";
        }
        String prefix = q.get("prefix");
        if (!prefix.isEmpty() && !PrometheusText.METRIC_NAME.matcher(prefix).matches()) {
            throw new GoFormat.BadRequest("invalid metrics prefix \"" + prefix + "\"");
        }
        boolean jnatsd = !q.values().containsKey("jnatsd") || q.bool("jnatsd");
        String sid = q.values().containsKey("server_id") ? q.get("server_id") : core.identity().serverId();
        return new Selection(Set.copyOf(chosen), jsz, prefix.isEmpty() ? ExporterMetrics.CORE_SYSTEM : prefix,
                prefix.isEmpty() ? "jetstream" : prefix, sid, jnatsd);
    }
}
