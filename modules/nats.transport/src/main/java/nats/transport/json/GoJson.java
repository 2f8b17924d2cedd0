package nats.transport.json;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;



/**
 * Serialises a tree of {@link Map}s (kept in insertion order, which is the Go struct's field order),
 * {@link Collection}s, strings, integers, {@link Double}s, booleans, {@link Instant}s and {@code null} the way
 * Go's {@code encoding/json} does: {@code json.MarshalIndent(v, "", "  ")} for most endpoints, compact
 * {@code json.Marshal} for {@code /healthz}. That means empty objects and arrays as {@code {}} and
 * {@code []}, {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped as {@code \u003c} etc., floats in
 * Go's shortest form ({@code 2}, not {@code 2.0}) and times in RFC 3339 with nanoseconds.
 */
public final class GoJson {

    private final StringBuilder out = new StringBuilder(1024);
    private final boolean indent;

    private GoJson(boolean indent) {
        this.indent = indent;
    }

    /** {@code json.MarshalIndent(value, "", "  ")}. */
    public static String indented(Object value) {
        GoJson json = new GoJson(true);
        json.value(value, 0);
        return json.out.toString();
    }

    /** {@code json.Marshal(value)}. */
    public static String compact(Object value) {
        GoJson json = new GoJson(false);
        json.value(value, 0);
        return json.out.toString();
    }

    /**
     * An {@code instanceof} chain rather than a pattern {@code switch}: a type switch spins a hidden class and its
     * method handles at run time on first use (the AOT cache does not keep them), and the first JetStream API call
     * of every fresh server paid for that.
     */
    private void value(Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(s);
        } else if (value instanceof Double d) {
            out.append(GoNumbers.number(d));
        } else if (value instanceof java.math.BigInteger b) {
            // Go's uint64 values above Long.MAX_VALUE (e.g. an unlimited reservation shown as 2^64-1).
            out.append(b);
        } else if (value instanceof nats.api.monitoring.RawJson raw) {
            out.append(raw.json());
        } else if (value instanceof Float f) {
            out.append(GoNumbers.number(f));
        } else if (value instanceof Number n) {
            out.append(n.longValue());
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Instant t) {
            quote(GoTime.format(t));
        } else if (value instanceof Map<?, ?> m) {
            object(m, depth);
        } else if (value instanceof Collection<?> c) {
            array(c, depth);
        } else {
            quote(value.toString());
        }
    }

    private void object(Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth + 1);
            quote(String.valueOf(e.getKey()));
            out.append(indent ? ": " : ":");
            value(e.getValue(), depth + 1);
        }
        newline(depth);
        out.append('}');
    }

    private void array(Collection<?> items, int depth) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth + 1);
            value(item, depth + 1);
        }
        newline(depth);
        out.append(']');
    }

    private void newline(int depth) {
        if (indent) {
            out.append('\n');
            for (int i = 0; i < depth; i++) {
                out.append("  ");
            }
        }
    }

    private void quote(String s) {
        JsonWriter.quote(out, s);
    }
}
