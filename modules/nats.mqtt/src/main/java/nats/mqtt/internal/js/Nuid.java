package nats.mqtt.internal.js;

import java.security.SecureRandom;

/**
 * Unique tokens as NATS's nuid makes them: 22 base-62 characters, a random 12-character prefix followed by a
 * 10-character sequence that starts at a random value and steps by a random increment; a new prefix when the
 * sequence runs out. Thread-safe.
 */
public final class Nuid {

    private static final char[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int PREFIX_LENGTH = 12;
    private static final int SEQUENCE_LENGTH = 10;
    private static final long MAX_SEQUENCE = 839299365868340224L; // 62^10
    private static final long MIN_INCREMENT = 33;
    private static final long MAX_INCREMENT = 333;

    private final SecureRandom random = new SecureRandom();
    private final char[] prefix = new char[PREFIX_LENGTH];
    private long sequence;
    private long increment;

    public Nuid() {
        reset();
    }

    /** The next token. */
    public synchronized String next() {
        sequence += increment;
        if (sequence >= MAX_SEQUENCE) {
            reset();
        }
        char[] out = new char[PREFIX_LENGTH + SEQUENCE_LENGTH];
        System.arraycopy(prefix, 0, out, 0, PREFIX_LENGTH);
        long s = sequence;
        for (int i = out.length - 1; i >= PREFIX_LENGTH; i--) {
            out[i] = DIGITS[(int) (s % 62)];
            s /= 62;
        }
        return new String(out);
    }

    private void reset() {
        for (int i = 0; i < PREFIX_LENGTH; i++) {
            prefix[i] = DIGITS[random.nextInt(62)];
        }
        sequence = Math.floorMod(random.nextLong(), MAX_SEQUENCE);
        increment = MIN_INCREMENT + Math.floorMod(random.nextLong(), MAX_INCREMENT - MIN_INCREMENT);
    }
}
