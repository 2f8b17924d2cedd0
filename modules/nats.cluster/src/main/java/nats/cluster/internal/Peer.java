package nats.cluster.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The route connections to one peer server (Go's {@code s.routes[id]} and {@code s.accRoutes[account][id]}):
 * the pool, one slot per pool index (only slot 0 for a peer without pooling), and a route per pinned account.
 * Changed only under the {@link Cluster}'s lock.
 */
final class Peer {

    /** {@link #slotFor}: the slot the peer named is taken (a duplicate). */
    static final int TAKEN = -1;
    /** {@link #slotFor}: the pool is full (an extra connection). */
    static final int FULL = -2;

    final String id;
    /** One slot per pool index; replaced (while empty) when a reload changes the pool size. */
    Route[] pool;
    final Map<String, Route> pinned = new HashMap<>();
    /** The client URLs the peer announced, counted once per peer (until it leaves or enters lame-duck mode). */
    java.util.List<String> connectUrls = java.util.List.of();

    Peer(String id, int poolSize) {
        this.id = id;
        this.pool = new Route[poolSize];
    }

    /** A new pool size (a reload): only while no pooled connection is registered. */
    void resize(int size) {
        pool = new Route[size];
    }

    boolean poolEmpty() {
        for (Route r : pool) {
            if (r != null) {
                return false;
            }
        }
        return true;
    }

    int poolCount() {
        int n = 0;
        for (Route r : pool) {
            if (r != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * Go's addRoute slot choice for a pooled (or, from a Go 2.9 peer, the only) connection: the first connection
     * takes the slot the peer named (0 without pooling); later ones, the named slot when the peer dialled (taken:
     * a duplicate), the first free one when this server dialled. A second connection of a peer without pooling
     * is a duplicate. A duplicate's survivor takes over what the dropped one knew (Go's handleDuplicateRoute).
     *
     * @param named the {@code route_pool_idx} of the peer's INFO
     * @return the slot, {@link #TAKEN} or {@link #FULL}
     */
    int slotFor(Route route, int named, boolean pooled) {
        if (poolEmpty()) {
            return route.noPool ? 0 : named;
        }
        if (!pooled) {
            pool[0].handshake.takeOver(route.handshake);
            if (route.noPool) {
                route.handshake.noReconnect(true);
            }
            return TAKEN;
        }
        if (!route.solicited) {
            if (pool[named] != null) {
                pool[named].handshake.takeOver(route.handshake);
                return TAKEN;
            }
            return named;
        }
        for (int i = 0; i < pool.length; i++) {
            if (pool[i] == null) {
                return i;
            }
        }
        return FULL;
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
