package nats.api.monitoring;

import java.util.Map;
import java.util.Optional;

/**
 * The options of one monitoring request: the query parameters of an HTTP request, or the JSON body of a system
 * request (Go's {@code *Options} field names, which sometimes differ from the query names).
 *
 * @param http the query parameters (first value of each), empty for a system request
 * @param json the request body's members, empty for an HTTP request
 */
public record MonitorQuery(Map<String, String> http, Map<String, Object> json) {

    public MonitorQuery {
        http = Map.copyOf(http);
        json = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(json));
    }

    /** Whether the request came over HTTP. */
    public boolean isHttp() {
        return json.isEmpty();
    }

    /** An option by its HTTP name or, for a system request, by its JSON name, as text. */
    public Optional<String> option(String httpName, String jsonName) {
        if (http.containsKey(httpName)) {
            return Optional.of(http.get(httpName));
        }
        Object value = json.get(jsonName);
        return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
    }

    /**
     * A boolean option as Go's monitor decodes it ({@code decodeBool}): absent or empty is false.
     *
     * @throws MonitorException with Go's 400 text for anything {@code strconv.ParseBool} refuses
     */
    public boolean flag(String httpName, String jsonName) throws MonitorException {
        return goBool(httpName, option(httpName, jsonName).orElse(""));
    }

    /**
     * {@code value} as Go's monitor decodes a boolean query parameter: empty is false, then {@code strconv.ParseBool}.
     *
     * @throws MonitorException with Go's 400 text naming {@code param}
     */
    public static boolean goBool(String param, String value) throws MonitorException {
        return switch (value) {
            case "" -> false;
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new MonitorException("Error decoding boolean for '" + param
                    + "': strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
        };
    }
}
