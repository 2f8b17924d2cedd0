package nats.cluster.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import nats.transport.compress.CompressionOptions;
import nats.transport.tls.TlsOptions;

/**
 * The {@code cluster {}} block (with {@code --cluster}, {@code --routes}, {@code --cluster_name}... over it), as
 * Go's parseCluster reads it.
 *
 * @param name           the cluster name; empty for a dynamic name (Go generates one and adopts a peer's)
 * @param host           the address the route listener binds
 * @param port           the route port; 0 for no listener, -1 for a free one
 * @param advertise      {@code host:port} announced to other servers instead of the listener's; empty for none
 * @param routes         routes to solicit (explicit routes)
 * @param username       {@code authorization.user}: what a peer must present; empty for no authentication
 * @param password       {@code authorization.password} (plain or bcrypt)
 * @param authTimeout    how long an accepted route may take to send CONNECT
 * @param tls            TLS on every route, both ways
 * @param noAdvertise    do not tell clients the other servers' URLs
 * @param connectRetries how often to retry a learned (implicit) route before giving up; 0 for once
 * @param permissions    {@code permissions { import, export }}
 * @param connectBackoff {@code connect_backoff} (Go 2.10+): retry delays double up to 30 s instead of 1 s each
 * @param pingInterval   {@code ping_interval} for routes (Go 2.10+); empty for the server's
 * @param pingMax        {@code ping_max} for routes (Go 2.10+); 0 for the server's
 * @param writeDeadline  {@code write_deadline} for routes (Go 2.10+); empty for the server's
 * @param poolSize       {@code pool_size} (Go 2.10+): route connections per peer; 0 (unset) or negative for none
 *                       (one route, as Go 2.9, which also rules out pinned accounts)
 * @param pinnedAccounts {@code accounts} (Go 2.10+): accounts with a route connection of their own per peer
 * @param compression    {@code compression} (Go 2.10+)
 */
public record ClusterConfig(String name, String host, int port, String advertise, List<RouteUrl> routes,
                            String username, String password, Duration authTimeout, Optional<TlsOptions> tls,
                            boolean noAdvertise, int connectRetries, RoutePermissions permissions,
                            boolean connectBackoff, Optional<Duration> pingInterval, int pingMax,
                            Optional<Duration> writeDeadline, int poolSize, List<String> pinnedAccounts,
                            CompressionOptions compression) {

    /** Go's DEFAULT_HOST for the route listener. */
    public static final String DEFAULT_HOST = "0.0.0.0";

    public ClusterConfig {
        routes = List.copyOf(routes);
        pinnedAccounts = List.copyOf(pinnedAccounts);
    }

    /** Go 2.10's DEFAULT_ROUTE_POOL_SIZE, used when pinned accounts are configured without a pool size. */
    static final int GO_2_10_POOL_SIZE = 3;

    /**
     * Whether routes are pooled (and accounts may be pinned): with a positive {@code pool_size}, or with pinned
     * {@code accounts} and no pool size (Go 2.10's default pool then). With neither, this server keeps the one
     * route per peer of Go 2.9, the version it reports; Go disables pooling with a negative size.
     */
    public boolean pooling() {
        return announcedPoolSize() > 0;
    }

    /** The pool size announced in INFO ({@code route_pool_size}); 0 when pooling is off. */
    public int announcedPoolSize() {
        if (poolSize == 0 && !pinnedAccounts.isEmpty()) {
            return GO_2_10_POOL_SIZE;
        }
        return Math.max(0, poolSize);
    }

    /** Connections per pooled peer (Go's routesPoolSize): 1 without pooling. */
    public int routesPoolSize() {
        return Math.max(1, announcedPoolSize());
    }

    /**
     * The accounts with routes of their own: the configured ones and, as Go adds it whenever pooling is on, the
     * system account.
     */
    public List<String> pinned(java.util.Optional<String> systemAccount) {
        if (!pooling()) {
            return List.of();
        }
        List<String> all = new java.util.ArrayList<>(pinnedAccounts);
        systemAccount.filter(a -> !all.contains(a)).ifPresent(all::add);
        return List.copyOf(all);
    }

    /** The same configuration under another cluster name. */
    public ClusterConfig withName(String other) {
        return new ClusterConfig(other, host, port, advertise, routes, username, password, authTimeout, tls,
                noAdvertise, connectRetries, permissions, connectBackoff, pingInterval, pingMax, writeDeadline, poolSize,
                pinnedAccounts, compression);
    }

    public boolean dynamicName() {
        return name.isEmpty();
    }

    public boolean authRequired() {
        return !username.isEmpty();
    }

    /** Whether a route listener is opened (Go starts routing only with a cluster port). */
    public boolean listens() {
        return port != 0;
    }
}
