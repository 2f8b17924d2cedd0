package nats.api.links;

import java.util.List;

/**
 * A registered link: the interest the other side announced, and the way its messages come in. Interest is
 * keyed by account, subject and queue group; recording the same key again updates the queue weight.
 * Thread-safe.
 */
public interface LinkHandle extends AutoCloseable {

    /** The outcome of recording interest. */
    enum Outcome {
        /** New interest, or a queue weight updated. */
        ADDED,
        /** The same interest was recorded already. */
        UNCHANGED,
        /** No such account on this server. */
        UNKNOWN_ACCOUNT,
        /** The subject or queue name cannot be subscribed to. */
        INVALID_SUBJECT
    }

    /**
     * Records (or updates) interest of the other side.
     *
     * @param queue  the queue group, or null for plain interest
     * @param weight for a queue group, how many members the other side has (at least 1); ignored otherwise
     */
    Outcome addInterest(String account, String subject, String queue, int weight);

    /** Removes interest; returns false when there was none under that key. */
    boolean removeInterest(String account, String subject, String queue);

    /** How many subscriptions the other side has registered here. */
    int interestCount();

    /** The registered interest, for monitoring ({@code /routez?subs=1}). */
    List<RemoteInterest> interest();

    /** A publisher for the messages this link receives; one per reading thread. */
    LinkPublisher publisher();

    /** Removes all the link's interest; the link receives nothing more. */
    @Override
    void close();
}
