package nats.api.links;

import nats.api.messaging.MessageOrigin;

/**
 * A connection to another server, as the kernel's router sees it: it receives the messages that match the
 * interest recorded through its {@link LinkHandle}, and decides, by the kind of connection each message came
 * from, whether it forwards it. The rules are the link type's own, so routes, gateways and leaf nodes
 * express theirs here (a route forwards nothing that came from another route; a queue member behind a route
 * is only a fallback for a message that came from a route).
 *
 * <p>{@link #send} runs on the publisher's thread and must not block: the link queues the message and writes
 * it from its own thread once {@link #flush} is called.
 */
public interface Link {

    /** What the link is, for logs and errors (e.g. {@code route NBXYZ}). */
    String name();

    /**
     * The connection's id (Go's {@code cid} of a route, gateway or leaf connection), for trace events.
     *
     * @since API 2.2
     */
    default long connectionId() {
        return 0;
    }

    /**
     * The other server's name, as trace events name the connection a message came in on.
     *
     * @since API 2.2
     */
    default String peerName() {
        return name();
    }

    /**
     * The one account this link carries, for a link bound to an account (a leaf connection); empty for links that
     * carry every account (routes, gateways). Read at any time after registration.
     *
     * @since API 2.4
     */
    default java.util.Optional<String> boundAccount() {
        return java.util.Optional.empty();
    }

    /**
     * The cluster of the server on the other side, for a leaf connection whose other side named one (Go's
     * {@code remoteCluster}); "" for other links. Interest this link shares is announced to routes with it as
     * its origin.
     *
     * @since API 2.5
     */
    default String remoteCluster() {
        return "";
    }

    /**
     * The leaf node cluster the other side held this recorded interest for (Go's {@code sub.origin}: a route's
     * {@code LS+ origin account subject}), or "" when it named none. A hub's leaf connection to that cluster does
     * not announce it. Answered for interest the link has recorded, and again while it is being removed.
     *
     * @param queue the queue group, or null for plain interest
     * @since API 2.5
     */
    default String interestOrigin(String account, String subject, String queue) {
        return "";
    }

    /** The origin of the messages this link injects: {@code ROUTE}, {@code GATEWAY} or {@code LEAF}. */
    MessageOrigin kind();

    /** Whether a message that came from {@code origin} goes to this link's plain (non-queue) interest. */
    boolean forwards(MessageOrigin origin);

    /** How this link's members of a queue group are chosen for a message that came from {@code origin}. */
    QueueRole queueRole(MessageOrigin origin);

    /**
     * Queues one message for the other side; the view is valid only during the call. Its
     * {@link LinkMessage#account()} is the account the link's interest matched in, and its queue names are
     * the groups the link was chosen for (empty when it receives the message for plain interest only).
     *
     * @return false when the link could not take it (closed, over its pending limit): a queue group then
     *         tries another member
     */
    boolean send(LinkMessage message);

    /** The publisher finished a batch: write what {@link #send} queued. */
    void flush();

    /** Messages this link took with {@link #send} so far, for the server's totals ({@code out_msgs}). */
    long sentMessages();

    /** Bytes (headers and payloads) of those messages, for the server's totals ({@code out_bytes}). */
    long sentBytes();

    /**
     * Whether the interest this link records counts as this server's own for {@link Links#watchLocalInterest}
     * (so routes and gateways announce it). A leaf node accepted by this server shares its interest, as Go's
     * hub does; routes and gateways do not.
     *
     * @since API 2.2
     */
    default boolean sharesInterest() {
        return false;
    }

    /**
     * Whether a message this link injected may go on to {@code target}, checked besides
     * {@code target.forwards(kind())}. By default it goes to any link but this one (a link never gets back what
     * it brought in); a leaf node whose other side is its hub keeps it from this server's routes, as Go does.
     *
     * @since API 2.2
     */
    default boolean passesTo(Link target) {
        return target != this;
    }
}
