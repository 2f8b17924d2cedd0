package nats.server.internal.routing;

import nats.api.links.LinkMessage;
import nats.api.links.QueueRole;
import nats.api.messaging.MessageOrigin;

/**
 * A link to another server holding interest in one account. The router never calls {@link #deliver} on it:
 * it collects the links a message goes to (once each, with the queue groups each was chosen for) and
 * hands the message over with {@link #forward} at the end (see {@link LinkRouting}).
 */
public interface RemoteSubscriber extends Subscriber {

    /** The account the interest is in, as the other side names it. */
    String account();

    /** Whether a message from {@code origin} goes to this link's plain interest. */
    boolean forwards(MessageOrigin origin);

    /** How this link's queue members are chosen for a message from {@code origin}. */
    QueueRole queueRole(MessageOrigin origin);

    /** Queues the message for the other side; see {@link nats.api.links.Link#send}. */
    boolean forward(LinkMessage message);

    /** Whether a message that {@code source} injected may go to this link (null: not from a link). */
    default boolean acceptsFrom(nats.api.links.Link source) {
        return true;
    }

    @Override
    default boolean deliver(ServerSubscription subscription, RoutedMessage message) {
        return false;
    }

    @Override
    default boolean announcesInterest() {
        return false;
    }
}
