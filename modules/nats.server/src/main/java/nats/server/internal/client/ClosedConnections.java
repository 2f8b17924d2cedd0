package nats.server.internal.client;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The most recently closed connections, oldest first, for /connz {@code state=closed}: a ring of Go's
 * default size (10,000, {@code DEFAULT_MAX_CLOSED_CLIENTS}); the oldest falls out when it is full.
 */
public final class ClosedConnections {

    /** Go's DEFAULT_MAX_CLOSED_CLIENTS. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final ArrayDeque<ConnectionSnapshot> ring = new ArrayDeque<>();

    public ClosedConnections(int capacity) {
        this.capacity = capacity;
    }

    /** Remembers {@code c}, which is closing now; its subscriptions are still in place. */
    public void closed(Client c, String globalAccount) {
        ConnectionSnapshot snapshot = ConnectionSnapshot.of(c, globalAccount, Instant.now(), true);
        synchronized (ring) {
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(snapshot);
        }
    }

    public List<ConnectionSnapshot> list() {
        synchronized (ring) {
            return List.copyOf(ring);
        }
    }
}
