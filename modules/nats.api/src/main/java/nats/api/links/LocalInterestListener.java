package nats.api.links;

/**
 * Told how the interest of this server's own subscribers changes, as a route announces it: a plain subject
 * when its first subscriber arrives ({@code weight} 1) and when its last one leaves ({@code weight} 0); a
 * queue group whenever its number of members changes ({@code weight} is the new count, 0 when the last
 * member left). Calls for one account come in the order of the changes, from the thread that made the
 * change, while the account's interest is locked: the listener must be quick and must not block (it queues
 * {@code RS+}/{@code RS-} for its links).
 */
@FunctionalInterface
public interface LocalInterestListener {

    /**
     * @param queue  the queue group, or null for plain interest
     * @param weight the number of local subscribers (capped at 1 for plain interest); 0 when gone
     */
    void interestChanged(String account, String subject, String queue, int weight);

    /**
     * As {@link #interestChanged(String, String, String, int)}, naming the leaf node cluster of the subscription
     * whose change this is, when it is a leaf connection's ({@link Link#remoteCluster()}; Go's {@code sub.origin},
     * which a route sends as {@code LS+ origin ...}); "" otherwise, and in a replay (as Go's sendSubsToRoute).
     *
     * @since API 2.5
     */
    default void interestChanged(String account, String subject, String queue, int weight, String origin) {
        interestChanged(account, subject, queue, weight);
    }
}
