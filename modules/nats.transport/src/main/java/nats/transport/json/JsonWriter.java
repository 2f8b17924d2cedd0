package nats.transport.json;

import java.util.Collection;
import java.util.Map;

/** Writes compact JSON (no spaces), the way the Go server's encoder does. */
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder(256);
    private boolean needComma;

    public JsonWriter beginObject() {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    public JsonWriter name(String name) {
        comma();
        quote(name);
        out.append(':');
        needComma = false;
        return this;
    }

    public JsonWriter field(String name, String value) {
        name(name);
        return value(value);
    }

    public JsonWriter field(String name, long value) {
        name(name);
        out.append(value);
        needComma = true;
        return this;
    }

    public JsonWriter field(String name, boolean value) {
        name(name);
        out.append(value);
        needComma = true;
        return this;
    }

    public JsonWriter value(Object value) {
        comma();
        // An instanceof chain, not a pattern switch: a type switch spins a class at run time that the AOT
        // cache does not hold, and INFO (written for every new client) comes through here.
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(s);
        } else if (value instanceof Number n) {
            out.append(n);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Map<?, ?> m) {
            out.append('{');
            needComma = false;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                name(String.valueOf(e.getKey()));
                value(e.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> c) {
            out.append('[');
            needComma = false;
            for (Object element : c) {
                value(element);
            }
            out.append(']');
        } else {
            quote(value.toString());
        }
        needComma = true;
        return this;
    }

    private void comma() {
        if (needComma) {
            out.append(',');
        }
    }

    private void quote(String s) {
        quote(out, s);
    }

    /**
     * Go's string encoding with HTML escaping on, shared by INFO and the monitoring endpoints; unpaired
     * surrogates become U+FFFD as invalid UTF-8 would.
     */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append("\\ufffd");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
