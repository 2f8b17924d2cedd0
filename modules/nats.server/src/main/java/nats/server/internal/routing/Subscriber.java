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
}
