package nats.server.internal.client;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small, fixed budget of platform threads for the busiest connections' readers and flushers.
 *
 * <p>Every connection starts with a virtual reader and a virtual flusher, which keeps 10,000 idle
 * connections cheap. Each wake-up of a virtual thread goes through the scheduler (epoll poller, then a
 * carrier), which on a small machine adds tens of microseconds to a request/reply round trip; a blocked
 * platform thread is woken by the kernel directly. So a loop that wakes often moves to a platform thread
 * while the budget allows, and moves back when it has gone quiet.
 *
 * <p>The budget is {@code -Dnats.server.platformThreads=N} threads (each promoted reader or flusher takes
 * one; 0 keeps every loop virtual), by default eight per available processor.
 */
final class PlatformThreads {

    /** Wake-ups are counted in windows of this length. */
    static final long WINDOW_NANOS = 100_000_000L;
    /** A virtual loop with this many wake-ups within one window is busy: at least 1,000 a second. */
    static final int PROMOTE_EVENTS = 100;
    /** A platform loop that ends a window with fewer wake-ups than this (100 a second) is quiet. */
    static final int DEMOTE_EVENTS = 10;
    /**
     * A virtual loop with this many blocked wake-ups within one window (200 a second) moves too: each of them
     * pinned its carrier (a disk sync before a JetStream ack, typically), which the JDK compensates with another
     * carrier, and its next wake-up goes through the poller and a carrier again; on a platform thread both are
     * a plain kernel wake-up. A synchronous publisher waiting for a slow disk never reaches the busy rate.
     */
    static final int PROMOTE_BLOCKED_EVENTS = 20;
    /**
     * A platform loop with this many blocked wake-ups in a window is not quiet however few its wake-ups: moving
     * back and forth whenever the disk stalls would cost a new thread each time and the virtual path meanwhile.
     */
    static final int DEMOTE_BLOCKED_EVENTS = 2;
    /** A wake-up whose processing took this long blocked on something (a sync) rather than computed. */
    static final long BLOCKED_NANOS = 30_000;

    static final PlatformThreads SHARED = new PlatformThreads(budgetFromProperty());

    private final int max;
    private final AtomicInteger inUse = new AtomicInteger();

    PlatformThreads(int max) {
        this.max = Math.max(0, max);
    }

    private static int budgetFromProperty() {
        int fallback = 8 * Runtime.getRuntime().availableProcessors();
        String value = System.getProperty("nats.server.platformThreads");
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            System.getLogger(PlatformThreads.class.getName()).log(System.Logger.Level.WARNING,
                    "ignoring nats.server.platformThreads={0}: not a number", value);
            return fallback;
        }
    }

    /** Platform threads currently taken. */
    int inUse() {
        return inUse.get();
    }

    /** Takes one platform thread from the budget, if one is left. */
    boolean tryAcquire() {
        while (true) {
            int n = inUse.get();
            if (n >= max) {
                return false;
            }
            if (inUse.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Returns a platform thread taken with {@link #tryAcquire()}. */
    void release() {
        inUse.decrementAndGet();
    }

    /**
     * A new, unstarted thread of the other kind than the caller's for {@code task}: a platform thread
     * (whose budget the caller already took) when the caller is virtual, a virtual thread otherwise.
     */
    static Thread unstartedOther(boolean callerOnPlatform, String name, Runnable task) {
        return callerOnPlatform ? Thread.ofVirtual().name(name).unstarted(task)
                : Thread.ofPlatform().name(name).daemon(true).unstarted(task);
    }

    /**
     * The wake-ups of one loop (one reader or one flusher), counted by that loop's own thread only. It
     * says when the loop should change thread kind: promotion as soon as a window is busy, demotion when
     * a whole window was quiet.
     */
    static final class Activity {

        private long windowStart;
        private int events;
        private int blockedEvents;

        Activity() {
            this(System.nanoTime());
        }

        Activity(long nowNanos) {
            windowStart = nowNanos;
        }

        /** Counts one wake-up; true when a loop running on the given kind of thread should move. */
        boolean shouldMove(boolean onPlatform) {
            return shouldMove(onPlatform, System.nanoTime());
        }

        boolean shouldMove(boolean onPlatform, long now) {
            return shouldMove(onPlatform, now, false);
        }

        /**
         * Counts one wake-up, {@code blocked} if its processing took {@link #BLOCKED_NANOS} or more; true when
         * a loop running on the given kind of thread should move.
         */
        boolean shouldMove(boolean onPlatform, long now, boolean blocked) {
            long elapsed = now - windowStart;
            if (elapsed < WINDOW_NANOS) {
                events++;
                if (blocked) {
                    blockedEvents++;
                }
                return !onPlatform && (events >= PROMOTE_EVENTS || blockedEvents >= PROMOTE_BLOCKED_EVENTS);
            }
            // This wake-up opens a new window. The old one was quiet if it had few wake-ups (and not several
            // blocked ones: a synchronous publisher whose disk stalls for tens of ms is waiting, not idle), or
            // if a whole window has passed since it ended without any (a busy loop that suddenly stopped).
            boolean quiet = (events < DEMOTE_EVENTS && blockedEvents < DEMOTE_BLOCKED_EVENTS)
                    || elapsed >= 2 * WINDOW_NANOS;
            windowStart = now;
            events = 1;
            blockedEvents = blocked ? 1 : 0;
            return onPlatform && quiet;
        }
    }
}
