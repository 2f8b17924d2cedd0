package nats.jetstream.internal.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JetStream API error as the Go server sends it: {@code {"code":..,"err_code":..,"description":..}}.
 *
 * @param code        the HTTP-like status
 * @param errCode     the JetStream error number (0 for errors outside the table, then left out of the JSON)
 * @param description the text, placeholders filled
 */
public record ApiError(int code, int errCode, String description) {

    /**
     * The table's error with its placeholders filled from {@code values}, given as name/value pairs
     * ({@code "err", "..."}); a single value fills every placeholder, as most templates have one.
     */
    public static ApiError of(JsErrors error, Object... values) {
        String text = error.template();
        if (values.length == 1) {
            text = text.replaceAll("\\{[a-z]+}", java.util.regex.Matcher.quoteReplacement(String.valueOf(values[0])));
        } else {
            for (int i = 0; i + 1 < values.length; i += 2) {
                text = text.replace("{" + values[i] + "}", String.valueOf(values[i + 1]));
            }
        }
        return new ApiError(error.code(), error.errCode(), text);
    }

    /** The error as the {@code error} member of a response, in Go's field order. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        if (errCode != 0) {
            m.put("err_code", errCode);
        }
        m.put("description", description);
        return m;
    }

    /** Thrown by request handling to answer with this error. */
    public ApiException exception() {
        return new ApiException(this);
    }
}
