package nats.server.internal.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import nats.server.options.Permissions;

/**
 * Go's dynamic response permissions ({@code allow_responses}): a client may publish to the reply subject
 * of a request it received, up to a number of responses within an expiry. Deliveries (on publishers'
 * threads) record replies; the client's own reader consumes them.
 */
public final class ReplyPermissions {

    /** Go prunes its reply map beyond this many entries. */
    private static final int PRUNE_ABOVE = 4096;

    private final Permissions.Responses limits;
    private final Map<String, long[]> replies = new ConcurrentHashMap<>();

    public ReplyPermissions(Permissions.Responses limits) {
        this.limits = limits;
    }

    public void requestDelivered(String reply) {
        replies.put(reply, new long[] {System.nanoTime(), 0});
        if (replies.size() > PRUNE_ABOVE) {
            prune();
        }
    }

    /** Counts a response to {@code subject}; false when it is no open request's reply. */
    public boolean allowResponse(String subject) {
        long[] entry = replies.get(subject);
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            entry[1]++;
            if (limits.maxMsgs() > 0 && entry[1] > limits.maxMsgs() || expired(entry)) {
                replies.remove(subject, entry);
                return false;
            }
        }
        return true;
    }

    private boolean expired(long[] entry) {
        return !limits.expires().isZero() && System.nanoTime() - entry[0] > limits.expires().toNanos();
    }

    private void prune() {
        replies.entrySet().removeIf(e -> (limits.maxMsgs() > 0 && e.getValue()[1] >= limits.maxMsgs())
                || expired(e.getValue()));
    }
}
