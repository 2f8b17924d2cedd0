package nats.cluster.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
 */
public record ClusterConfig(String name, String host, int port, String advertise, List<RouteUrl> routes,
                            String username, String password, Duration authTimeout, Optional<TlsOptions> tls,
                            boolean noAdvertise, int connectRetries, RoutePermissions permissions,
                            boolean connectBackoff, Optional<Duration> pingInterval, int pingMax,
                            Optional<Duration> writeDeadline) {

    /** Go's DEFAULT_HOST for the route listener. */
    public static final String DEFAULT_HOST = "0.0.0.0";

    public ClusterConfig {
        routes = List.copyOf(routes);
    }

    /** The same configuration under another cluster name. */
    public ClusterConfig withName(String other) {
        return new ClusterConfig(other, host, port, advertise, routes, username, password, authTimeout, tls,
                noAdvertise, connectRetries, permissions, connectBackoff, pingInterval, pingMax, writeDeadline);
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

    /** Go's default route auth timeout: 2 s, or the TLS timeout plus one second when that is longer. */
    static Duration defaultAuthTimeout(Optional<TlsOptions> tls) {
        Duration fromTls = tls.map(t -> t.timeout().plusSeconds(1)).orElse(Duration.ZERO);
        return fromTls.compareTo(Duration.ofSeconds(2)) > 0 ? fromTls : Duration.ofSeconds(2);
    }
}
