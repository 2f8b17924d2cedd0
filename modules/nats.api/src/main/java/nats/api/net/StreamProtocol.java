package nats.api.net;

/**
 * A protocol that a plugin serves over connections another plugin brings in: MQTT over the WebSocket
 * listener's upgraded connections, as Go's {@code websocket {}} block carries MQTT clients on its
 * {@code /mqtt} endpoint and leaf nodes on {@code /leafnode}. The serving plugin registers it with
 * {@link nats.api.ServerContext#registerStreamProtocol(StreamProtocol)} (API 2.3; before, with
 * {@code registerService(StreamProtocol.class, ...)}, one protocol only);
 * the carrying plugin looks it up when a connection asks for it (not at start, so start order does not
 * matter) and refuses the connection as Go does when no plugin serves the protocol.
 *
 * @since API 2.1
 */
public interface StreamProtocol {

    /** The protocol's name as carriers ask for it: {@code mqtt} (the WebSocket path {@code /mqtt}). */
    String name();

    /**
     * Serves one connection on the calling thread until it ends, then closes it with
     * {@link Connection#close(String)} and Go's close reason (the carrier's framing may say why, e.g. a
     * WebSocket close frame). The connection carries the protocol's own bytes (the carrier's framing is
     * already removed).
     *
     * @param connection the client's byte stream; its addresses and TLS session are the carrier's
     * @param carrier    the plugin that brought it in, e.g. {@code websocket}: MQTT over WebSocket is Go's
     *                   {@code MQTT_WS} connection type for {@code allowed_connection_types}
     */
    void serve(Connection connection, String carrier);
}
