package nats.api;

/**
 * An in-process client of the server: it publishes and subscribes through the same routing as a network
 * client, without a socket. Messages for its subscriptions are handed to their handlers on a dispatcher
 * thread owned by the connection, in the order they were routed.
 */
public interface InternalConnection extends AutoCloseable {

    /** Subscribes to a subject, which may contain the {@code *} and {@code >} wildcards. */
    Subscription subscribe(String subject, MessageHandler handler);

    /** Subscribes as a member of a queue group: each message goes to one member of the group. */
    Subscription subscribe(String subject, String queueGroup, MessageHandler handler);

    /** Publishes a message; {@link Message#replyTo()} may be empty. */
    void publish(Message message);

    /** Publishes a payload without headers or reply subject. */
    default void publish(String subject, byte[] payload) {
        publish(new Message(subject, "", Message.NO_HEADERS, payload));
    }

    /** Removes all subscriptions and stops the dispatcher. */
    @Override
    void close();
}
