package nats.cluster.internal;

import nats.transport.compress.CompressionOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Go 2.10's reload of {@code pool_size}, pinned {@code accounts} and {@code compression} (reloadClusterPoolAndAccounts
 * and clusterOption.Apply): a new pool size closes every pooled connection, which are made again at the new size
 * (peers dial back as they reconnect; the configured routes are dialled); an account newly pinned moves to routes
 * of its own ({@link AccountRoutes}); an account no longer pinned loses its routes for good and its interest goes
 * over the pool again; a new compression mode changes the writers of compressing routes in place and closes, to be
 * negotiated again, those where compression goes on or off or becomes {@code accept}. Subscriptions' interest is
 * sent again on every connection made, so nothing clients asked for is lost once the routes are back. Every server
 * of the cluster is reloaded the same way, as with Go: until a peer is, a mismatched pool size keeps the two apart.
 */
final class RoutePoolReload {

    private final Cluster cluster;
    private final ClusterConfig current;
    private final ClusterConfig fresh;
    private final List<String> added = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    private final boolean poolChanged;
    private final boolean compressionChanged;

    RoutePoolReload(Cluster cluster, ClusterConfig current, ClusterConfig fresh) {
        this.cluster = cluster;
        this.current = current;
        this.fresh = fresh;
        Optional<String> system = cluster.settings().systemAccount();
        List<String> before = current.pinned(system);
        List<String> after = fresh.pinned(system);
        for (String a : after) {
            if (!before.contains(a)) {
                added.add(a);
            }
        }
        for (String a : before) {
            if (!after.contains(a)) {
                removed.add(a);
            }
        }
        this.poolChanged = current.announcedPoolSize() != fresh.announcedPoolSize();
        this.compressionChanged = !current.compression().equals(fresh.compression());
    }

    boolean changes() {
        return poolChanged || compressionChanged || !added.isEmpty() || !removed.isEmpty();
    }

    /** Before the new configuration takes effect: peers hear of the accounts that get routes of their own. */
    void beforeSwitch() {
        List<String> announced = added.stream().filter(a -> !cluster.accountRoutes().pinnedByPeers().contains(a))
                .toList();
        if (!announced.isEmpty()) {
            cluster.accountRoutes().announce(announced, current);
        }
    }

    /** After it took effect: routes closed, dialled and re-compressed as the new configuration wants. */
    void afterSwitch() {
        added.forEach(cluster.accountRoutes()::forget);
        removed.forEach(cluster.accountRoutes()::forget);
        List<Route> closing = new ArrayList<>();
        for (Route r : cluster.registeredRoutes()) {
            if (!r.account().isEmpty() && removed.contains(r.account())) {
                r.handshake.noReconnect(true);
                closing.add(r);
            } else if (r.account().isEmpty() && poolChanged) {
                closing.add(r);
            }
        }
        if (compressionChanged) {
            closing.addAll(recompress());
        }
        for (Route r : closing) {
            r.close("Route Removed");
        }
        if (!poolChanged && !removed.isEmpty()) {
            // The pooled connection that carries each such account now gets its interest.
            cluster.replayInterest((account, subject, queue, weight) -> {
                if (removed.contains(account)) {
                    for (Route r : cluster.registeredRoutes()) {
                        if (r.account().isEmpty() && r.carries(account)) {
                            r.sendInterest(account, subject, queue, weight);
                        }
                    }
                }
            });
        }
        if (poolChanged || !added.isEmpty()) {
            for (RouteUrl url : fresh.routes()) {
                if (poolChanged) {
                    cluster.solicitRoute(url, true, "");
                }
                for (String account : added) {
                    cluster.solicitRoute(url, true, account);
                }
            }
            if (!added.isEmpty() && !poolChanged) {
                dialAddedToOtherPeers();
            }
        }
        cluster.log().log(System.Logger.Level.INFO, "Reloaded: cluster routes pool (pool size {0}, pinned accounts {1},"
                + " compression {2})", fresh.announcedPoolSize(), fresh.pinned(cluster.settings().systemAccount()),
                fresh.compression().configured() ? fresh.compression().mode() : "not configured");
    }

    /** Peers that are not among the configured routes (they dialled here, or were gossiped) get the new routes too. */
    private void dialAddedToOtherPeers() {
        java.util.Set<String> done = new java.util.HashSet<>();
        for (Route r : cluster.registeredRoutes()) {
            RouteUrl url = r.handshake.url();
            if (!r.account().isEmpty() || r.noPool || url == null || !done.add(r.handshake.remoteId())) {
                continue;
            }
            if (fresh.routes().stream().anyMatch(c -> c.sameAddress(url.host(), url.port()))) {
                continue;
            }
            for (String account : added) {
                cluster.solicitRoute(url, false, account);
            }
        }
    }

    /**
     * Go's compression change on reload: routes whose peer does not compress, or that use the new mode already,
     * stay; compression going on or off, or to {@code accept}, needs a new negotiation (the route is returned to be
     * closed); between compressing levels the writer changes in place ({@code s2_auto} takes the level the round
     * trip asks for).
     */
    private List<Route> recompress() {
        CompressionOptions configured = fresh.compression();
        String mode = configured.configured() ? configured.mode() : CompressionOptions.OFF;
        List<Route> renegotiate = new ArrayList<>();
        for (Route r : cluster.registeredRoutes()) {
            String now = r.compression;
            if (now.equals(CompressionOptions.NOT_SUPPORTED) || now.equals(mode)) {
                continue;
            }
            if (now.isEmpty() || now.equals(CompressionOptions.OFF) || mode.equals(CompressionOptions.OFF)
                    || mode.equals(CompressionOptions.ACCEPT)) {
                renegotiate.add(r);
            } else {
                String level = mode.equals(CompressionOptions.S2_AUTO) ? r.autoLevel(configured) : mode;
                if (!level.equals(now)) {
                    r.compression = level;
                    r.compressWrites(level);
                }
            }
        }
        return renegotiate;
    }
}
