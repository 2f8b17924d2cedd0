package nats.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags given on one command line, by {@link FlagSpec}, each as its kind's type: String, Integer, Path,
 * Boolean or a List of Strings. Filled by {@link FlagParser} or from picocli's parse result.
 */
final class ParsedFlags {

    private final Map<FlagSpec, Object> values = new LinkedHashMap<>();

    void put(FlagSpec flag, Object value) {
        values.put(flag, value);
    }

    /** Appends to a list flag, which may be repeated. */
    void addAll(FlagSpec flag, List<String> elements) {
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) values.computeIfAbsent(flag, f -> new ArrayList<String>());
        list.addAll(elements);
    }

    boolean isGiven(FlagSpec flag) {
        return values.containsKey(flag);
    }

    /** A switch's value: true when given without a value or as {@code =true}. */
    boolean on(FlagSpec flag) {
        return Boolean.TRUE.equals(values.get(flag));
    }

    /** An optional boolean: null when not given. */
    Boolean bool(FlagSpec flag) {
        return (Boolean) values.get(flag);
    }

    String string(FlagSpec flag) {
        return (String) values.get(flag);
    }

    Integer integer(FlagSpec flag) {
        return (Integer) values.get(flag);
    }

    Long longValue(FlagSpec flag) {
        return (Long) values.get(flag);
    }

    Path path(FlagSpec flag) {
        return (Path) values.get(flag);
    }

    @SuppressWarnings("unchecked")
    List<String> list(FlagSpec flag) {
        return (List<String>) values.getOrDefault(flag, List.of());
    }

    /** Flag key to value, for tests and diagnostics. */
    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        values.forEach((flag, value) -> map.put(flag.key(), value));
        return map;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
