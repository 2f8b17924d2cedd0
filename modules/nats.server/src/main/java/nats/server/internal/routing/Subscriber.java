package nats.server.internal.routing;

/**
 * Something messages are delivered to: a network client, a route, or an in-process connection. Delivery
 * must not block: implementations queue the message and flush it on their own thread.
 */
public interface Subscriber {

    /**
     * Queues a message for {@code subscription}.
     *
     * @return false when the subscriber is closed and the message was dropped
     */
    boolean deliver(ServerSubscription subscription, RoutedMessage message);

    /** Called once the publisher finished a batch, so queued messages can be written together. */
    void flushPending();

    /**
     * Whether this subscriber's interest is announced to other servers (Go forwards the subscriptions of
     * clients and internal subscribers; not those of links, which are remote themselves, nor a service
     * import's, which every server of the cluster holds on its own).
     */
    default boolean announcesInterest() {
        return true;
    }

    /**
     * Whether a trace-only message (Go 2.11 {@code Nats-Trace-Only}) is handed to this subscriber: only to those
     * that report what they would do without doing it (imports, JetStream's ingest); clients' deliveries are
     * recorded by the router instead.
     */
    default boolean takesTraceOnly(ServerSubscription subscription) {
        return false;
    }

    /**
     * Whether this subscriber's interest is announced to leaf nodes: as to routes, and a service import's too
     * (Go sends a leaf the account's imported services, since a leaf only sends where it knows of interest).
     */
    default boolean announcesToLeaves() {
        return announcesInterest();
    }
}
