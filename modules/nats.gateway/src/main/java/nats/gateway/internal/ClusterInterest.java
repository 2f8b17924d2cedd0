package nats.gateway.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import nats.api.links.LocalInterestListener;

/**
 * The interest of this server's whole cluster per account, as Go's gateways keep it (its {@code pasi} map):
 * local subscribers and the routes' interest, told by the kernel. Its changes go to every inbound gateway
 * connection (which announces them as its mode says), and it remembers the subscriptions of the last two
 * seconds, so a request whose reply subject a fresh subscription matches gets its reply routed back with the
 * {@code _GR_.} prefix (Go's rsubs).
 */
final class ClusterInterest implements LocalInterestListener {

    /** A subject, or a subject and queue group, with interest in the cluster. */
    record Entry(String subject, String queue) {
    }

    /** Receives the cluster's interest changes: first subscriber in (added) or last one out. */
    interface Audience {
        void interestChanged(String account, Entry entry, boolean added);
    }

    private final Map<String, Map<String, Entry>> accounts = new HashMap<>();
    private final RecentSubscriptions recent = new RecentSubscriptions();
    private final Audience audience;

    ClusterInterest(Audience audience) {
        this.audience = audience;
    }

    @Override
    public void interestChanged(String account, String subject, String queue, int weight) {
        if (weight > 0) {
            recent.added(account, subject);
        }
        String key = queue == null ? subject : subject + ' ' + queue;
        synchronized (this) {
            Map<String, Entry> entries = accounts.get(account);
            if (weight > 0) {
                if (entries == null) {
                    entries = new HashMap<>();
                    accounts.put(account, entries);
                }
                if (entries.containsKey(key)) {
                    return;
                }
                Entry e = new Entry(subject, queue);
                entries.put(key, e);
                audience.interestChanged(account, e, true);
            } else {
                Entry e = entries == null ? null : entries.remove(key);
                if (e == null) {
                    return;
                }
                if (entries.isEmpty()) {
                    accounts.remove(account);
                }
                audience.interestChanged(account, e, false);
            }
        }
    }

    /** Whether anything in the cluster is subscribed in {@code account} (else the answer to its messages is A-). */
    synchronized boolean hasInterest(String account) {
        Map<String, Entry> entries = accounts.get(account);
        return entries != null && !entries.isEmpty();
    }

    /** Calls {@code action} with the account's plain or queue entries, holding the lock so no change interleaves. */
    synchronized void forEach(String account, boolean queues, Consumer<Entry> action) {
        Map<String, Entry> entries = accounts.get(account);
        if (entries != null) {
            for (Entry e : entries.values()) {
                if ((e.queue() != null) == queues) {
                    action.accept(e);
                }
            }
        }
    }

    /** Runs {@code action} holding the lock, so it sees no change half made (a switch of mode). */
    synchronized void locked(Runnable action) {
        action.run();
    }

    /** The accounts with queue interest, and their queue entries. */
    synchronized Map<String, List<Entry>> queueEntries() {
        Map<String, List<Entry>> out = new HashMap<>();
        accounts.forEach((account, entries) -> entries.values().forEach(e -> {
            if (e.queue() != null) {
                out.computeIfAbsent(account, a -> new ArrayList<>()).add(e);
            }
        }));
        return out;
    }

    /** Forgets subscriptions older than two seconds. */
    void pruneRecent() {
        recent.prune();
    }

    /**
     * Go's shouldMapReplyForGatewaySend: whether a subscription of the last two seconds in {@code account}
     * matches {@code reply}. Costs a map look-up when nothing was subscribed lately.
     */
    boolean recentlySubscribed(String account, byte[] buf, int off, int len) {
        return recent.matches(account, buf, off, len);
    }
}
