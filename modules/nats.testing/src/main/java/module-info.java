/**
 * Test support shared by every module's tests: the Go reference server as a child process (the differential
 * oracle), a raw protocol client for exact bytes, jnats clients and monitoring reads for multi-server tests,
 * and free loopback ports. Never part of the server image.
 */
module nats.testing {
    requires nats.transport;
    requires static io.nats.jnats;
    requires static org.junit.jupiter.api;

    exports nats.testing;
}
