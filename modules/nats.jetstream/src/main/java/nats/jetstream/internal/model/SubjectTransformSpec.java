package nats.jetstream.internal.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A subject transform of a stream or source (Go's {@code SubjectTransformConfig}).
 *
 * @param source      {@code src}: the subjects it applies to (empty for all)
 * @param destination {@code dest}: the mapping, with {@code $1} / {@code {{wildcard(1)}}} references
 */
public record SubjectTransformSpec(String source, String destination) {

    static SubjectTransformSpec parse(JsonIn in) {
        return new SubjectTransformSpec(in.string("src"), in.string("dest"));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("src", source);
        m.put("dest", destination);
        return m;
    }
}
