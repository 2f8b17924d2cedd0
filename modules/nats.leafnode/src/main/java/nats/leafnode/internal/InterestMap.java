package nats.leafnode.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import nats.api.links.InterestListener;
import nats.api.links.Link;

/**
 * What one leaf connection announced to the other side (Go's {@code smap}): a count per subject, and per subject
 * and queue group, fed by every interest change in the bound account. Go's audience rules apply: a spoke
 * announces only this server's own subscribers and the leaf nodes it is the hub of; a hub side announces
 * everything but the connection's own interest and that of leaves of the same remote cluster (on this server, or
 * behind a route that named that origin cluster). A plain subject
 * is announced when its count leaves 0 and withdrawn when it returns there; a queue group with every change
 * of its count (the other side's weight).
 */
final class InterestMap implements InterestListener {

    private final LeafConnection connection;
    private final Map<String, Integer> counts = new HashMap<>();

    InterestMap(LeafConnection connection) {
        this.connection = connection;
    }

    @Override
    public void interestChanged(String account, String subject, String queue, int delta, Optional<Link> holder) {
        if (holder.isPresent() && !audience(holder.get(), account, subject, queue)) {
            return;
        }
        LeafHandshake h = connection.handshake;
        SubjectRules rules = h.interestRules();
        if (rules != SubjectRules.ALL && !subject.startsWith(LeafConnection.LDS_PREFIX) && !rules.allowsInterest(subject)) {
            return;
        }
        add(subject, queue, delta);
    }

    private boolean audience(Link holder, String account, String subject, String queue) {
        if (holder == connection) {
            return false;
        }
        LeafHandshake h = connection.handshake;
        if (holder instanceof LeafConnection other) {
            if (h.isSpoke()) {
                return !other.handshake.isSpoke();
            }
            String cluster = h.remoteCluster();
            return cluster.isEmpty() || !cluster.equals(other.handshake.remoteCluster());
        }
        // Routes' (and gateways') interest goes to leaf nodes this server is the hub of, not to its hubs; never
        // a route's interest held for a leaf node of the same remote cluster (Go's LS+ origin).
        if (h.isSpoke()) {
            return false;
        }
        String cluster = h.remoteCluster();
        return cluster.isEmpty() || !cluster.equals(holder.interestOrigin(account, subject, queue));
    }

    /** Changes the count of {@code subject [queue]} by {@code delta} and tells the other side when it must know. */
    synchronized void add(String subject, String queue, int delta) {
        String key = queue == null ? subject : subject + ' ' + queue;
        int before = counts.getOrDefault(key, 0);
        int after = Math.max(0, before + delta);
        if (after == 0) {
            counts.remove(key);
        } else {
            counts.put(key, after);
        }
        if (queue == null) {
            if (before == 0 && after > 0) {
                connection.sendInterest(subject, null, 1);
            } else if (before > 0 && after == 0) {
                connection.sendInterest(subject, null, 0);
            }
        } else if (before != after) {
            connection.sendInterest(subject, queue, after);
        }
    }

    /** The announced keys ({@code subject} or {@code subject queue}) with their counts. */
    synchronized Map<String, Integer> snapshot() {
        return new HashMap<>(counts);
    }
}
