package nats.api.links;

import java.util.Optional;

/**
 * Told of every change of interest in an account, whoever holds it: this server's own subscribers and the
 * interest links recorded (routes, gateways, leaf nodes). Leaf nodes need this wider view: a hub tells its
 * leaves of the interest its cluster holds, and each link applies its own audience rules (which holders it
 * announces to the other side) by looking at {@code holder}. Calls for one account come in the order of the
 * changes, while the account's interest is locked: the listener must be quick and must not block.
 *
 * @since API 2.2
 */
@FunctionalInterface
public interface InterestListener {

    /**
     * @param queue  the queue group, or null for plain interest
     * @param delta  how the holder's weight for this key changed: +1/-1 for a subscriber of this server or a
     *               link's plain interest, plus or minus the announced member count for a link's queue interest
     * @param holder the link that recorded the interest, empty for this server's own subscribers
     */
    void interestChanged(String account, String subject, String queue, int delta, Optional<Link> holder);
}
