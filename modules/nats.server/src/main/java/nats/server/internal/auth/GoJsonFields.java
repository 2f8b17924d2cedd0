package nats.server.internal.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One parsed JSON object read the way Go's {@code encoding/json} fills a struct: a field takes the value of
 * the last key that equals its name case-insensitively (with Go's two non-ASCII folds, U+017F for 's' and
 * U+212A for 'k'); unknown keys are ignored; {@code null} leaves the field at its zero value; a value of the
 * wrong JSON type fails the whole decode. The parser behind it keeps one entry per exact key, so among exact
 * duplicates the last value wins but takes the first one's place: only a mix of exact and case-folded
 * duplicates of one key could pick differently from Go.
 */
final class GoJsonFields {

    /** What {@link #lookup} returns when no key names the field (a JSON null is a value). */
    private static final Object ABSENT = new Object();
    private static final GoJsonFields EMPTY = new GoJsonFields(Map.of(), "");

    private final Map<String, Object> members;
    private final String path;

    private GoJsonFields(Map<String, Object> members, String path) {
        this.members = members;
        this.path = path;
    }

    /** {@code value} as a struct at {@code path}; {@code null} reads as an empty object. */
    @SuppressWarnings("unchecked")
    static GoJsonFields of(Object value, String path) {
        if (value == null) {
            return EMPTY;
        }
        if (!(value instanceof Map)) {
            throw mismatch(value, path, "struct");
        }
        return new GoJsonFields((Map<String, Object>) value, path);
    }

    /** Whether any key names this field, even with a null value. */
    boolean has(String name) {
        return lookup(name) != ABSENT;
    }

    /** The field's raw value; {@code null} when absent or null. */
    Object value(String name) {
        Object value = lookup(name);
        return value == ABSENT ? null : value;
    }

    String path(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    String string(String name) {
        return stringValue(value(name), path(name));
    }

    long int64(String name, long zero) {
        Object value = value(name);
        return value == null ? zero : int64Value(value, path(name));
    }

    long int64(String name) {
        return int64(name, 0);
    }

    /** A Go unsigned field ({@code uint}, {@code uint8}) holding at most {@code max}. */
    long unsigned(String name, long max) {
        long value = int64(name);
        if (value < 0 || value > max) {
            throw new JwtException("json: cannot unmarshal number " + value + " into " + path(name) + " of type uint");
        }
        return value;
    }

    boolean bool(String name) {
        Object value = value(name);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw mismatch(value, path(name), "bool");
        }
        return b;
    }

    /** A {@code []string}; a null element reads as "" as in Go. */
    List<String> strings(String name) {
        List<String> strings = new ArrayList<>();
        for (Object element : array(name)) {
            strings.add(element == null ? "" : stringValue(element, path(name)));
        }
        return List.copyOf(strings);
    }

    GoJsonFields object(String name) {
        return of(value(name), path(name));
    }

    List<Object> array(String name) {
        return arrayValue(value(name), path(name));
    }

    /** A Go map field: keys are compared exactly, unlike struct fields. */
    @SuppressWarnings("unchecked")
    Map<String, Object> map(String name) {
        Object value = value(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw mismatch(value, path(name), "map");
        }
        return (Map<String, Object>) value;
    }

    static String stringValue(Object value, String path) {
        if (value == null) {
            return "";
        }
        if (!(value instanceof String s)) {
            throw mismatch(value, path, "string");
        }
        return s;
    }

    /** A Go slice; null reads as empty. */
    static List<Object> arrayValue(Object value, String path) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw mismatch(value, path, "slice");
        }
        return new ArrayList<>(list);
    }

    static long int64Value(Object value, String path) {
        if (value == null) {
            return 0;
        }
        if (!(value instanceof Long l)) {
            throw mismatch(value, path, "int64");
        }
        return l;
    }

    static JwtException mismatch(Object value, String path, String goType) {
        return new JwtException(
                "json: cannot unmarshal " + jsonKind(value) + " into Go value " + path + " of type " + goType);
    }

    private static String jsonKind(Object value) {
        return switch (value) {
            case String _ -> "string";
            case Boolean _ -> "bool";
            case Number n -> "number " + n;
            case List<?> _ -> "array";
            case Map<?, ?> _ -> "object";
            default -> "value";
        };
    }

    private Object lookup(String name) {
        Object found = ABSENT;
        for (Map.Entry<String, Object> member : members.entrySet()) {
            if (foldsTo(member.getKey(), name)) {
                found = member.getValue();
            }
        }
        return found;
    }

    /** Go's struct-field matching for the lowercase ASCII names used here. */
    private static boolean foldsTo(String key, String name) {
        if (key.length() != name.length()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (fold(key.charAt(i)) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static char fold(char c) {
        if (c >= 'A' && c <= 'Z') {
            return (char) (c + ('a' - 'A'));
        }
        return switch (c) {
            case '\u017F' -> 's';
            case '\u212A' -> 'k';
            default -> c;
        };
    }
}
