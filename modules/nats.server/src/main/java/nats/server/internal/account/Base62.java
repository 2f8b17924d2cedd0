package nats.server.internal.account;

import java.util.Random;

/** Tokens in the 62 characters Go's servers use for reply prefixes and event ids (digits, A–Z, a–z). */
final class Base62 {

    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Base62() {
    }

    /** {@code length} random characters. */
    static String random(Random random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = DIGITS.charAt(random.nextInt(DIGITS.length()));
        }
        return new String(chars);
    }

    /** The low digits of {@code value} (unsigned), most significant first, padded to {@code length}. */
    static String digits(long value, int length) {
        char[] chars = new char[length];
        long v = value;
        for (int i = length - 1; i >= 0; i--) {
            chars[i] = DIGITS.charAt((int) Long.remainderUnsigned(v, 62));
            v = Long.divideUnsigned(v, 62);
        }
        return new String(chars);
    }
}
