package nats.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import nats.transport.json.JsonWriter;

/**
 * Routes learned by gossip, as Go's forwardNewRouteInfoToKnownServers and processImplicitRoute: when a new peer
 * registers, the other peers are sent its INFO (with the address to dial it at), and a peer's INFO about another
 * server makes this one dial it unless it knows it already or has it configured.
 */
final class ImplicitRoutes {

    private final Cluster cluster;
    private final Map<String, Peer> peers;
    private final Solicitor solicitor;

    /** @param peers the cluster's peers by server id (read here, kept by the cluster) */
    ImplicitRoutes(Cluster cluster, Map<String, Peer> peers, Solicitor solicitor) {
        this.cluster = cluster;
        this.peers = peers;
        this.solicitor = solicitor;
    }

    /** The address the other peers dial the new one at: the one it advertises, else the one it connected from. */
    static String address(Route route, RemoteInfo info) {
        if (!info.ip().isEmpty()) {
            return info.ip();
        }
        String hostPort = route.remoteAddress();
        return "nats-route://" + hostPort.substring(0, hostPort.lastIndexOf(':')) + ":" + info.port() + "/";
    }

    /** Go's forwardNewRouteInfoToKnownServers: the other peers learn the new one and dial it. */
    void forward(RemoteInfo info, String ip) {
        JsonWriter json = new JsonWriter();
        json.value(info.forwarded(ip));
        byte[] line = ("INFO " + json + "\r\n").getBytes(StandardCharsets.UTF_8);
        for (Peer p : peers.values()) {
            Route r = p.any();
            if (r != null && !p.id.equals(info.id())) {
                r.sendLine(line);
            }
        }
    }

    /** Go's processImplicitRoute: a peer told us of another server; dial it unless known or configured. */
    void learned(RemoteInfo info) {
        if (!cluster.running() || info.id().equals(cluster.identity().serverId())) {
            return;
        }
        Peer known = peers.get(info.id());
        String account = info.routeAccount();
        if (known != null && (account.isEmpty() ? !known.poolEmpty() : known.pinned.containsKey(account))) {
            return;
        }
        ClusterConfig config = cluster.config();
        for (RouteUrl configured : config.routes()) {
            if (configured.sameAddress(info.host(), info.port())) {
                return;
            }
        }
        if (info.ip().isEmpty()) {
            return;
        }
        RouteUrl url;
        try {
            url = RouteUrl.parse(info.ip());
        } catch (IllegalArgumentException e) {
            cluster.log().log(System.Logger.Level.ERROR, "Error parsing URL from INFO: {0}", e.getMessage());
            return;
        }
        if (info.authRequired() && config.authRequired()) {
            // A gossiped route is dialled with this cluster's own credentials when the peer requires them.
            url = new RouteUrl(url.text(), url.host(), url.port(), Optional.of(config.username()),
                    Optional.of(config.password()));
        }
        solicitor.connect(url, false, true, account);
    }
}
