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
