/**
 * Go's {@code websocket {}} listener as a plugin: the NATS client protocol (and MQTT, when a plugin serves
 * it) over RFC 6455 WebSocket connections, with TLS, permessage-deflate and browser clients.
 */
module nats.websocket {
    requires nats.api;
    requires nats.transport;

    provides nats.api.ServerPlugin with nats.websocket.WebSocketPlugin;
}
