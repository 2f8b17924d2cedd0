package nats.jetstream.internal.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stream's {@code republish} directive (Go's {@code RePublish}).
 *
 * @param source      {@code src}: stored subjects that are republished ({@code >} when empty)
 * @param destination {@code dest}: where, as a subject mapping
 * @param headersOnly {@code headers_only}: send headers and the size, not the payload
 */
public record Republish(String source, String destination, boolean headersOnly) {

    static Republish parse(JsonIn in) {
        return new Republish(in.string("src"), in.string("dest"), in.bool("headers_only"));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!source.isEmpty()) {
            m.put("src", source);
        }
        m.put("dest", destination);
        if (headersOnly) {
            m.put("headers_only", true);
        }
        return m;
    }
}
