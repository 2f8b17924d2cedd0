package nats.server.internal.account;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Unique ids for server events, shaped like Go's nuid values (22 base-62 characters). */
final class EventIds {

    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String PREFIX = randomPrefix();
    private static final AtomicLong SEQUENCE = new AtomicLong(new SecureRandom().nextLong() >>> 8);

    private EventIds() {
    }

    static String next() {
        long seq = SEQUENCE.incrementAndGet();
        char[] tail = new char[10];
        for (int i = tail.length - 1; i >= 0; i--) {
            tail[i] = DIGITS.charAt((int) Long.remainderUnsigned(seq, 62));
            seq = Long.divideUnsigned(seq, 62);
        }
        return PREFIX + new String(tail);
    }

    private static String randomPrefix() {
        SecureRandom random = new SecureRandom();
        char[] p = new char[12];
        for (int i = 0; i < p.length; i++) {
            p[i] = DIGITS.charAt(random.nextInt(DIGITS.length()));
        }
        return new String(p);
    }
}
