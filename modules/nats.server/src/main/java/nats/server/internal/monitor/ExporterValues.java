package nats.server.internal.monitor;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * How the NATS Prometheus exporter turns the JSON of the monitoring endpoints into numbers: times as epoch
 * milliseconds (-1 when unreadable), Go durations ({@code 1.5ms}) and the server's uptime form
 * ({@code 1d2h3m4s}), metric names built as client_golang's {@code BuildFQName}.
 */
final class ExporterValues {

    private ExporterValues() {
    }

    /** client_golang's {@code BuildFQName}: the non-empty parts joined with underscores. */
    static String fqName(String namespace, String subsystem, String name) {
        StringBuilder sb = new StringBuilder(namespace.length() + subsystem.length() + name.length() + 2);
        for (String part : new String[] {namespace, subsystem, name}) {
            if (!part.isEmpty()) {
                if (!sb.isEmpty()) {
                    sb.append('_');
                }
                sb.append(part);
            }
        }
        return sb.toString();
    }

    /** An RFC 3339 time as epoch milliseconds, or -1 as the exporter's {@code parseDateString} gives. */
    static double epochMillis(Object value) {
        if (!(value instanceof String s)) {
            return -1;
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    /** Whether Go's {@code time.Parse(time.RFC3339Nano, s)} would accept the text. */
    static boolean isTime(String s) {
        if (s.length() < 20 || s.charAt(4) != '-' || s.charAt(10) != 'T') {
            return false;
        }
        try {
            Instant.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Go's {@code time.ParseDuration} in nanoseconds, or NaN when it would fail. */
    static double goDurationNanos(String s) {
        if (s == null || s.isEmpty()) {
            return Double.NaN;
        }
        int i = 0;
        double sign = 1;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            sign = s.charAt(0) == '-' ? -1 : 1;
            i++;
        }
        if (s.substring(i).equals("0")) {
            return 0;
        }
        double total = 0;
        boolean any = false;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                return Double.NaN;
            }
            double number;
            try {
                number = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            double unit = switch (s.substring(unitStart, i)) {
                case "ns" -> 1;
                case "us", "\u00b5s", "\u03bcs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                default -> Double.NaN;
            };
            if (Double.isNaN(unit)) {
                return Double.NaN;
            }
            total += number * unit;
            any = true;
        }
        return any ? sign * total : Double.NaN;
    }

    /**
     * The exporter's {@code parseDuration} of the server's uptime form ({@code 2y3d4h5m6s}; a year is 365 days),
     * in milliseconds, or -1 when it cannot read it.
     */
    static double uptimeMillis(Object value) {
        if (!(value instanceof String s)) {
            return -1;
        }
        long hours = 0;
        int rest = 0;
        int mark = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 'y' || c == 'd') {
                try {
                    long n = Long.parseLong(s.substring(mark, i));
                    hours += c == 'y' ? n * 365 * 24 : n * 24;
                } catch (NumberFormatException e) {
                    return -1;
                }
                mark = i + 1;
                if (c == 'd') {
                    rest = i + 1;
                    break;
                }
            } else if (c == 'h' || c == 'm' || c == 's') {
                break;
            }
        }
        double nanos = goDurationNanos(hours + "h" + s.substring(rest));
        return Double.isNaN(nanos) ? -1 : Math.floor(nanos / 1e6);
    }

    /** A JSON number as a double; 0 for anything else (the exporter's zero value). */
    static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    /** A JSON boolean as 1 or 0. */
    static double bool(Object value) {
        return Boolean.TRUE.equals(value) ? 1 : 0;
    }

    /** A JSON string, or "" (the exporter's zero value). */
    static String text(Object value) {
        return value instanceof String s ? s : "";
    }

    /** Go's {@code fmt.Sprintf("%v")} of a JSON number or string, as the exporter writes a cid or port label. */
    static String plain(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return value.toString();
        }
        if (value instanceof Number n) {
            StringBuilder sb = new StringBuilder();
            PrometheusText.appendGoFloat(sb, n.doubleValue());
            return sb.toString();
        }
        return value == null ? "" : value.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
