package nats.api.links;

import java.util.Map;
import java.util.function.Consumer;

/**
 * What routes carry for another kind of link, as Go's routes do for gateways: fields this server adds to its
 * route INFO ({@code gateway_url}), a peer's route INFO when its route registers, and the INFO lines a peer
 * sends about that kind of link ({@code gateway} gossip). Added with {@link Links#addRouteGossip}; the plugin
 * that runs routes calls it from its route threads, so every method must be quick and must not block.
 *
 * @since API 2.2
 */
public interface RouteGossip {

    /** Fields added to this server's route INFO each time one is written; empty for none. */
    Map<String, Object> routeInfoFields();

    /**
     * A route to another server registered.
     *
     * @param peerId the peer's server id
     * @param info   the peer's first route INFO, as JSON values
     * @param send   sends an INFO line with these fields to that peer (as long as the route is up)
     */
    void routeRegistered(String peerId, Map<String, Object> info, Consumer<Map<String, Object>> send);

    /** The route registered with {@code info} closed. */
    void routeClosed(String peerId, Map<String, Object> info);

    /**
     * The plugin running routes is stopping with the server: the routes close next, and what they took with them
     * is not news for anyone (Go leaves its leafnode URLs alone while shutting down, so leaf nodes are not told
     * that the servers they may dial are gone). Called once, before the first {@link #routeClosed} of the stop.
     *
     * @since API 2.5
     */
    default void routesStopping() {
    }

    /**
     * An INFO a registered route sent after its first one.
     *
     * @return true when it was this participant's (the plugin running routes then does nothing more with it)
     */
    boolean routeInfo(String peerId, Map<String, Object> info);

    /**
     * The cluster name this participant requires, read by the plugin running routes before it starts: Go's
     * gateway name is its cluster's name (a different configured cluster name is refused with {@code cluster name
     * conflicts between cluster and gateway definitions}; a cluster without one takes it, not a dynamic name).
     *
     * @since API 2.3
     */
    default java.util.Optional<String> requiredClusterName() {
        return java.util.Optional.empty();
    }

    /**
     * Checks what the {@code cluster {}} block configures, called by the plugin running routes before it starts
     * (only when the block has a port, as Go checks only then). Go refuses to start a JetStream cluster without a
     * {@code server_name}, a {@code cluster.name} or configured routes; the plugin running routes refuses the
     * server's start with the text returned.
     *
     * @param clusterName      the cluster's configured name (or the one a gateway gave it); empty when dynamic
     * @param configuredRoutes how many routes the block configures
     * @return Go's text for what is missing; empty to accept
     * @since API 2.3
     */
    default java.util.Optional<String> checkCluster(java.util.Optional<String> clusterName, int configuredRoutes) {
        return java.util.Optional.empty();
    }
}
