/**
 * JetStream on one server, as the {@code jetstream} plugin: the {@code $JS.API}, streams, consumers, mirrors and
 * sources, and JetStream monitoring, kept in the backends of the {@code nats.jetstream.store} SPI.
 */
module nats.jetstream {
    requires nats.api;
    requires nats.transport;
    requires nats.jetstream.store;

    provides nats.api.ServerPlugin with nats.jetstream.JetStreamPlugin;
}
