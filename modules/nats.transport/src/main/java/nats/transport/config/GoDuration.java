package nats.transport.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/** Go's {@code time.ParseDuration}: "300ms", "-1.5h", "2h45m"; units ns, us (µs, μs), ms, s, m, h. */
public final class GoDuration {

    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MIN_NANOS = BigInteger.valueOf(Long.MIN_VALUE);

    private GoDuration() {
    }

    /** Parses {@code text}; the message of the exception thrown for bad input is Go's. */
    public static Duration parse(String text) {
        String s = text;
        int i = 0;
        int n = s.length();
        boolean negative = false;
        if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        if (s.substring(i).equals("0")) {
            return Duration.ZERO;
        }
        if (i == n) {
            throw invalid(text);
        }
        BigDecimal total = BigDecimal.ZERO;
        while (i < n) {
            char c = s.charAt(i);
            if (c != '.' && !isDigit(c)) {
                throw invalid(text);
            }
            int intStart = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            String whole = s.substring(intStart, i);
            String fraction = "";
            boolean post = false;
            if (i < n && s.charAt(i) == '.') {
                i++;
                int fracStart = i;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
                fraction = s.substring(fracStart, i);
                post = i > fracStart;
            }
            if (whole.isEmpty() && !post) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < n && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
                i++;
            }
            if (unitStart == i) {
                throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
            }
            String unit = s.substring(unitStart, i);
            long nanosPerUnit = switch (unit) {
                case "ns" -> 1L;
                case "us", "\u00b5s", "\u03bcs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalArgumentException(
                        "time: unknown unit " + quote(unit) + " in duration " + quote(text));
            };
            BigDecimal value = new BigDecimal((whole.isEmpty() ? "0" : whole) + "." + fraction + "0");
            total = total.add(value.multiply(BigDecimal.valueOf(nanosPerUnit)));
            if (total.toBigInteger().compareTo(MAX_NANOS) > 0) {
                throw invalid(text);
            }
        }
        BigInteger nanos = total.toBigInteger();
        if (negative) {
            nanos = nanos.negate();
        }
        if (nanos.compareTo(MAX_NANOS) > 0 || nanos.compareTo(MIN_NANOS) < 0) {
            throw invalid(text);
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration " + quote(text));
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
