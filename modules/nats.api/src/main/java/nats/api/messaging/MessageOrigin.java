package nats.api.messaging;

/**
 * What kind of connection a message came from. Links apply their forwarding rules with it (a route never
 * forwards what came from another route; a gateway maps replies; leaf nodes detect loops).
 */
public enum MessageOrigin {
    /** A client connection (NATS, WebSocket or MQTT) of this server. */
    CLIENT,
    /** The server itself or a plugin's in-process connection. */
    INTERNAL,
    /** A route from another server of this cluster. */
    ROUTE,
    /** A gateway from another cluster. */
    GATEWAY,
    /** A leaf-node connection. */
    LEAF;

    /** Whether the message arrived from another server. */
    public boolean isRemote() {
        return this == ROUTE || this == GATEWAY || this == LEAF;
    }
}
