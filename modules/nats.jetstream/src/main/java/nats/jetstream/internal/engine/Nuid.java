package nats.jetstream.internal.engine;

import java.util.concurrent.ThreadLocalRandom;

/** Random names and ids as the Go server makes them: consumer names (8 characters), event ids (22, NUID-like). */
public final class Nuid {

    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Nuid() {
    }

    /** A random 8-character consumer name ({@code createConsumerName}: base62 of a random number). */
    static String consumerName() {
        return random(8);
    }

    /** A 22-character id for advisories ({@code nuid.Next()}). */
    public static String next() {
        return random(22);
    }

    private static String random(int length) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = DIGITS.charAt(r.nextInt(DIGITS.length()));
        }
        return new String(out);
    }

}
