package nats.server.internal.routing;

import java.util.Arrays;

/**
 * The subscribers a producer queued messages for while processing one read (or one batch); each is told to
 * flush once the whole batch is processed, so a burst of messages leaves in few writes. Like the Go server's
 * per-read client set it has no size limit: a fan-out to hundreds of subscribers wakes each once per batch.
 * Used by one thread; allocation-free once grown.
 */
public final class FlushSet {

    /** Up to this many members a linear scan finds duplicates faster than hashing. */
    private static final int LINEAR = 8;

    // Object[] rather than Subscriber[]: a store into an array of an interface type is type-checked, and that
    // check's speculation failed (and recompiled the routing path, Router.deliver included) up to four times in
    // a fresh server; an Object[] store needs no check.
    private Object[] members = new Object[16];
    private int size;
    /** Open-addressing identity set over {@link #members}, used once the set outgrows {@link #LINEAR}. */
    private Object[] table = new Object[32];
    /** Scratch for the links one message goes to; made on first use, so a server without links has none. */
    private LinkTargets linkTargets;

    LinkTargets linkTargets() {
        LinkTargets targets = linkTargets;
        if (targets == null) {
            targets = linkTargets = new LinkTargets();
        }
        return targets;
    }

    public void add(Subscriber subscriber) {
        if (size < LINEAR) {
            for (int i = 0; i < size; i++) {
                if (members[i] == subscriber) {
                    return;
                }
            }
            if (size == LINEAR - 1) {
                // About to leave the linear range: index what is there.
                for (int i = 0; i < size; i++) {
                    insert((Subscriber) members[i]);
                }
                insert(subscriber);
            }
        } else if (!insert(subscriber)) {
            return;
        }
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
        }
        members[size++] = subscriber;
    }

    /** @return false when already present */
    private boolean insert(Subscriber subscriber) {
        if ((size + 1) * 2 > table.length) {
            rehash(table.length * 2);
        }
        int mask = table.length - 1;
        int i = mix(System.identityHashCode(subscriber)) & mask;
        while (table[i] != null) {
            if (table[i] == subscriber) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = subscriber;
        return true;
    }

    private void rehash(int capacity) {
        table = new Object[capacity];
        int mask = capacity - 1;
        for (int m = 0; m < size; m++) {
            int i = mix(System.identityHashCode(members[m])) & mask;
            while (table[i] != null) {
                i = (i + 1) & mask;
            }
            table[i] = members[m];
        }
    }

    private static int mix(int h) {
        return h ^ (h >>> 16);
    }

    public void flushAll() {
        int n = size;
        for (int i = 0; i < n; i++) {
            ((Subscriber) members[i]).flushPending();
            members[i] = null;
        }
        if (n >= LINEAR - 1) {
            Arrays.fill(table, null);
        }
        size = 0;
    }
}
