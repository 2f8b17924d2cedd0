package nats.jetstream.internal.engine;

import java.math.BigDecimal;
import java.time.Duration;

/** {@code time.Duration.String()}: {@code 2m0s}, {@code 1.5s}, {@code 300ms}, {@code 0s}. */
public final class GoDurations {

    private GoDurations() {
    }

    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        boolean negative = nanos < 0;
        long n = Math.abs(nanos);
        String text;
        if (n < 1_000) {
            text = n + "ns";
        } else if (n < 1_000_000) {
            text = trim(BigDecimal.valueOf(n, 3)) + "µs";
        } else if (n < 1_000_000_000) {
            text = trim(BigDecimal.valueOf(n, 6)) + "ms";
        } else {
            long hours = n / 3_600_000_000_000L;
            long rest = n % 3_600_000_000_000L;
            long minutes = rest / 60_000_000_000L;
            long secNanos = rest % 60_000_000_000L;
            StringBuilder b = new StringBuilder();
            if (hours > 0) {
                b.append(hours).append('h');
            }
            if (hours > 0 || minutes > 0) {
                b.append(minutes).append('m');
            }
            b.append(trim(BigDecimal.valueOf(secNanos, 9))).append('s');
            text = b.toString();
        }
        return negative ? "-" + text : text;
    }

    private static String trim(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
    }
}
