package nats.jetstream.internal.model;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.transport.json.Json;

/**
 * Reads members of a JSON object into Go-typed values the way {@code encoding/json} does: names match
 * case-insensitively, {@code null} leaves the zero value, and a value of the wrong type is refused with Go's
 * text ({@code json: cannot unmarshal string into Go struct field StreamConfig.max_msgs of type int64}),
 * answered as {@link JsErrors#INVALID_JSON}.
 */
public final class JsonIn {

    private final Map<String, Object> members;
    private final String struct;

    public JsonIn(Map<String, Object> members, String struct) {
        this.members = members;
        this.struct = struct;
    }

    /** Parses a request body; an empty body is an empty object. */
    public static Map<String, Object> parse(byte[] body) {
        if (body.length == 0) {
            return new LinkedHashMap<>();
        }
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return Json.parseObject(text);
        } catch (Json.JsonException e) {
            throw new ApiException(JsErrors.INVALID_JSON, goSyntaxError(text, e));
        }
    }

    private static String goSyntaxError(String text, Json.JsonException e) {
        String t = text.strip();
        if (!t.startsWith("{")) {
            return "json: cannot unmarshal " + jsonKind(t) + " into Go value of type map[string]interface {}";
        }
        return e.getMessage().startsWith("unexpected end") ? "unexpected end of JSON input"
                : "invalid character in JSON: " + e.getMessage();
    }

    private static String jsonKind(String t) {
        if (t.startsWith("[")) {
            return "array";
        }
        if (t.startsWith("\"")) {
            return "string";
        }
        if (t.equals("true") || t.equals("false")) {
            return "bool";
        }
        return "number";
    }

    public boolean has(String name) {
        return raw(name) != null;
    }

    /** The member's value (exact name first, then Go's case-insensitive match), or null. */
    public Object raw(String name) {
        Object v = members.get(name);
        if (v != null || members.containsKey(name)) {
            return v;
        }
        for (Map.Entry<String, Object> e : members.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    public String string(String name) {
        Object v = raw(name);
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        throw typeError(v, name, "string");
    }

    public boolean bool(String name) {
        Object v = raw(name);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw typeError(v, name, "bool");
    }

    public long int64(String name) {
        return integer(name, "int64", Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public int int32(String name) {
        return (int) integer(name, "int32", Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** Go's {@code int}, 64 bits on the servers that matter. */
    public long goInt(String name) {
        return integer(name, "int", Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A {@code uint64}: negative numbers are refused. */
    public long uint64(String name) {
        return integer(name, "uint64", 0, Long.MAX_VALUE);
    }

    private long integer(String name, String type, long min, long max) {
        Object v = raw(name);
        if (v == null) {
            return 0;
        }
        if (v instanceof Long l && l >= min && l <= max) {
            return l;
        }
        if (v instanceof Double d && d == Math.rint(d) && d >= min && d <= max && !(d == 0 && type.startsWith("u")
                && 1 / d < 0)) {
            return d.longValue();
        }
        throw typeError(v, name, type);
    }

    /** A {@code time.Duration}: nanoseconds as a JSON number. */
    public Duration duration(String name) {
        return Duration.ofNanos(integer(name, "time.Duration", Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /** A {@code *time.Time} in RFC 3339; empty when absent or null. */
    public Optional<Instant> time(String name) {
        Object v = raw(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            try {
                return Optional.of(java.time.OffsetDateTime.parse(s).toInstant());
            } catch (DateTimeParseException e) {
                throw new ApiException(JsErrors.INVALID_JSON, "parsing time \"" + s + "\" as \"2006-01-02T15:04:05Z07:00\": "
                        + "cannot parse \"" + s + "\" as \"2006\"");
            }
        }
        throw typeError(v, name, "time.Time");
    }

    public List<String> strings(String name) {
        Object v = raw(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw typeError(v, name, "[]string");
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw typeError(item, name, "string");
            }
            out.add(s);
        }
        return out;
    }

    public List<Duration> durations(String name) {
        Object v = raw(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw typeError(v, name, "[]time.Duration");
        }
        List<Duration> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (item instanceof Long l) {
                out.add(Duration.ofNanos(l));
            } else {
                throw typeError(item, name, "time.Duration");
            }
        }
        return out;
    }

    /** A nested object, for a pointer-to-struct member; empty when absent or null. */
    @SuppressWarnings("unchecked")
    public Optional<JsonIn> object(String name, String structName) {
        Object v = raw(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map<?, ?> m) {
            return Optional.of(new JsonIn((Map<String, Object>) m, structName));
        }
        throw typeError(v, name, structName);
    }

    /** A list of nested objects. */
    @SuppressWarnings("unchecked")
    public List<JsonIn> objects(String name, String structName) {
        Object v = raw(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw typeError(v, name, "[]*" + structName);
        }
        List<JsonIn> out = new ArrayList<>();
        for (Object item : list) {
            if (item == null) {
                continue;
            }
            if (!(item instanceof Map<?, ?> m)) {
                throw typeError(item, name, structName);
            }
            out.add(new JsonIn((Map<String, Object>) m, structName));
        }
        return out;
    }

    /** A {@code map[string]string}. */
    public Map<String, String> stringMap(String name) {
        Object v = raw(name);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw typeError(v, name, "map[string]string");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw typeError(e.getValue(), name, "string");
            }
            out.put(String.valueOf(e.getKey()), s);
        }
        return out;
    }

    /** An enum-like string member: {@code parser} maps a known name, anything else is Go's unmarshal error. */
    public <T> T named(String name, T absent, java.util.function.Function<String, T> parser) {
        Object v = raw(name);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof String s)) {
            throw typeError(v, name, "string");
        }
        T value = parser.apply(s);
        if (value == null) {
            throw new ApiException(JsErrors.INVALID_JSON, "can not unmarshal \"" + s + "\"");
        }
        return value;
    }

    private ApiException typeError(Object value, String field, String goType) {
        String kind = switch (value) {
            case null -> "null";
            case String s -> "string";
            case Boolean b -> "bool";
            case Map<?, ?> m -> "object";
            case List<?> l -> "array";
            default -> "number " + value;
        };
        if (kind.startsWith("number ") && value instanceof Double d) {
            kind = "number " + nats.transport.json.GoNumbers.number(d);
        }
        return new ApiException(JsErrors.INVALID_JSON, "json: cannot unmarshal " + kind + " into Go struct field "
                + struct + "." + field + " of type " + goType);
    }
}
