package nats.server.internal.routing;

/**
 * Go's encoding of a JetStream delivery between servers: a message matched on one subject (a consumer's deliver
 * subject, a pull request's inbox) but shown to the client with its own travels with the reply
 * {@code <reply>@<shown subject>}; the receiving server matches on the frame's subject and, for a reply starting
 * with {@code $JS.ACK.}, shows the part after the last {@code @} and gives the client the reply before it
 * (client.go processMsgResults, {@code remapped}).
 */
public final class JetStreamReplies {

    private static final byte[] ACK_PREFIX = {'$', 'J', 'S', '.', 'A', 'C', 'K', '.'};

    private JetStreamReplies() {
    }

    /** {@code reply@shownSubject}. */
    static byte[] encode(RoutedMessage m) {
        byte[] shown = m.shownSubject;
        byte[] out = new byte[m.replyLength + 1 + shown.length];
        System.arraycopy(m.reply, m.replyOffset, out, 0, m.replyLength);
        out[m.replyLength] = '@';
        System.arraycopy(shown, 0, out, m.replyLength + 1, shown.length);
        return out;
    }

    /**
     * Takes the {@code @<subject>} suffix off a {@code $JS.ACK.} reply a link brought: the message is then shown with
     * that subject. Leaves other messages as they are.
     */
    public static void decode(RoutedMessage m) {
        int len = m.replyLength;
        if (len <= ACK_PREFIX.length) {
            return;
        }
        byte[] r = m.reply;
        int off = m.replyOffset;
        for (int i = 0; i < ACK_PREFIX.length; i++) {
            if (r[off + i] != ACK_PREFIX[i]) {
                return;
            }
        }
        for (int i = off + len - 1; i > off; i--) {
            if (r[i] == '@') {
                if (i == off + len - 1) {
                    return;
                }
                m.shownSubject = java.util.Arrays.copyOfRange(r, i + 1, off + len);
                m.replyLength = i - off;
                return;
            }
        }
    }
}
