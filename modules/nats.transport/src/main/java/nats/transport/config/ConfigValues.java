package nats.transport.config;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reading values of the Go config format the way Go's option parser does: keys are case-insensitive, numbers
 * are {@code Long} or {@code Double}, sizes may carry units (already applied by the parser), durations are Go
 * duration strings or plain seconds. Errors use Go's texts.
 */
public final class ConfigValues {

    private ConfigValues() {
    }

    /** Go lower-cases keys with {@code strings.ToLower} before matching them. */
    public static String goLower(String key) {
        StringBuilder b = new StringBuilder(key.length());
        key.codePoints().forEach(cp -> b.appendCodePoint(Character.toLowerCase(cp)));
        return b.toString();
    }

    /** How Go's errors name a value's type: {@code the string "x"}, {@code the integer 3}, {@code a map}. */
    public static String typeName(Object value) {
        return switch (value) {
            case null -> "nothing";
            case String s -> "the string \"" + s + "\"";
            case Long l -> "the integer " + l;
            case Double d -> "the number " + d;
            case Boolean b -> "the boolean " + b;
            case Instant i -> "the date " + i;
            case List<?> l -> "an array";
            case Map<?, ?> m -> "a map";
            default -> value.getClass().getSimpleName();
        };
    }

    /** How Go's {@code %T} names a parsed config value, as Go's "wrong type" errors show it. */
    public static String goType(Object value) {
        return switch (value) {
            case null -> "<nil>";
            case String s -> "string";
            case Long l -> "int64";
            case Double d -> "float64";
            case Boolean b -> "bool";
            case List<?> l -> "[]interface {}";
            case Map<?, ?> m -> "map[string]interface {}";
            default -> value.getClass().getSimpleName();
        };
    }

    /** Go's refusal of a key a block does not know: {@code unknown field "x"}. */
    public static ConfigProblem unknownField(Map<String, Object> m, String key) {
        return new ConfigProblem(m, key, "unknown field \"" + key + "\"");
    }

    /** A boolean value. */
    public static boolean bool(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ConfigProblem(m, key, "expected a boolean for " + key + ", got " + typeName(v));
    }

    /** An integer value. */
    public static long integer(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof Long l) {
            return l;
        }
        throw new ConfigProblem(m, key, "expected an integer for " + key + ", got " + typeName(v));
    }

    /** A string value. */
    public static String string(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof String s) {
            return s;
        }
        throw new ConfigProblem(m, key, "expected a string for " + key + ", got " + typeName(v));
    }

    /** A nested block. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> block(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new ConfigProblem(m, key, "expected a map for " + key + ", got " + typeName(v));
    }

    /** A Go duration string ({@code "2m30s"}) or a number of seconds. */
    public static Duration duration(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof String s) {
            try {
                return GoDuration.parse(s);
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem(m, key, "error parsing " + key + ": " + e.getMessage());
            }
        }
        if (v instanceof Long l) {
            return Duration.ofSeconds(l);
        }
        if (v instanceof Double d) {
            return Duration.ofNanos(Math.round(d * 1e9));
        }
        throw new ConfigProblem(m, key, "expected a duration for " + key + ", got " + typeName(v));
    }
}
