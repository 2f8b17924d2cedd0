package nats.cluster.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The leaf node origin cluster of the interest a route's peer announced with {@code LS+} (Go 2.9's
 * {@code sub.origin}). As in Go, the origin is the one the key was first announced with: a later {@code RS+} or
 * {@code LS+} for the same account, subject and queue group only updates its weight, and the origin leaves with
 * the interest. Every key a peer with {@code lnoc} announced is kept ("" for an {@code RS+}), so a later
 * {@code LS+} for it finds it known. A hub's leaf connection to that cluster asks for it, so it does not announce the interest back.
 */
final class InterestOrigins {

    private final ConcurrentHashMap<String, String> byKey = new ConcurrentHashMap<>();

    /**
     * Remembers {@code origin} ("" for an {@code RS+}) for the key unless it is known already (called before the
     * interest is recorded); returns whether the key is new.
     */
    boolean recordIfAbsent(String account, String subject, String queue, String origin) {
        return byKey.putIfAbsent(key(account, subject, queue), origin) == null;
    }

    /** Forgets the key's origin (called once its interest is removed). */
    void remove(String account, String subject, String queue) {
        if (!byKey.isEmpty()) {
            byKey.remove(key(account, subject, queue));
        }
    }

    /** The key's origin cluster, "" for none. */
    String origin(String account, String subject, String queue) {
        if (byKey.isEmpty()) {
            return "";
        }
        return byKey.getOrDefault(key(account, subject, queue), "");
    }

    private static String key(String account, String subject, String queue) {
        return queue == null ? account + ' ' + subject : account + ' ' + subject + ' ' + queue;
    }
}
