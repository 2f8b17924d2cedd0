package nats.server.internal.routing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Go's gateway reply mapping for one client connection, or for an account's in-process clients (its
 * {@code gwReplyMapping}, on the client or the account): a request that crossed a
 * gateway carries the reply {@code _GR_.<cluster hash>.<server hash>.<reply>}; the client is shown {@code <reply>}
 * alone, and for two seconds (Go's recent-subscription expiry) a publish to {@code <reply>} is sent as the
 * prefixed subject, so the answer goes straight back to the requester's cluster and server. The prefix is a
 * protocol constant, so the kernel applies it whether or not a gateway plugin runs, as Go does for every client.
 */
public final class GatewayReplies {

    /** {@code _GR_.} + 6-character cluster hash + {@code .} + 6-character server hash + {@code .} (Go's gwSubjectOffset). */
    public static final int PREFIX_LENGTH = 19;
    private static final long TTL_NANOS = 2_000_000_000L;
    /** Expired entries are swept when the map holds more than this many (a busy responder answers within the TTL). */
    private static final int SWEEP_ABOVE = 256;

    private record Routed(byte[] subject, long expiresAt) {
    }

    private final Map<String, Routed> mapping = new HashMap<>();
    /** Read without the lock on every publish: a client that never answered a routed request pays nothing more. */
    private volatile boolean active;

    /** The length of the gateway prefix to hide from a client: {@link #PREFIX_LENGTH}, or 0 for a plain reply. */
    public static int prefixLength(byte[] reply, int off, int len) {
        return len > PREFIX_LENGTH && startsWithPrefix(reply, off) ? PREFIX_LENGTH : 0;
    }

    /** Whether a subject starts with {@code _GR_.}, a prefix clients may not publish to (Go's hasGWRoutedReplyPrefix). */
    public static boolean isReserved(byte[] subject, int off, int len) {
        return len > 5 && startsWithPrefix(subject, off);
    }

    private static boolean startsWithPrefix(byte[] b, int off) {
        return b[off] == '_' && b[off + 1] == 'G' && b[off + 2] == 'R' && b[off + 3] == '_' && b[off + 4] == '.';
    }

    /** Remembers that {@code reply} (with its prefix) was shown to the client without it. */
    public void track(byte[] reply, int off, int len) {
        String shown = new String(reply, off + PREFIX_LENGTH, len - PREFIX_LENGTH, StandardCharsets.ISO_8859_1);
        byte[] routed = new byte[len];
        System.arraycopy(reply, off, routed, 0, len);
        long now = System.nanoTime();
        synchronized (this) {
            // A later request with the same reply from another cluster wins, as in Go.
            mapping.put(shown, new Routed(routed, now + TTL_NANOS));
            if (mapping.size() > SWEEP_ABOVE) {
                sweep(now);
            }
            active = true;
        }
    }

    /**
     * The reply an internal subscriber is shown for {@code m}: without a {@code _GR_.} prefix, which is then
     * remembered here; empty without a reply.
     */
    public String shownReply(RoutedMessage m) {
        if (!m.hasReply()) {
            return "";
        }
        int skip = prefixLength(m.reply, m.replyOffset, m.replyLength);
        if (skip > 0) {
            track(m.reply, m.replyOffset, m.replyLength);
        }
        return new String(m.reply, m.replyOffset + skip, m.replyLength - skip, StandardCharsets.ISO_8859_1);
    }

    /** The prefixed subject a publish to {@code subject} stands for, or null when it maps to none (or expired). */
    public byte[] routedSubject(byte[] subject, int off, int len) {
        if (!active) {
            return null;
        }
        String key = new String(subject, off, len, StandardCharsets.ISO_8859_1);
        long now = System.nanoTime();
        synchronized (this) {
            Routed r = mapping.get(key);
            if (r == null) {
                return null;
            }
            if (now - r.expiresAt >= 0) {
                sweep(now);
                return null;
            }
            return r.subject;
        }
    }

    private void sweep(long now) {
        for (Iterator<Routed> it = mapping.values().iterator(); it.hasNext(); ) {
            if (now - it.next().expiresAt >= 0) {
                it.remove();
            }
        }
        active = !mapping.isEmpty();
    }
}
