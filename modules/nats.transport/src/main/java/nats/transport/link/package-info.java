/**
 * The plumbing every server-to-server link shares (routes, gateways, leaf nodes): the writer thread, liveness
 * pings, protocol lines, message frames, the monitoring counters and the registration with the kernel.
 */
package nats.transport.link;
