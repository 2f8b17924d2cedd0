package nats.server.internal.monitor;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A request's query parameters as Go's {@code r.URL.Query().Get(name)} sees them: '+' and %-escapes
 * decoded, the first value of a repeated name wins, malformed pairs (bad escapes, or ';' which Go 1.17+
 * refuses) are dropped, and a missing name reads as "".
 */
final class Query {

    private final Map<String, String> values;
    /** False for a system-account request ({@code $SYS.REQ.SERVER.PING.VARZ}...): Go counts only HTTP requests. */
    private final boolean httpRequest;
    /** Whether the request counts in {@code http_req_stats}: HTTP requests from outside do. */
    private final boolean counted;

    private Query(Map<String, String> values, boolean httpRequest, boolean counted) {
        this.values = values;
        this.httpRequest = httpRequest;
        this.counted = counted;
    }

    /** Parameters given by name, as a system-account request's JSON options are translated. */
    static Query of(Map<String, String> values) {
        return new Query(Map.copyOf(values), false, false);
    }

    /**
     * Parameters of a request the server makes of itself as if over HTTP (the Prometheus page reads the
     * documents the exporter would fetch): answered as HTTP, not counted in {@code http_req_stats}.
     */
    static Query internalHttp(Map<String, String> values) {
        return new Query(Map.copyOf(values), true, false);
    }

    boolean isHttpRequest() {
        return httpRequest;
    }

    boolean isCounted() {
        return counted;
    }

    static Query parse(String rawQuery) {
        Map<String, String> values = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty() || pair.indexOf(';') >= 0) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String rawKey = eq < 0 ? pair : pair.substring(0, eq);
                String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    String key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
                    String value = URLDecoder.decode(rawValue, StandardCharsets.UTF_8);
                    values.putIfAbsent(key, value);
                } catch (IllegalArgumentException e) {
                    // Go's ParseQuery skips a pair it cannot unescape.
                }
            }
        }
        return new Query(values, true, true);
    }

    /** The parameters as given (first value of each). */
    Map<String, String> values() {
        return values;
    }

    String get(String name) {
        return values.getOrDefault(name, "");
    }

    boolean bool(String name) throws GoFormat.BadRequest {
        return GoFormat.parseBool(name, get(name));
    }

    int integer(String name) throws GoFormat.BadRequest {
        return GoFormat.parseInt(name, get(name));
    }

    long uint64(String name) throws GoFormat.BadRequest {
        return GoFormat.parseUint64(name, get(name));
    }
}
