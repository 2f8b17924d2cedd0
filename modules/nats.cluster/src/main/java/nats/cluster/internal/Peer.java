package nats.cluster.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The route connections to one peer server (Go's {@code s.routes[id]} and {@code s.accRoutes[account][id]}):
 * the pool, one slot per pool index (only slot 0 for a peer without pooling), and a route per pinned account.
 * Changed only under the {@link Cluster}'s lock.
 */
final class Peer {

    final String id;
    final Route[] pool;
    final Map<String, Route> pinned = new HashMap<>();
    /** The client URLs the peer announced, counted once per peer (until it leaves or enters lame-duck mode). */
    java.util.List<String> connectUrls = java.util.List.of();

    Peer(String id, int poolSize) {
        this.id = id;
        this.pool = new Route[poolSize];
    }

    boolean poolEmpty() {
        for (Route r : pool) {
            if (r != null) {
                return false;
            }
        }
        return true;
    }

    boolean empty() {
        return poolEmpty() && pinned.isEmpty();
    }

    /** One connection of the pool, to tell the peer something once (Go's forEachRemote); null when none. */
    Route any() {
        for (Route r : pool) {
            if (r != null) {
                return r;
            }
        }
        return null;
    }
}
