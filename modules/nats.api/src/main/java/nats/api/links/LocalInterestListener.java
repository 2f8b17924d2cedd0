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
}
