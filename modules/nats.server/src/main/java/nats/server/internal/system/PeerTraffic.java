package nats.server.internal.system;

import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Subscriber;

/**
 * Where the Go server listens for other servers of its cluster (their statistics, shutdowns, connection
 * counts, latency reports, inbox replies). The other servers' statistics and shutdowns keep the count of
 * active servers (Go's {@code active_servers}: those heard from within three heartbeats); the rest needs no
 * answer, and the subscriptions exist so that the system account looks as it does on a Go server.
 */
final class PeerTraffic implements Subscriber {

    /** Go forgets a server it has not heard from in three heartbeats (orphMax). */
    private static final long ORPHAN_NANOS = 3 * SystemEvents.HEARTBEAT_MILLIS * 1_000_000L;

    private final boolean announced;
    private final String ownId;
    private final java.util.Map<String, Long> servers = new java.util.concurrent.ConcurrentHashMap<>();

    PeerTraffic(String ownId) {
        this(true, ownId);
    }

    /** @param announced false for Go's internal-only subscriptions, which routes never hear of */
    PeerTraffic(boolean announced, String ownId) {
        this.announced = announced;
        this.ownId = ownId;
    }

    /** This server and the others heard from lately (Go's active_servers). */
    int activeServers() {
        long now = System.nanoTime();
        servers.values().removeIf(seen -> now - seen > ORPHAN_NANOS);
        return 1 + servers.size();
    }

    @Override
    public boolean announcesInterest() {
        return announced;
    }

    @Override
    public boolean deliver(ServerSubscription subscription, RoutedMessage message) {
        String subject = subscription.subject();
        if (subject.equals("$SYS.SERVER.*.STATSZ") || subject.equals("$SYS.SERVER.*.SHUTDOWN")) {
            String[] tokens = message.subjectString().split("\\.");
            if (tokens.length == 4 && !tokens[2].equals(ownId)) {
                if (tokens[3].equals("STATSZ")) {
                    servers.put(tokens[2], System.nanoTime());
                } else {
                    servers.remove(tokens[2]);
                }
            }
        }
        return true;
    }

    @Override
    public void flushPending() {
        // Nothing is queued.
    }
}
