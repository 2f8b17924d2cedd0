package nats.server.internal.routing;

/** The client a message came from, described as Go's {@code ClientInfo} JSON for service latency metrics. */
public interface PublishingClient {

    /**
     * @param detailed Go's detailed form (start, host, id, names, server) rather than only account and RTT
     */
    String clientInfoJson(boolean detailed);

    /** The client's measured round trip in nanoseconds, 0 when unknown. */
    long rttNanos();

    /** The client as plugins see it. */
    nats.api.messaging.ClientInfo clientInfo();
}
