package nats.jetstream.store;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The messages of one stream (Go's {@code StreamStore}), in memory or on disk.
 *
 * <h2>Threads</h2>
 * Every method is thread-safe. The intended use is one writer (the stream's agent thread) calling the
 * methods that change the store, and any number of readers (direct get, consumers, monitoring) calling the
 * others concurrently. Writes are serialized by a write lock and never wait for storage to {@code fsync};
 * reads share a read lock and proceed together. The store runs its own threads: a timer that applies
 * {@code max_age} and per-message TTLs (its removals are writes like any other), and, in a file store, a
 * flusher that writes appended records to disk and syncs them.
 *
 * <h2>Durability</h2>
 * {@link #append} returns as soon as the message is in the store's memory and has a sequence; it is
 * readable at once. It becomes durable later: the {@link DurabilityListener} set with
 * {@link #setDurabilityListener} is told "durable through N" once per flush, covering every message up to N
 * (group commit, no allocation per message). JetStream sends publish acks from that call. {@link #sync()}
 * blocks until everything appended is durable.
 *
 * <h2>Sequences and timestamps</h2>
 * Sequences start at the configured first sequence and only grow; a sequence is never used twice, even after
 * damage, except after an explicit {@link #truncate}. Timestamps are nanoseconds since the epoch.
 *
 * <h2>Damage</h2>
 * A message found damaged (checksum, truncation) is never returned: it is reported once (log line, the
 * state's {@link StreamState#lost()}, {@link StoreStats#damageEvents()}) and treated as deleted.
 */
public interface StreamStore extends AutoCloseable {

    // --- identity and configuration -------------------------------------------------------------------

    /** {@code "memory"} or {@code "file"}. */
    String storageType();

    /** The configuration in force. */
    StreamConfig config();

    /**
     * Applies a new configuration: limits are enforced at once (discard old removes what no longer fits),
     * TTL and age timers start or stop. Compression applies to blocks sealed from now on.
     */
    void updateConfig(StreamConfig config);

    // --- writing ----------------------------------------------------------------------------------------

    /**
     * Stores a message under the next sequence, with the store's clock as its timestamp.
     *
     * @param subject its subject (a literal subject)
     * @param headers its NATS header block, or an empty array
     * @param payload its body
     * @param ttlSeconds per-message TTL (Go's {@code Nats-TTL}): positive expires it after that many seconds
     *     (if the stream allows TTLs), negative means it never expires (not even by {@code max_age}), 0 none
     * @throws StoreException {@link StoreException.Kind#MAX_MSGS}, {@link StoreException.Kind#MAX_BYTES},
     *     {@link StoreException.Kind#MAX_MSGS_PER_SUBJECT} (discard new),
     *     {@link StoreException.Kind#MSG_TOO_LARGE}, {@link StoreException.Kind#CLOSED},
     *     {@link StoreException.Kind#IO}
     */
    AppendResult append(String subject, byte[] headers, byte[] payload, long ttlSeconds);

    /**
     * Stores a message under a given sequence and timestamp (mirrors, replication). The sequence must be the
     * next one.
     *
     * @param checkDiscardNew whether discard-new limits may refuse it
     * @throws StoreException {@link StoreException.Kind#SEQUENCE_MISMATCH} when {@code sequence} is not the
     *     next sequence, or any error of {@link #append}
     */
    void storeRaw(String subject, byte[] headers, byte[] payload, long sequence, long timestamp, long ttlSeconds,
            boolean checkDiscardNew);

    /** Uses up the next sequence without storing a message; returns it. */
    long skip();

    /**
     * Uses up {@code count} sequences starting at {@code firstSequence}, which must be the next one.
     *
     * @throws StoreException {@link StoreException.Kind#SEQUENCE_MISMATCH}
     */
    void skip(long firstSequence, long count);

    /** Removes one message; false if there was none under that sequence. */
    boolean remove(long sequence);

    /** Removes one message and overwrites its stored bytes; false if there was none. */
    boolean erase(long sequence);

    /** Removes every message; the next one keeps counting from the last sequence. Returns how many. */
    long purge();

    /**
     * Removes messages matching {@code subjectFilter} (Go's {@code PurgeEx}).
     *
     * @param subjectFilter a subject or wildcard; empty or {@code >} for all
     * @param belowSequence if positive, only messages with a lower sequence
     * @param keep if positive, keep this many of the newest matching messages
     * @return how many were removed
     */
    long purge(String subjectFilter, long belowSequence, long keep);

    /**
     * Removes every message below {@code sequence}; beyond the last sequence, the next message gets
     * {@code sequence}. Returns how many were removed.
     */
    long compact(long sequence);

    /** Removes every message above {@code sequence}, which becomes the last sequence (0 resets the stream). */
    void truncate(long sequence);

    // --- durability ---------------------------------------------------------------------------------------

    /** Sets (or with {@code null} clears) the listener told how far appends are durable. */
    void setDurabilityListener(DurabilityListener listener);

    /** The highest sequence known durable. */
    long durableSequence();

    /** Blocks until every message appended so far is durable. */
    void sync();

    /**
     * Makes what was appended so far durable on the calling thread, if no flush is under way: writes (and
     * under {@code sync_interval: always} syncs) and tells the durability listener, on this thread, before
     * it returns. Returns {@code false} at once when a flush is already running, when the caller is a virtual
     * thread (a sync would pin its carrier), or when this store has no such work; the store's own flusher then
     * covers the appends as usual. A writer that calls this right
     * after appending (outside its own locks) saves the hand-off to the flusher and back: a lone writer
     * waiting for each ack pays one sync and no thread switch. Never needed for correctness.
     */
    default boolean flushOnCaller() {
        return false;
    }

    /**
     * Announces that the calling thread calls {@link #flushOnCaller()} after its next appends: until it does,
     * those appends do not wake the store's flusher (the caller's own round takes its place, and waking a
     * thread per message costs as much as the message). One thread at a time; a later caller replaces an
     * earlier one, whose appends then wake the flusher as usual.
     */
    default void deferFlushToCaller() {
    }

    /**
     * Wakes the store's flusher for appends whose wake-up was deferred ({@link #deferFlushToCaller()}) when the
     * caller decides not to run the round itself after all (e.g. a large batch, whose next messages should be
     * stored while this one syncs).
     */
    default void flushSoon() {
    }

    // --- reading ------------------------------------------------------------------------------------------

    /** The message under {@code sequence}, if there is one. */
    Optional<StoredMessage> load(long sequence);

    /** The first message at or after {@code fromSequence} whose subject matches {@code filter}. */
    Optional<StoredMessage> loadNext(SubjectFilter filter, long fromSequence);

    /** The last message at or before {@code fromSequence} whose subject matches {@code filter}. */
    Optional<StoredMessage> loadPrevious(SubjectFilter filter, long fromSequence);

    /** The last message on {@code subject} (which may be a wildcard, or {@code >} for the stream's last). */
    Optional<StoredMessage> loadLast(String subject);

    /** The subject of the message under {@code sequence}, without loading it. */
    Optional<String> subjectOf(long sequence);

    /**
     * The sequence of the first message stored at or after {@code time}; the last sequence plus one if
     * there is none.
     */
    long sequenceAt(Instant time);

    /** Messages matching {@code filter} at or after {@code fromSequence}. */
    SimpleState filteredState(long fromSequence, SubjectFilter filter);

    /** Per subject matching {@code filter} (empty for all): its messages, first and last sequence. */
    Map<String, SimpleState> subjectsState(String filter);

    /** Per subject matching {@code filter} (empty for all): its message count. */
    Map<String, Long> subjectsTotals(String filter);

    /**
     * How many messages matching {@code filter} are at or after {@code fromSequence}; with
     * {@code lastPerSubject}, how many subjects have their last message there.
     */
    NumPending numPending(long fromSequence, SubjectFilter filter, boolean lastPerSubject);

    /**
     * The last sequence of each subject matching {@code filter} among messages up to {@code upToSequence} (0
     * for all), ascending.
     *
     * @param maxAllowed if positive, the most results allowed
     * @throws StoreException {@link StoreException.Kind#TOO_MANY_RESULTS}
     */
    List<Long> lastSequences(SubjectFilter filter, long upToSequence, int maxAllowed);

    /** The full state, with the list of deleted sequences. */
    StreamState state();

    /** The state without the list of deleted sequences: cheap enough to call per request. */
    StreamState fastState();

    /** The last sequence ({@code fastState().lastSequence()} without building a state): for per-message checks. */
    default long lastSequence() {
        return fastState().lastSequence();
    }

    /** Counters for monitoring. */
    StoreStats stats();

    // --- listeners ----------------------------------------------------------------------------------------

    /** Adds a listener for stored and removed messages. */
    void addListener(StoreListener listener);

    /** Removes a listener added before. */
    void removeListener(StoreListener listener);

    // --- consumers ----------------------------------------------------------------------------------------

    /** Opens the state of consumer {@code name}, creating it if it does not exist. */
    ConsumerStore consumer(String name, ConsumerConfig config);

    /** Names of the consumers with stored state, sorted. */
    List<String> consumerNames();

    // --- owner metadata and snapshots ---------------------------------------------------------------------

    /** Stores the owner's metadata (JetStream's stream configuration), written safely and atomically. */
    void writeMetadata(byte[] metadata);

    /** The metadata last written, if any. */
    Optional<byte[]> metadata();

    /**
     * A snapshot of the stream (messages, deleted sequences, metadata, and optionally consumers) as a byte
     * stream that {@link StoreProvider#restore} of either storage type reads back. Messages appended or
     * removed while it is read may or may not be in it; every message in it is intact.
     */
    InputStream snapshot(boolean includeConsumers);

    // --- lifecycle ----------------------------------------------------------------------------------------

    /** Closes the store and removes everything it stored. */
    void delete();

    /** Makes everything durable and releases the store; a file store keeps its files for the next open. */
    @Override
    void close();
}
