package nats.server.internal.monitor;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Value formats of the Go server's monitoring JSON: times as {@code time.RFC3339Nano}, durations as Go's
 * {@code time.Duration.String()}, uptimes as the monitor's own {@code myUptime} ("1d2h3m4s"), floats as
 * {@code encoding/json} writes them, and the {@code strconv} parsers used for query parameters (with their
 * error texts, which the Go server returns verbatim in a 400 response).
 */
final class GoFormat {

    private GoFormat() {
    }

    /** {@code time.Time.MarshalJSON}: RFC 3339 with up to nine fraction digits, trailing zeros dropped. */
    static String time(Instant t) {
        return nats.transport.json.GoTime.format(t);
    }

    /** The Go monitor's {@code myUptime}: whole seconds, shown as y/d/h/m/s with leading zero units left out. */
    static String uptime(long nanos) {
        return nats.transport.json.GoDurations.uptime(nanos);
    }

    /** {@code time.Duration.String()}: "0s", "850ns", "1.5µs", "2.25ms", "3.000001s", "1h2m0.5s". */
    static String duration(long nanos) {
        return nats.transport.json.GoDurations.duration(nanos);
    }

    static String number(double f) {
        return nats.transport.json.GoNumbers.number(f);
    }

    /** A query parameter did not parse; the message is the Go server's response body (400 unless said). */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        private final int status;

        BadRequest(String message) {
            this(400, message);
        }

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** {@code strconv.ParseBool} as the monitor's {@code decodeBool} uses it: empty means false. */
    static boolean parseBool(String param, String value) throws BadRequest {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new BadRequest("Error decoding boolean for '" + param
                    + "': strconv.ParseBool: parsing " + goQuote(value) + ": invalid syntax");
        };
    }

    /** {@code strconv.Atoi} as the monitor's {@code decodeInt} uses it: empty means 0. */
    static int parseInt(String param, String value) throws BadRequest {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        String syntax = "Error decoding int for '" + param + "': strconv.Atoi: parsing " + goQuote(value) + ": ";
        if (!value.matches("[+-]?[0-9]+")) {
            throw new BadRequest(syntax + "invalid syntax");
        }
        try {
            // Go's int is 64 bits; larger values are out of range there too.
            long v = Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        } catch (NumberFormatException e) {
            throw new BadRequest(syntax + "value out of range");
        }
    }

    /** {@code strconv.ParseUint(s, 10, 64)} as the monitor's {@code decodeUint64} uses it: empty means 0. */
    static long parseUint64(String param, String value) throws BadRequest {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        String syntax = "Error decoding uint64 for '" + param + "': strconv.ParseUint: parsing " + goQuote(value)
                + ": ";
        if (!value.matches("[0-9]+")) {
            throw new BadRequest(syntax + "invalid syntax");
        }
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new BadRequest(syntax + "value out of range");
        }
    }

    /** Go's {@code %q}/{@code strconv.Quote} for the printable strings query parameters usually are. */
    private static String goQuote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
