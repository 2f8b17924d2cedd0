package nats.server.internal.monitor;

import nats.transport.json.GoJson;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import nats.server.internal.ServerCore;

/**
 * The monitoring documents of one server, for the HTTP port and for the system account's requests
 * ({@code $SYS.REQ.SERVER.PING.CONNZ} ...). A system request carries the options as JSON in the field names
 * of Go's {@code *Options} structs ({@code {"subscriptions":true,"acc":"A"}}); they are translated to the
 * HTTP query parameters the endpoints read, so both paths apply the same rules.
 */
public final class MonitorDocuments {

    /** A request the endpoint refuses, with Go's error text. */
    public static final class RequestException extends Exception {
        private static final long serialVersionUID = 1L;

        public RequestException(String message) {
            super(message, null, false, false);
        }
    }

    private final ServerCore core;
    private final Endpoints endpoints;
    private final ProcessUsage usage = new ProcessUsage();

    private final MonitorExtensions extensions;

    public MonitorDocuments(ServerCore core) {
        this(core, new MonitorExtensions((name, value) -> { }, () -> { }));
    }

    /** Documents of the kernel plus those plugins add through {@code extensions}. */
    public MonitorDocuments(ServerCore core, MonitorExtensions extensions) {
        this.core = core;
        this.endpoints = new Endpoints(core, extensions);
        this.extensions = extensions;
    }

    ServerCore core() {
        return core;
    }

    public MonitorExtensions extensions() {
        return extensions;
    }

    Endpoints endpoints() {
        return endpoints;
    }

    /**
     * The document a system request names: VARZ, CONNZ, SUBSZ, ROUTEZ, GATEWAYZ, LEAFZ, ACCOUNTZ, JSZ or
     * HEALTHZ, with {@code options} from the request's JSON body.
     */
    public Object document(String name, Map<String, Object> options) throws RequestException {
        java.util.Optional<nats.api.monitoring.MonitorDocument> plugin = extensions.forRequest(name);
        if (plugin.isPresent()) {
            try {
                return MonitorExtensions.run(plugin.get(), new nats.api.monitoring.MonitorQuery(Map.of(), options));
            } catch (GoFormat.BadRequest e) {
                throw new RequestException(e.getMessage());
            }
        }
        Query q = Query.of(queryOf(name, options));
        try {
            return switch (name) {
                case "VARZ" -> endpoints.varz(q);
                case "CONNZ" -> endpoints.connz(q);
                case "SUBSZ" -> endpoints.subsz(q);
                case "ROUTEZ" -> endpoints.routez(q);
                case "GATEWAYZ" -> endpoints.gatewayz(q);
                case "LEAFZ" -> endpoints.leafz(q);
                case "ACCOUNTZ" -> endpoints.accountz(q);
                case "JSZ" -> endpoints.jsz(q);
                case "HEALTHZ" -> endpoints.healthz(q);
                default -> throw new IllegalArgumentException("no monitoring document " + name);
            };
        } catch (GoFormat.BadRequest e) {
            throw new RequestException(e.getMessage());
        }
    }

    /**
     * The JSON document an HTTP endpoint serves ({@code /varz}, {@code /jsz}, a plugin's path...), or empty for a
     * path that serves none. {@code /healthz} is here too; the root page, {@code /stacksz} and the Prometheus
     * and dashboard pages are not documents.
     */
    java.util.Optional<Object> atPath(String path, Query q) throws GoFormat.BadRequest {
        java.util.Optional<nats.api.monitoring.MonitorDocument> plugin = extensions.forPath(path);
        if (plugin.isPresent()) {
            return java.util.Optional.of(MonitorExtensions.run(plugin.get(),
                    new nats.api.monitoring.MonitorQuery(q.values(), Map.of())));
        }
        Object document = switch (path) {
            case Endpoints.VARZ -> endpoints.varz(q);
            case Endpoints.CONNZ -> endpoints.connz(q);
            case Endpoints.ROUTEZ -> endpoints.routez(q);
            case Endpoints.GATEWAYZ -> endpoints.gatewayz(q);
            case Endpoints.LEAFZ -> endpoints.leafz(q);
            case Endpoints.SUBSZ, Endpoints.SUBSCRIPTIONSZ -> endpoints.subsz(q);
            case Endpoints.ACCOUNTZ -> endpoints.accountz(q);
            case Endpoints.ACCSTATZ -> endpoints.accstatz(q);
            case Endpoints.JSZ -> endpoints.jsz(q);
            case Endpoints.HEALTHZ -> endpoints.healthz(q);
            case Endpoints.IPQUEUESZ -> endpoints.ipqueuesz(q);
            default -> null;
        };
        return java.util.Optional.ofNullable(document);
    }

    /**
     * A document as the exporter reads it: rendered to Go's JSON and parsed back, so it holds only maps, lists,
     * strings, Longs, Doubles, Booleans and nulls (times as RFC 3339 text), whoever produced it. Not counted in
     * {@code http_req_stats}.
     */
    Map<String, Object> asJson(String path, Map<String, String> params) throws GoFormat.BadRequest {
        Object document = atPath(path, Query.internalHttp(params)).orElse(Map.of());
        return ExporterValues.map(nats.transport.json.Json.parse(GoJson.compact(document)));
    }

    /** Go's AccountInfo of one account ({@code $SYS.REQ.ACCOUNT.<acc>.INFO}). */
    public Object accountInfo(String account) throws RequestException {
        try {
            return endpoints.accountInfo(account);
        } catch (GoFormat.BadRequest e) {
            throw new RequestException(e.getMessage());
        }
    }

    /** Go's AccountStat of one account (/accstatz, account STATZ requests and connection-count events). */
    public Map<String, Object> accountStat(nats.server.internal.account.Account account) {
        return endpoints.accountStat(account);
    }

    /** Go's DataStats: {@code {"msgs":N,"bytes":N}}. */
    public static Map<String, Object> dataStats(long msgs, long bytes) {
        return Endpoints.dataStats(msgs, bytes);
    }

    /** A document as Go's {@code json.Marshal} writes it. */
    public String toJson(Object document) {
        return GoJson.compact(document);
    }

    public long residentBytes() {
        return usage.residentBytes();
    }

    public double cpuPercent() {
        return usage.cpuPercent();
    }

    /** Go's JSON option names for each document, mapped to the HTTP query parameter each endpoint reads. */
    private static Map<String, String> queryOf(String name, Map<String, Object> options) {
        Map<String, String> q = new HashMap<>();
        switch (name) {
            case "CONNZ" -> {
                copy(options, "sort", q, "sort");
                copy(options, "auth", q, "auth");
                if (isTrue(options.get("subscriptions_detail"))) {
                    q.put("subs", "detail");
                } else {
                    copy(options, "subscriptions", q, "subs");
                }
                copy(options, "offset", q, "offset");
                copy(options, "limit", q, "limit");
                copy(options, "cid", q, "cid");
                copy(options, "mqtt_client", q, "mqtt_client");
                copy(options, "user", q, "user");
                copy(options, "acc", q, "acc");
                copy(options, "filter_subject", q, "filter_subject");
                // Go's ConnState: 0 open, 1 closed, 2 all.
                if (options.get("state") instanceof Number n) {
                    q.put("state", switch (n.intValue()) {
                        case 1 -> "closed";
                        case 2 -> "any";
                        default -> "open";
                    });
                }
            }
            case "SUBSZ" -> {
                copy(options, "offset", q, "offset");
                copy(options, "limit", q, "limit");
                copy(options, "subscriptions", q, "subs");
                copy(options, "account", q, "acc");
                copy(options, "test", q, "test");
            }
            case "ROUTEZ" -> {
                if (isTrue(options.get("subscriptions_detail"))) {
                    q.put("subs", "detail");
                } else {
                    copy(options, "subscriptions", q, "subs");
                }
            }
            case "GATEWAYZ" -> copy(options, "accounts", q, "accs");
            case "LEAFZ" -> copy(options, "subscriptions", q, "subs");
            case "ACCOUNTZ" -> copy(options, "account", q, "acc");
            case "JSZ" -> {
                for (String flag : List.of("accounts", "streams", "config")) {
                    copy(options, flag, q, flag);
                }
                copy(options, "consumer", q, "consumers");
                copy(options, "leader_only", q, "leader-only");
                copy(options, "offset", q, "offset");
                copy(options, "limit", q, "limit");
            }
            case "HEALTHZ" -> {
                copy(options, "js-enabled-only", q, "js-enabled-only");
                copy(options, "js-server-only", q, "js-server-only");
            }
            default -> {
                // VARZ has no options.
            }
        }
        return q;
    }

    private static void copy(Map<String, Object> from, String field, Map<String, String> to, String param) {
        Object value = from.get(field);
        if (value == null) {
            return;
        }
        String text = value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                ? Long.toString(n.longValue()) : value.toString();
        // An option left at its zero value is the same as no option.
        if (!text.isEmpty() && !text.equals("false") && !text.equals("0")) {
            to.put(param, text.toLowerCase(Locale.ROOT).equals("true") ? "true" : text);
        }
    }

    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value);
    }
}
