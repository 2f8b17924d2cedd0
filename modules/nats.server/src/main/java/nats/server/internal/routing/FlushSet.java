package nats.server.internal.routing;

/**
 * The subscribers a reader queued messages for while processing one read; they are told to flush once
 * the whole read is processed, so a burst of messages leaves in few writes.
 */
public final class FlushSet {

    private static final int CAPACITY = 32;

    private final Subscriber[] members = new Subscriber[CAPACITY];
    private int size;

    public void add(Subscriber subscriber) {
        for (int i = 0; i < size; i++) {
            if (members[i] == subscriber) {
                return;
            }
        }
        if (size == CAPACITY) {
            // Large fan-out: flush this one now rather than track unboundedly.
            subscriber.flushPending();
            return;
        }
        members[size++] = subscriber;
    }

    public void flushAll() {
        for (int i = 0; i < size; i++) {
            members[i].flushPending();
            members[i] = null;
        }
        size = 0;
    }
}
