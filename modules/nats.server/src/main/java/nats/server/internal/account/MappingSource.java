package nats.server.internal.account;

import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Subscriber;

/**
 * Stands in the sublist for the source of a plugin's subject mapping, so leaf nodes hear of it as of an import
 * (Go's initLeafNodeSmapAndSendSubs announces mapping sources) and send their requests here, where the mapping
 * applies. It takes no messages: a mapped message is matched on its destination.
 */
final class MappingSource implements Subscriber {

    static final MappingSource INSTANCE = new MappingSource();

    private MappingSource() {
    }

    @Override
    public boolean deliver(ServerSubscription subscription, RoutedMessage message) {
        return false;
    }

    @Override
    public void flushPending() {
    }

    /** Every server holds its own mappings: routes are not told. */
    @Override
    public boolean announcesInterest() {
        return false;
    }

    @Override
    public boolean announcesToLeaves() {
        return true;
    }
}
