package nats.jetstream.internal.engine;

/**
 * The reply subject of a delivered message, {@code $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>}
 * (and the newer form with domain and account hash in front and a random token at the end), parsed from bytes
 * without allocating.
 *
 * @param streamSequence   the message's stream sequence, 0 when the subject is not an ack subject
 * @param consumerSequence its delivery (consumer) sequence
 * @param deliveries       how many times it had been delivered
 */
record AckSubject(long streamSequence, long consumerSequence, long deliveries) {

    static final AckSubject INVALID = new AckSubject(0, 0, 0);

    /**
     * The reply subject of a delivery, {@code prefix} ({@code $JS.ACK.<stream>.<consumer>.}) followed by the five
     * numbers, written straight into bytes (no String per message).
     */
    static byte[] build(byte[] prefix, long delivered, long streamSequence, long consumerSequence, long timestamp,
                        long pending) {
        int length = prefix.length + digits(delivered) + digits(streamSequence) + digits(consumerSequence)
                + digits(timestamp) + digits(pending) + 4;
        byte[] out = new byte[length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        // Written from the end, one call site for all five: the JIT compiles put once into each delivery, not
        // five times over.
        int end = length;
        for (int k = 4; k >= 0; k--) {
            long v = switch (k) {
                case 0 -> delivered;
                case 1 -> streamSequence;
                case 2 -> consumerSequence;
                case 3 -> timestamp;
                default -> pending;
            };
            int start = end - digits(v);
            put(out, start, v);
            if (k > 0) {
                out[--start] = '.';
            }
            end = start;
        }
        return out;
    }

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private static int digits(long v) {
        if (v < 0) {
            return Long.toString(v).length();
        }
        int n = 1;
        while (n < POWERS_OF_TEN.length && v >= POWERS_OF_TEN[n]) {
            n++;
        }
        return n;
    }

    /** Writes {@code v} in decimal at {@code at}, two digits per step; returns the index after it. */
    private static int put(byte[] out, int at, long v) {
        if (v < 0) {
            // Never for real sequences; kept exact anyway.
            byte[] text = Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, out, at, text.length);
            return at + text.length;
        }
        int end = at + digits(v);
        int i = end;
        while (v >= 100) {
            int r = (int) (v % 100);
            v /= 100;
            out[--i] = (byte) ('0' + r % 10);
            out[--i] = (byte) ('0' + r / 10);
        }
        if (v >= 10) {
            out[--i] = (byte) ('0' + v % 10);
            out[--i] = (byte) ('0' + v / 10);
        } else {
            out[--i] = (byte) ('0' + v);
        }
        return end;
    }

    static AckSubject parse(byte[] s, int offset, int length) {
        int end = offset + length;
        int tokens = 1;
        for (int i = offset; i < end; i++) {
            if (s[i] == '.') {
                tokens++;
            }
        }
        int first;
        if (tokens == 9) {
            first = 4;
        } else if (tokens >= 11) {
            first = 6;
        } else {
            return INVALID;
        }
        // Skip to the first of the three numbers, then read them in place (no array per ack).
        int at = offset;
        for (int skipped = 0; skipped < first; at++) {
            if (s[at] == '.') {
                skipped++;
            }
        }
        long deliveries = number(s, at, end);
        at = nextToken(s, at, end);
        long streamSequence = number(s, at, end);
        at = nextToken(s, at, end);
        long consumerSequence = number(s, at, end);
        if (deliveries < 0 || streamSequence < 0 || consumerSequence < 0) {
            return INVALID;
        }
        return new AckSubject(streamSequence, consumerSequence, deliveries);
    }

    /** The decimal token at {@code at} (up to the next dot or {@code end}); -1 if empty or not all digits. */
    private static long number(byte[] s, int at, int end) {
        long v = 0;
        int i = at;
        for (; i < end && s[i] != '.'; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return i == at ? -1 : v;
    }

    /** The index after the dot that ends the token at {@code at}. */
    private static int nextToken(byte[] s, int at, int end) {
        int i = at;
        while (i < end && s[i] != '.') {
            i++;
        }
        return i + 1;
    }
}
