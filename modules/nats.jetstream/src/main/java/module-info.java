/**
 * JetStream as the {@code jetstream} plugin: the {@code $JS.API}, streams, consumers, mirrors and sources, and
 * JetStream monitoring, kept in the backends of the {@code nats.jetstream.store} SPI; in a cluster, streams are
 * replicated with {@code nats.raft} groups over routes.
 */
module nats.jetstream {
    requires nats.api;
    requires nats.transport;
    requires nats.jetstream.store;
    requires nats.raft;

    provides nats.api.ServerPlugin with nats.jetstream.JetStreamPlugin;
}
