/**
 * The stable contract between the jnatsd kernel and its plugins: the {@link nats.api.ServerPlugin} SPI,
 * the {@link nats.api.ServerContext} a plugin sees, and the value types both sides share.
 * Depends on {@code java.base} only.
 */
module nats.api {
    exports nats.api;
    exports nats.api.accounts;
    exports nats.api.links;
    exports nats.api.messaging;
    exports nats.api.monitoring;
    exports nats.api.net;
    exports nats.api.sessions;
}
