package nats.mqtt.internal.js;

/**
 * What a JetStream ack subject says about a delivery ({@code $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.
 * <dseq>.<ts>.<pending>}), read from bytes as Go's ackReplyInfo reads it: anything else reads as zeros.
 */
public final class AckReply {

    private AckReply() {
    }

    /** The stream sequence, 0 when the subject is not an ack subject. */
    public static long streamSequence(byte[] s, int offset, int length) {
        return token(s, offset, length, 5);
    }

    /** How many times the message was delivered, 0 when the subject is not an ack subject. */
    public static long deliveries(byte[] s, int offset, int length) {
        return token(s, offset, length, 4);
    }

    /**
     * Both numbers at once: {@code deliveries << 48 | streamSequence} (stream sequences below 2^48), 0 when the
     * subject is not an ack subject; the delivery path reads the subject once.
     */
    public static long deliveriesAndSequence(byte[] s, int offset, int length) {
        if (!isAck(s, offset, length)) {
            return 0;
        }
        int token = 0;
        int start = offset;
        long deliveries = 0;
        long sequence = 0;
        int end = offset + length;
        for (int i = offset; i <= end; i++) {
            if (i == end || s[i] == '.') {
                if (token == 4 || token == 5) {
                    long v = 0;
                    for (int k = start; k < i; k++) {
                        int d = s[k] - '0';
                        if (d < 0 || d > 9) {
                            return 0;
                        }
                        v = v * 10 + d;
                    }
                    if (token == 4) {
                        deliveries = v;
                    } else {
                        sequence = v;
                    }
                }
                token++;
                start = i + 1;
            }
        }
        return token == 9 ? (Math.min(deliveries, 0xFFFF) << 48) | (sequence & 0xFFFFFFFFFFFFL) : 0;
    }

    /** Whether the bytes start with {@code $JS.ACK.}. */
    public static boolean isAck(byte[] s, int offset, int length) {
        return length > 8 && s[offset] == '$' && s[offset + 1] == 'J' && s[offset + 2] == 'S' && s[offset + 3] == '.'
                && s[offset + 4] == 'A' && s[offset + 5] == 'C' && s[offset + 6] == 'K' && s[offset + 7] == '.';
    }

    private static long token(byte[] s, int offset, int length, int wanted) {
        if (!isAck(s, offset, length)) {
            return 0;
        }
        int tokens = 1;
        for (int i = offset; i < offset + length; i++) {
            if (s[i] == '.') {
                tokens++;
            }
        }
        if (tokens != 9) {
            return 0;
        }
        int token = 0;
        int start = offset;
        for (int i = offset; i <= offset + length; i++) {
            if (i == offset + length || s[i] == '.') {
                if (token == wanted) {
                    long v = 0;
                    for (int k = start; k < i; k++) {
                        int d = s[k] - '0';
                        if (d < 0 || d > 9) {
                            return 0;
                        }
                        v = v * 10 + d;
                    }
                    return v;
                }
                token++;
                start = i + 1;
            }
        }
        return 0;
    }
}
