/**
 * A benchmark plugin: publishes messages from inside the server through the fast in-process path when
 * nats-bench's {@code inproc} scenario asks for them. Drop its jar into a plugins directory to use it.
 */
module nats.bench.inproc {
    requires nats.api;

    provides nats.api.ServerPlugin with nats.bench.inproc.InProcessPublisherPlugin;
}
