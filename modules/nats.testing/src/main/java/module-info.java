/**
 * Test support shared by every module's tests: the Go reference server as a child process (the differential
 * oracle), a raw protocol client for exact bytes, and free loopback ports. Never part of the server image.
 */
module nats.testing {
    exports nats.testing;
}
