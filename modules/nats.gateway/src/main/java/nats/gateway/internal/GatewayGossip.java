package nats.gateway.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import nats.api.links.RouteGossip;

/**
 * Gateways over routes, as Go does it: this server's route INFO carries its {@code gateway_url} (its cluster's
 * gateway INFO then lists every server's), a new route hears of the remotes this server is connected to, and a
 * remote learned on a gateway is passed to every route ({@code gateway_cmd} 1), so every server of the cluster
 * dials every remote cluster.
 */
final class GatewayGossip implements RouteGossip {

    private final Gateways gateways;
    private final Map<String, Consumer<Map<String, Object>>> routes = new ConcurrentHashMap<>();

    GatewayGossip(Gateways gateways) {
        this.gateways = gateways;
    }

    /** Go's validateCluster: the gateway's name is the cluster's. */
    @Override
    public java.util.Optional<String> requiredClusterName() {
        return java.util.Optional.of(gateways.config().name());
    }

    @Override
    public Map<String, Object> routeInfoFields() {
        String url = gateways.url();
        return url.isEmpty() ? Map.of() : Map.of("gateway_url", url);
    }

    @Override
    public void routeRegistered(String peerId, Map<String, Object> info, Consumer<Map<String, Object>> send) {
        routes.put(peerId, send);
        if (info.get("gateway_url") instanceof String url && !url.isEmpty()) {
            gateways.clusterUrl(url, true);
        }
        for (RemoteGateway r : gateways.connectedRemotes()) {
            List<String> urls = r.hostPorts();
            if (!urls.isEmpty()) {
                send.accept(gateways.gossipFields(r.name, urls));
            }
        }
    }

    @Override
    public void routeClosed(String peerId, Map<String, Object> info) {
        routes.remove(peerId);
        if (info.get("gateway_url") instanceof String url && !url.isEmpty()) {
            gateways.clusterUrl(url, false);
        }
    }

    @Override
    public boolean routeInfo(String peerId, Map<String, Object> info) {
        if (!(info.get("gateway") instanceof String name) || name.isEmpty()) {
            return false;
        }
        int command = info.get("gateway_cmd") instanceof Number n ? n.intValue() : 0;
        if (command == Gateways.CMD_GOSSIP) {
            gateways.implicitGateway(info);
        } else {
            gateways.log().log(System.Logger.Level.ERROR, "Unknown command {0} from server {1}", command, peerId);
        }
        return true;
    }

    /** Sends a gateway INFO to every route. */
    void broadcast(Map<String, Object> fields) {
        routes.values().forEach(send -> send.accept(fields));
    }
}
