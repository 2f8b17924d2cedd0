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
        int at = prefix.length;
        at = put(out, at, delivered);
        out[at++] = '.';
        at = put(out, at, streamSequence);
        out[at++] = '.';
        at = put(out, at, consumerSequence);
        out[at++] = '.';
        at = put(out, at, timestamp);
        out[at++] = '.';
        put(out, at, pending);
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
        int tokens = 1;
        for (int i = offset; i < offset + length; i++) {
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
        long[] values = new long[3];
        int token = 0;
        int start = offset;
        for (int i = offset; i <= offset + length; i++) {
            if (i == offset + length || s[i] == '.') {
                int index = token - first;
                if (index >= 0 && index < 3) {
                    long v = 0;
                    if (i == start) {
                        return INVALID;
                    }
                    for (int k = start; k < i; k++) {
                        int d = s[k] - '0';
                        if (d < 0 || d > 9) {
                            return INVALID;
                        }
                        v = v * 10 + d;
                    }
                    values[index] = v;
                }
                token++;
                start = i + 1;
            }
        }
        return new AckSubject(values[1], values[2], values[0]);
    }
}
