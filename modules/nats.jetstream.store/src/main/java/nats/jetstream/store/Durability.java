package nats.jetstream.store;

import java.time.Duration;
import java.util.Objects;

/**
 * When appended messages count as durable (Go's {@code jetstream { sync_interval: ... }}).
 *
 * <p>{@link #ALWAYS}, the default, makes a file store {@code fsync} before it reports a message durable;
 * concurrent appends share one {@code fsync} (group commit). An interval reports messages durable as soon as
 * they are written to the operating system and syncs in the background at that interval: a crash of the
 * process loses nothing, a power failure can lose up to one interval of acknowledged messages.
 *
 * @param syncInterval how often to sync in the background; {@link Duration#ZERO} means sync before durable
 */
public record Durability(Duration syncInterval) {

    /** Sync before reporting durable (the default). */
    public static final Durability ALWAYS = new Durability(Duration.ZERO);

    public Durability {
        Objects.requireNonNull(syncInterval, "syncInterval");
        if (syncInterval.isNegative()) {
            throw new IllegalArgumentException("sync interval is negative: " + syncInterval);
        }
    }

    /** Report durable after the write, sync every {@code interval}. */
    public static Durability interval(Duration interval) {
        if (interval.isZero()) {
            throw new IllegalArgumentException("a sync interval must be positive; use Durability.ALWAYS");
        }
        return new Durability(interval);
    }

    /** Whether every durable report is preceded by a sync. */
    public boolean isAlways() {
        return syncInterval.isZero();
    }
}
