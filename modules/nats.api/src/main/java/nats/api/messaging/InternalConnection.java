package nats.api.messaging;

/**
 * An in-process client of the server, bound to one account: it publishes and subscribes through the same
 * routing as a network client, without a socket. Two ways to receive:
 * <ul>
 *   <li>{@link #subscribe(String, MessageHandler)}: messages are copied into {@link Message}s and handed to the
 *       handler on a dispatcher thread owned by the connection, in routing order (simple, for control traffic);
 *   <li>{@link #subscribeDirect(String, String, DirectHandler)}: the handler runs on the publisher's thread
 *       with the message as byte slices (the fast path).</li>
 * </ul>
 * Messages published here are routed as the server's own ({@link MessageOrigin#INTERNAL}): the account's
 * subject mappings apply, permissions do not.
 */
public interface InternalConnection extends AutoCloseable {

    /** Subscribes to a subject, which may contain the {@code *} and {@code >} wildcards. */
    Subscription subscribe(String subject, MessageHandler handler);

    /** Subscribes as a member of a queue group (null for none): each message goes to one member of the group. */
    Subscription subscribe(String subject, String queueGroup, MessageHandler handler);

    /** Subscribes with a handler that runs on the publisher's thread; {@code queueGroup} may be null. */
    Subscription subscribeDirect(String subject, String queueGroup, DirectHandler handler);

    /** Publishes a message; {@link Message#replyTo()} may be empty. Thread-safe. */
    void publish(Message message);

    /** Publishes a payload without headers or reply subject. */
    default void publish(String subject, byte[] payload) {
        publish(new Message(subject, "", Message.NO_HEADERS, payload));
    }

    /** A batching publisher for one thread (see {@link MessagePublisher}). */
    MessagePublisher publisher();

    /** Whether anyone (a client, a plugin, a link) is subscribed to a subject a message could be published on. */
    boolean hasInterest(String subject);

    /** Removes all subscriptions and stops the dispatcher. */
    @Override
    void close();
}
