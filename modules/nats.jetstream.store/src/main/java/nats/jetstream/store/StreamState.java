package nats.jetstream.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A stream's state (Go's {@code StreamState}). {@link StreamStore#state()} fills every field;
 * {@link StreamStore#fastState()} leaves {@code deleted} empty (its count is still right).
 *
 * <p>With no messages, {@code firstSequence} is {@code lastSequence + 1} (where the next message will go)
 * and {@code firstTimestamp} is 0.
 *
 * @param messages messages stored
 * @param bytes bytes they take, counted as the Go server counts them for this storage type
 * @param firstSequence sequence of the first message
 * @param firstTimestamp its timestamp in nanoseconds since the epoch, 0 if none
 * @param lastSequence the highest sequence handed out (it never goes back, except by {@code truncate})
 * @param lastTimestamp timestamp of the last message, 0 if none was ever stored
 * @param numSubjects distinct subjects among the messages
 * @param numDeleted sequences between first and last that hold no message
 * @param deleted those sequences, ascending (empty in a fast state)
 * @param lost messages found damaged or missing, which are never served
 * @param consumers consumer stores open on this stream
 */
public record StreamState(long messages, long bytes, long firstSequence, long firstTimestamp, long lastSequence,
        long lastTimestamp, long numSubjects, long numDeleted, long[] deleted, LostData lost, int consumers) {

    public StreamState {
        deleted = deleted.clone();
        Objects.requireNonNull(lost, "lost");
    }

    @Override
    public long[] deleted() {
        return deleted.clone();
    }

    /** The first message's time, or {@link Instant#EPOCH} when there is none. */
    public Instant firstTime() {
        return Instant.ofEpochSecond(0, firstTimestamp);
    }

    /** The last message's time, or {@link Instant#EPOCH} when there is none. */
    public Instant lastTime() {
        return Instant.ofEpochSecond(0, lastTimestamp);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StreamState s && s.messages == messages && s.bytes == bytes
                && s.firstSequence == firstSequence && s.firstTimestamp == firstTimestamp
                && s.lastSequence == lastSequence && s.lastTimestamp == lastTimestamp && s.numSubjects == numSubjects
                && s.numDeleted == numDeleted && Arrays.equals(s.deleted, deleted) && s.lost.equals(lost)
                && s.consumers == consumers;
    }

    @Override
    public int hashCode() {
        return Objects.hash(messages, bytes, firstSequence, lastSequence, numDeleted);
    }

    @Override
    public String toString() {
        return "StreamState[msgs=" + messages + ", bytes=" + bytes + ", first=" + firstSequence + ", last="
                + lastSequence + ", subjects=" + numSubjects + ", deleted=" + numDeleted + ", lost=" + lost
                + ", consumers=" + consumers + "]";
    }
}
