package nats.gateway.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import nats.transport.protocol.Subjects;

/**
 * The subscriptions of the last two seconds per account (Go's rsubs): a request whose reply subject one of them
 * matches crosses a gateway with its reply prefixed by {@code _GR_.}, since the remote may not know that interest
 * yet. Literal subjects are found by a map look-up (a requester making an inbox per request adds one per
 * request), wildcards by a scan of the few there are.
 */
final class RecentSubscriptions {

    /** Go's defaultGatewayRecentSubExpiration. */
    static final long TTL_NANOS = 2_000_000_000L;

    /** One account's recent subscriptions; guarded by itself. */
    private static final class Recent {
        final Map<String, Long> literal = new HashMap<>();
        final List<String> wildcard = new ArrayList<>();
        final List<Long> wildcardExpiry = new ArrayList<>();

        boolean isEmpty() {
            return literal.isEmpty() && wildcard.isEmpty();
        }

        void prune(long now) {
            literal.values().removeIf(expires -> now - expires > 0);
            for (int i = wildcard.size() - 1; i >= 0; i--) {
                if (now - wildcardExpiry.get(i) > 0) {
                    wildcard.remove(i);
                    wildcardExpiry.remove(i);
                }
            }
        }
    }

    private final Map<String, Recent> accounts = new ConcurrentHashMap<>();

    /** A subscription was made in {@code account}. */
    void added(String account, String subject) {
        long expires = System.nanoTime() + TTL_NANOS;
        // Changes happen inside the map's compute (its bin lock, then the entry's); readers lock the entry only.
        accounts.compute(account, (a, r) -> {
            Recent recent = r == null ? new Recent() : r;
            synchronized (recent) {
                if (subject.indexOf('*') >= 0 || subject.indexOf('>') >= 0) {
                    recent.wildcard.add(subject);
                    recent.wildcardExpiry.add(expires);
                } else {
                    recent.literal.put(subject, expires);
                }
            }
            return recent;
        });
    }

    /** Whether a subscription of the last two seconds in {@code account} matches the subject in {@code buf}. */
    boolean matches(String account, byte[] buf, int off, int len) {
        Recent recent = accounts.get(account);
        if (recent == null) {
            return false;
        }
        String subject = new String(buf, off, len, StandardCharsets.UTF_8);
        long now = System.nanoTime();
        synchronized (recent) {
            Long expires = recent.literal.get(subject);
            if (expires != null && now - expires <= 0) {
                return true;
            }
            for (int i = 0; i < recent.wildcard.size(); i++) {
                if (now - recent.wildcardExpiry.get(i) <= 0 && Subjects.matches(subject, recent.wildcard.get(i))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Forgets what expired (a timer calls it every second). */
    void prune() {
        long now = System.nanoTime();
        for (String account : accounts.keySet()) {
            accounts.computeIfPresent(account, (a, recent) -> {
                synchronized (recent) {
                    recent.prune(now);
                    return recent.isEmpty() ? null : recent;
                }
            });
        }
    }
}
