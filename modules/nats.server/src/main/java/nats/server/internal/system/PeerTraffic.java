package nats.server.internal.system;

import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Subscriber;

/**
 * Where the Go server listens for other servers of its cluster (their statistics, shutdowns, connection
 * counts, latency reports, inbox replies). jnatsd has no cluster yet, so nothing arrives there that needs an
 * answer; the subscriptions exist so that the system account looks as it does on a Go server (the same
 * subjects and counts in /subsz, /varz and /accountz), and they are where cluster support will plug in.
 */
final class PeerTraffic implements Subscriber {

    private final boolean announced;

    PeerTraffic() {
        this(true);
    }

    /** @param announced false for Go's internal-only subscriptions, which routes never hear of */
    PeerTraffic(boolean announced) {
        this.announced = announced;
    }

    @Override
    public boolean announcesInterest() {
        return announced;
    }

    @Override
    public boolean deliver(ServerSubscription subscription, RoutedMessage message) {
        return true;
    }

    @Override
    public void flushPending() {
        // Nothing is queued.
    }
}
