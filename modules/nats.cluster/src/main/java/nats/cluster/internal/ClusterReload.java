package nats.cluster.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import nats.api.PluginException;
import nats.api.links.RemoteInterest;
import nats.api.net.TlsPolicy;
import nats.transport.tls.ServerTls;
import nats.transport.tls.TlsSetupException;

/**
 * A reloaded {@code cluster} block, as Go's reload treats it: the listener's host and port cannot change;
 * the name, credentials, TLS, {@code no_advertise} and permissions take effect (peers get a new INFO and the
 * interest the permissions now allow or forbid); routes removed are closed for good, routes added are dialled;
 * pool size, pinned accounts and compression re-pool the routes as Go 2.10 does ({@link RoutePoolReload}).
 */
public final class ClusterReload {

    private ClusterReload() {
    }

    /** Refuses what Go refuses, with its text. */
    public static void check(ClusterConfig current, ClusterConfig fresh) throws PluginException {
        if (!current.host().equals(fresh.host())) {
            throw new PluginException("config reload not supported for cluster host: old=" + current.host()
                    + ", new=" + fresh.host());
        }
        if (current.port() != fresh.port()) {
            throw new PluginException("config reload not supported for cluster port: old=" + current.port()
                    + ", new=" + fresh.port());
        }
        if (!fresh.advertise().isEmpty() && fresh.advertise().lastIndexOf(':') == fresh.advertise().length() - 1) {
            throw new PluginException("invalid Cluster.Advertise value of " + fresh.advertise());
        }
        if (!Objects.equals(current.tls(), fresh.tls()) && fresh.tls().isPresent()) {
            try {
                ServerTls.create(fresh.tls().get());
            } catch (TlsSetupException e) {
                throw new PluginException("cluster TLS configuration error: " + e.getMessage(), e);
            }
        }
    }

    /** Applies a block {@link #check} accepted. */
    public static void apply(Cluster cluster, ClusterConfig fresh) throws PluginException {
        ClusterConfig current = cluster.config();
        RoutePoolReload repool = new RoutePoolReload(cluster, current, fresh);
        if (repool.changes()) {
            repool.beforeSwitch();
        }
        cluster.config(fresh);
        if (!Objects.equals(current.tls(), fresh.tls())) {
            Optional<TlsPolicy> policy;
            try {
                policy = fresh.tls().isPresent() ? Optional.of(ServerTls.create(fresh.tls().get()).policy())
                        : Optional.empty();
            } catch (TlsSetupException e) {
                throw new PluginException("cluster TLS configuration error: " + e.getMessage(), e);
            }
            cluster.tls(policy);
        }
        if (!fresh.name().isEmpty() && !fresh.name().equals(cluster.name())) {
            cluster.rename(fresh.name());
        }
        if (!current.permissions().equals(fresh.permissions())) {
            permissionsChanged(cluster, current.permissions(), fresh.permissions());
        }
        cluster.log().log(System.Logger.Level.INFO, "Reloaded: cluster");
        routesChanged(cluster, current.routes(), fresh.routes());
        if (repool.changes()) {
            repool.afterSwitch();
        }
    }

    /** Go's reloadClusterPermissions. */
    private static void permissionsChanged(Cluster cluster, RoutePermissions before, RoutePermissions now) {
        byte[] info = cluster.routeInfoLine();
        for (Route route : cluster.registeredRoutes()) {
            for (RemoteInterest i : route.interest()) {
                if (!now.canExport(i.subject())) {
                    route.dropInterest(i);
                }
            }
            route.sendLine(info);
        }
        cluster.replayInterest((account, subject, queue, weight) -> {
            boolean then = before.canImport(subject);
            boolean nowOk = now.canImport(subject);
            if (then != nowOk) {
                for (Route route : cluster.registeredRoutes()) {
                    if (route.carries(account)) {
                        route.sendInterestUnchecked(account, subject, queue, nowOk ? weight : 0);
                    }
                }
            }
        });
    }

    /** Go's routesOption: removed routes close without reconnecting, added ones are dialled. */
    private static void routesChanged(Cluster cluster, List<RouteUrl> before, List<RouteUrl> now) {
        boolean changed = false;
        for (RouteUrl old : before) {
            if (now.stream().noneMatch(n -> n.sameAddress(old.host(), old.port()))) {
                changed = true;
                for (Route route : cluster.registeredRoutes()) {
                    RouteUrl url = route.handshake.url();
                    if (url != null && url.sameAddress(old.host(), old.port())) {
                        route.handshake.noReconnect(true);
                        route.close("Route Removed");
                        cluster.log().log(System.Logger.Level.INFO, "Removed route {0}", old.redacted());
                    }
                }
            }
        }
        for (RouteUrl url : now) {
            if (before.stream().noneMatch(b -> b.sameAddress(url.host(), url.port()))) {
                changed = true;
                cluster.solicit(url);
            }
        }
        if (changed) {
            cluster.log().log(System.Logger.Level.INFO, "Reloaded: cluster routes");
        }
    }
}
