package nats.server.internal.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A map the parser produces: a {@link LinkedHashMap} in definition order that also remembers, for each key,
 * where it was defined and how its value was written, and which keys were referenced as {@code $variables}
 * (the Go server does not report those as unknown fields). Equal to any map with the same entries.
 */
public final class ConfigMap extends LinkedHashMap<String, Object> {

    private static final long serialVersionUID = 1L;

    /**
     * Where a key was defined: file (null for text from a string), 1-based line and column of the key, and the
     * value as written when it was a single token (e.g. {@code 2m}, {@code "2m"} appears as {@code 2m}); null
     * for maps and arrays.
     */
    public record Origin(Path file, int line, int column, String rawValue) {

        /** "file:line:column" as the Go server prints positions. */
        public String position() {
            return (file == null ? ConfigException.NO_FILE : file.toString()) + ":" + line + ":" + column;
        }
    }

    private final transient Map<String, Origin> origins = new HashMap<>();
    private final transient Set<String> usedAsVariable = new HashSet<>();

    public ConfigMap() {
    }

    /** Defines (or redefines, moving it to the end) {@code key}. */
    void define(String key, Object value, Origin origin) {
        remove(key);
        put(key, value);
        if (origin != null) {
            origins.put(key, origin);
        } else {
            origins.remove(key);
        }
    }

    void markUsedAsVariable(String key) {
        usedAsVariable.add(key);
    }

    /** Where {@code key} (exact spelling) was defined, when known. */
    public Optional<Origin> origin(String key) {
        return Optional.ofNullable(origins.get(key));
    }

    /** Whether {@code key} (exact spelling) was referenced as a {@code $variable} somewhere. */
    public boolean usedAsVariable(String key) {
        return usedAsVariable.contains(key);
    }
}
