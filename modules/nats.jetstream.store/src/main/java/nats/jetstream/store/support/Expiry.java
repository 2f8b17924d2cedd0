package nats.jetstream.store.support;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Schedules {@link StreamEngine#expire()} on the shared timer at the next {@code max_age} or TTL deadline.
 * At most one run is pending per store; an earlier deadline replaces a later one.
 */
final class Expiry {

    /** Runs are at least this far apart, so a stream of short TTLs does not keep the timer busy. */
    private static final long MIN_DELAY_NANOS = 1_000_000;

    private final StreamEngine engine;
    private ScheduledFuture<?> pending;
    private volatile long pendingAt = Long.MAX_VALUE;
    private boolean cancelled;

    Expiry(StreamEngine engine) {
        this.engine = engine;
    }

    /** Computes the next deadline and schedules a run for it. */
    void reschedule() {
        schedule(engine.nextDeadline(), true);
    }

    /** Makes sure a run is pending at or before {@code deadline}; cheap when one already is. */
    void hint(long deadline) {
        if (deadline >= pendingAt) {
            return;
        }
        schedule(deadline, true);
    }

    synchronized void cancel() {
        cancelled = true;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private synchronized void schedule(long deadline, boolean replaceLater) {
        if (cancelled || deadline == Long.MAX_VALUE) {
            return;
        }
        if (pending != null && !pending.isDone()) {
            if (pendingAt <= deadline || !replaceLater) {
                return;
            }
            pending.cancel(false);
        }
        long delay = Math.max(MIN_DELAY_NANOS, deadline - engine.now());
        pendingAt = deadline;
        pending = StoreThreads.timer().schedule(this::run, delay, TimeUnit.NANOSECONDS);
    }

    private void run() {
        synchronized (this) {
            pending = null;
            pendingAt = Long.MAX_VALUE;
        }
        long next;
        try {
            next = engine.expire();
        } catch (RuntimeException e) {
            System.getLogger(Expiry.class.getName()).log(System.Logger.Level.ERROR,
                    "JetStream stream '" + engine.config().name() + "': expiring messages failed: " + e, e);
            next = engine.now() + 1_000_000_000L;
        }
        schedule(next, true);
    }
}
