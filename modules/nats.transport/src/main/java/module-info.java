/**
 * Wire-level building blocks shared by the kernel and protocol plugins: the allocation-free NATS client
 * protocol parser, frame encoders and subject syntax checks.
 */
module nats.transport {
    requires transitive nats.api;

    exports nats.transport.protocol;
}
