package nats.transport.json;

/**
 * Durations as the Go server's monitoring shows them: {@code time.Duration.String()} ("1.5ms", "1h2m0.5s") and
 * the monitor's own {@code myUptime} ("1d2h3m4s").
 */
public final class GoDurations {

    private GoDurations() {
    }

    /** The Go monitor's {@code myUptime}: whole seconds, shown as y/d/h/m/s with leading zero units left out. */
    public static String uptime(long nanos) {
        long tsecs = Math.max(0, nanos) / 1_000_000_000L;
        long tmins = tsecs / 60;
        long thrs = tmins / 60;
        long tdays = thrs / 24;
        long tyrs = tdays / 365;
        if (tyrs > 0) {
            return tyrs + "y" + tdays % 365 + "d" + thrs % 24 + "h" + tmins % 60 + "m" + tsecs % 60 + "s";
        }
        if (tdays > 0) {
            return tdays + "d" + thrs % 24 + "h" + tmins % 60 + "m" + tsecs % 60 + "s";
        }
        if (thrs > 0) {
            return thrs + "h" + tmins % 60 + "m" + tsecs % 60 + "s";
        }
        if (tmins > 0) {
            return tmins + "m" + tsecs % 60 + "s";
        }
        return tsecs + "s";
    }

    /** {@code time.Duration.String()}: "0s", "850ns", "1.5µs", "2.25ms", "3.000001s", "1h2m0.5s". */
    public static String duration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        boolean negative = nanos < 0;
        // Work on the magnitude as an unsigned value, as Go does, so Long.MIN_VALUE is handled.
        long u = negative ? -nanos : nanos;
        StringBuilder sb = new StringBuilder();
        if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
            String unit;
            int precision;
            if (u < 1_000L) {
                return (negative ? "-" : "") + u + "ns";
            } else if (u < 1_000_000L) {
                unit = "µs";
                precision = 3;
            } else {
                unit = "ms";
                precision = 6;
            }
            sb.append(fraction(u, precision)).append(unit);
        } else {
            String secs = fraction(Long.remainderUnsigned(u, 60_000_000_000L), 9);
            long mins = Long.divideUnsigned(u, 60_000_000_000L);
            if (mins > 0) {
                long hours = mins / 60;
                mins %= 60;
                if (hours > 0) {
                    sb.append(hours).append('h');
                }
                sb.append(mins).append('m');
            }
            sb.append(secs).append('s');
        }
        return (negative ? "-" : "") + sb;
    }

    /** {@code v / 10^precision} with the fraction's trailing zeros (and a bare point) removed. */
    private static String fraction(long v, int precision) {
        long scale = 1;
        for (int i = 0; i < precision; i++) {
            scale *= 10;
        }
        long whole = Long.divideUnsigned(v, scale);
        long frac = Long.remainderUnsigned(v, scale);
        if (frac == 0) {
            return Long.toUnsignedString(whole);
        }
        String digits = String.format("%0" + precision + "d", frac);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return Long.toUnsignedString(whole) + "." + digits.substring(0, end);
    }
}
