package nats.raft;

/**
 * What a RAFT group replicates into. Every method is called on the group's own thread, one at a time, in log
 * order; an implementation never sees an entry that was not committed, nor one whose checksum failed.
 */
public interface StateMachine {

    /** Applies the committed entry at {@code index}; indexes arrive in increasing order, without gaps except after {@link #restore}. */
    void apply(long index, byte[] data);

    /**
     * Called after the entries committed in one round were applied (one or more {@link #apply} calls), so work
     * that serves a whole batch (waking a writer, flushing answers) runs once per round, not once per entry.
     */
    default void applied() {
    }

    /** The state as of the last applied entry, to be kept as a snapshot (the log before it is then dropped). */
    byte[] snapshot();

    /** Replaces the whole state with a snapshot taken by {@link #snapshot()} on some member. */
    void restore(byte[] snapshot);
}
