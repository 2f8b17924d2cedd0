package nats.jetstream.store.support;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import nats.jetstream.store.AppendResult;
import nats.jetstream.store.ConsumerConfig;
import nats.jetstream.store.ConsumerStore;
import nats.jetstream.store.DiscardPolicy;
import nats.jetstream.store.DurabilityListener;
import nats.jetstream.store.NumPending;
import nats.jetstream.store.RemovalReason;
import nats.jetstream.store.SimpleState;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;
import nats.jetstream.store.StoreListener;
import nats.jetstream.store.StoreStats;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamState;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.SubjectFilter;

/**
 * The logical half of a stream store, shared by the memory and file backends: sequences, per-subject
 * indexes, limits and discard policies, TTL and age expiry, listeners, consumers and snapshots. Message bytes
 * live in a {@link MessageStorage}.
 *
 * <p>The engine is the thread-safe face: a read/write lock guards the {@link StreamLog} that holds the
 * state and applies every change. Writes (one stream agent, plus the expiry timer) take the write lock, reads
 * share the read lock. Listeners are called with the write lock held (see {@link StoreListener}).
 */
public final class StreamEngine implements StreamStore {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final Lock read = lock.readLock();
    final Lock write = lock.writeLock();
    final StreamLog log;
    private final Expiry expiry;
    private final Map<String, EngineConsumerStore> consumers = new TreeMap<>();
    private volatile boolean closed;
    private final long recoveryNanos;

    private StreamEngine(StreamConfig config, StoreContext context, MessageStorage storage) {
        this.log = new StreamLog(config, context, storage);
        this.expiry = new Expiry(this);
        long start = System.nanoTime();
        storage.configure(config);
        storage.recover(log.new Recovery(), (from, to) -> log.index.countBetween(from, to));
        this.recoveryNanos = System.nanoTime() - start;
    }

    /**
     * Opens an engine over {@code storage}, recovering what it holds, and applies the configuration's limits
     * and expiry.
     */
    public static StreamEngine open(StreamConfig config, StoreContext context, MessageStorage storage) {
        StreamEngine engine = new StreamEngine(config, context, storage);
        engine.write.lock();
        try {
            engine.log.applyLimits();
            engine.log.rebuildTtls();
        } finally {
            engine.write.unlock();
        }
        engine.expiry.reschedule();
        return engine;
    }

    /** Opens an engine over empty {@code storage} and fills it from a snapshot. */
    public static StreamEngine restore(StreamConfig config, StoreContext context, MessageStorage storage,
            InputStream snapshot) {
        StreamEngine engine = open(config.toBuilder().firstSequence(0).build(), context, storage);
        try {
            SnapshotReader.read(snapshot, new SnapshotRestore(engine));
            engine.updateConfig(config);
        } catch (RuntimeException e) {
            engine.delete();
            throw e;
        }
        return engine;
    }

    // --- identity and configuration -------------------------------------------------------------------

    @Override
    public String storageType() {
        return log.storage.storageType();
    }

    @Override
    public StreamConfig config() {
        return log.config;
    }

    @Override
    public void updateConfig(StreamConfig newConfig) {
        write.lock();
        try {
            checkOpen();
            log.configure(newConfig);
        } finally {
            write.unlock();
        }
        expiry.reschedule();
    }

    // --- writing ----------------------------------------------------------------------------------------

    @Override
    public AppendResult append(String subject, byte[] headers, byte[] payload, long ttlSeconds) {
        long hint;
        AppendResult result;
        write.lock();
        try {
            checkOpen();
            long timestamp = log.now();
            long sequence = log.lastSeq + 1;
            hint = log.store(subject, headers, payload, sequence, timestamp, ttlSeconds, true);
            result = new AppendResult(sequence, timestamp);
        } finally {
            write.unlock();
        }
        afterStore(result.sequence(), hint);
        return result;
    }

    @Override
    public void storeRaw(String subject, byte[] headers, byte[] payload, long sequence, long timestamp,
            long ttlSeconds, boolean checkDiscardNew) {
        long hint;
        long stored;
        write.lock();
        try {
            checkOpen();
            stored = sequence;
            if (stored != log.lastSeq + 1) {
                if (stored > 0) {
                    throw new StoreException(Kind.SEQUENCE_MISMATCH);
                }
                stored = log.lastSeq + 1;
            }
            hint = log.store(subject, headers, payload, stored, timestamp, ttlSeconds, checkDiscardNew);
        } finally {
            write.unlock();
        }
        afterStore(stored, hint);
    }

    /** Outside the lock: lets storage report durability, and makes sure expiry will look at the message. */
    private void afterStore(long sequence, long deadline) {
        log.storage.appended(sequence);
        if (deadline != Long.MAX_VALUE) {
            expiry.hint(deadline);
        }
    }

    @Override
    public long skip() {
        write.lock();
        try {
            checkOpen();
            long sequence = log.lastSeq + 1;
            log.skipRange(sequence, 1);
            return sequence;
        } finally {
            write.unlock();
        }
    }

    @Override
    public void skip(long first, long count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        write.lock();
        try {
            checkOpen();
            long from = first;
            if (from != log.lastSeq + 1) {
                if (from > 0) {
                    throw new StoreException(Kind.SEQUENCE_MISMATCH);
                }
                from = log.lastSeq + 1;
            }
            log.skipRange(from, count);
        } finally {
            write.unlock();
        }
    }

    @Override
    public boolean remove(long sequence) {
        return removeOne(sequence, RemovalReason.REMOVED, false);
    }

    @Override
    public boolean erase(long sequence) {
        return removeOne(sequence, RemovalReason.ERASED, true);
    }

    private boolean removeOne(long sequence, RemovalReason reason, boolean erase) {
        write.lock();
        try {
            checkOpen();
            return log.removeMessage(sequence, reason, erase);
        } finally {
            write.unlock();
        }
    }

    @Override
    public long purge() {
        write.lock();
        try {
            checkOpen();
            return log.purgeAll(log.lastSeq + 1);
        } finally {
            write.unlock();
        }
    }

    @Override
    public long purge(String subjectFilter, long belowSequence, long keep) {
        if (belowSequence == 1) {
            return 0; // "below 1" removes nothing, as in Go
        }
        String filterText = subjectFilter == null ? "" : subjectFilter;
        if (filterText.isEmpty() || filterText.equals(">")) {
            if (keep <= 0 && belowSequence <= 0) {
                return purge();
            }
            if (belowSequence > 1) {
                return compact(belowSequence);
            }
        }
        SubjectFilter filter = SubjectFilter.of(filterText);
        write.lock();
        try {
            checkOpen();
            return log.purgeMatching(filter, belowSequence, keep);
        } finally {
            write.unlock();
        }
    }

    @Override
    public long compact(long sequence) {
        if (sequence <= 0) {
            return purge();
        }
        write.lock();
        try {
            checkOpen();
            return log.compactBelow(sequence);
        } finally {
            write.unlock();
        }
    }

    @Override
    public void truncate(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence is negative: " + sequence);
        }
        write.lock();
        try {
            checkOpen();
            log.truncateTo(sequence);
        } finally {
            write.unlock();
        }
    }

    // --- expiry -------------------------------------------------------------------------------------------

    /** Runs expiry under the write lock (the timer thread); returns the next deadline. */
    long expire() {
        write.lock();
        try {
            return closed ? Long.MAX_VALUE : log.expire();
        } finally {
            write.unlock();
        }
    }

    /** The earliest deadline (age or TTL) of what is stored. */
    long nextDeadline() {
        read.lock();
        try {
            return log.nextDeadline();
        } finally {
            read.unlock();
        }
    }

    long now() {
        return log.now();
    }

    // --- durability ---------------------------------------------------------------------------------------

    @Override
    public void setDurabilityListener(DurabilityListener listener) {
        log.storage.setDurabilityListener(listener);
    }

    @Override
    public long durableSequence() {
        return log.storage.durableSequence();
    }

    @Override
    public void sync() {
        checkOpen();
        log.storage.sync();
    }

    @Override
    public void deferFlushToCaller() {
        log.storage.deferFlushToCaller();
    }

    @Override
    public void flushSoon() {
        log.storage.flushSoon();
    }

    @Override
    public boolean flushOnCaller() {
        return !closed && log.storage.flushOnCaller();
    }

    // --- reading ------------------------------------------------------------------------------------------

    @Override
    public Optional<StoredMessage> load(long sequence) {
        while (true) {
            read.lock();
            try {
                checkOpen();
                int subjectId = log.index.subjectId(sequence);
                if (subjectId < 0) {
                    return Optional.empty();
                }
                StoredMessage message = log.readSlot(sequence, subjectId);
                if (message != null) {
                    return Optional.of(message);
                }
            } finally {
                read.unlock();
            }
            damaged(sequence);
        }
    }


    @Override
    public Optional<StoredMessage> loadNext(SubjectFilter filter, long fromSequence) {
        // A consumer's per-message look: a static method reference captures nothing, so nothing is allocated.
        return loadFound(EngineQueries::nextMatching, filter, fromSequence);
    }

    @Override
    public Optional<StoredMessage> loadPrevious(SubjectFilter filter, long fromSequence) {
        return loadFound(EngineQueries::previousMatching, filter, fromSequence);
    }

    @Override
    public Optional<StoredMessage> loadLast(String subject) {
        return loadFound((log, filter, from) -> EngineQueries.lastMatching(log, subject), null, 0);
    }

    /** Finds the sequence of a message in the log, from {@code from} and matching {@code filter}; 0 for none. */
    private interface SequenceFinder {
        long find(StreamLog log, SubjectFilter filter, long from);
    }

    /** Finds a sequence and reads it under one read lock; skips (and reports) damaged messages. */
    private Optional<StoredMessage> loadFound(SequenceFinder finder, SubjectFilter filter, long fromSequence) {
        while (true) {
            long sequence;
            read.lock();
            try {
                checkOpen();
                sequence = finder.find(log, filter, fromSequence);
                if (sequence <= 0) {
                    return Optional.empty();
                }
                StoredMessage message = log.readSlot(sequence, log.index.subjectId(sequence));
                if (message != null) {
                    return Optional.of(message);
                }
            } finally {
                read.unlock();
            }
            damaged(sequence);
        }
    }

    @Override
    public Optional<String> subjectOf(long sequence) {
        read.lock();
        try {
            checkOpen();
            int subjectId = log.index.subjectId(sequence);
            return subjectId < 0 ? Optional.empty() : Optional.of(log.subjects.byId(subjectId).subject());
        } finally {
            read.unlock();
        }
    }

    @Override
    public long sequenceAt(Instant time) {
        long target = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        read.lock();
        try {
            checkOpen();
            return EngineQueries.sequenceAt(log, target);
        } finally {
            read.unlock();
        }
    }

    @Override
    public SimpleState filteredState(long fromSequence, SubjectFilter filter) {
        read.lock();
        try {
            checkOpen();
            return EngineQueries.filteredState(log, fromSequence, filter);
        } finally {
            read.unlock();
        }
    }

    @Override
    public Map<String, SimpleState> subjectsState(String filter) {
        read.lock();
        try {
            checkOpen();
            return EngineQueries.subjectsState(log, SubjectFilter.of(filter == null ? "" : filter));
        } finally {
            read.unlock();
        }
    }

    @Override
    public Map<String, Long> subjectsTotals(String filter) {
        read.lock();
        try {
            checkOpen();
            return EngineQueries.subjectsTotals(log, SubjectFilter.of(filter == null ? "" : filter));
        } finally {
            read.unlock();
        }
    }

    @Override
    public NumPending numPending(long fromSequence, SubjectFilter filter, boolean lastPerSubject) {
        read.lock();
        try {
            checkOpen();
            return new NumPending(EngineQueries.numPending(log, fromSequence, filter, lastPerSubject), log.lastSeq);
        } finally {
            read.unlock();
        }
    }

    @Override
    public List<Long> lastSequences(SubjectFilter filter, long upToSequence, int maxAllowed) {
        read.lock();
        try {
            checkOpen();
            return EngineQueries.lastSequences(log, filter, upToSequence, maxAllowed);
        } finally {
            read.unlock();
        }
    }

    @Override
    public StreamState state() {
        read.lock();
        try {
            checkOpen();
            return log.buildState(true, consumerCount());
        } finally {
            read.unlock();
        }
    }

    @Override
    public long lastSequence() {
        read.lock();
        try {
            checkOpen();
            return log.lastSeq;
        } finally {
            read.unlock();
        }
    }

    @Override
    public StreamState fastState() {
        read.lock();
        try {
            checkOpen();
            return log.buildState(false, consumerCount());
        } finally {
            read.unlock();
        }
    }


    @Override
    public StoreStats stats() {
        long[] counters = new long[5];
        log.storage.addStats(counters);
        read.lock();
        try {
            return new StoreStats(log.damageEvents + counters[4], log.lost.total(), counters[0], counters[1], counters[2], counters[3],
                    recoveryNanos);
        } finally {
            read.unlock();
        }
    }

    private int consumerCount() {
        synchronized (consumers) {
            return consumers.size();
        }
    }

    /** Takes a message found damaged on read out of the stream and records it as lost. */
    private void damaged(long sequence) {
        write.lock();
        try {
            log.damaged(sequence);
        } finally {
            write.unlock();
        }
    }

    // --- listeners ----------------------------------------------------------------------------------------

    @Override
    public void addListener(StoreListener listener) {
        log.addListener(listener);
    }

    @Override
    public void removeListener(StoreListener listener) {
        log.removeListener(listener);
    }

    // --- consumers ----------------------------------------------------------------------------------------

    @Override
    public ConsumerStore consumer(String name, ConsumerConfig consumerConfig) {
        if (name == null || name.isEmpty()) {
            throw new StoreException(Kind.BAD_REQUEST, "bad consumer config");
        }
        checkOpen();
        synchronized (consumers) {
            EngineConsumerStore open = consumers.get(name);
            if (open != null) {
                open.updateConfig(consumerConfig);
                return open;
            }
            EngineConsumerStore store = new EngineConsumerStore(name, consumerConfig, log.storage.consumer(name),
                    this::consumerClosed);
            store.load();
            consumers.put(name, store);
            return store;
        }
    }

    /** The consumer store open under {@code name}, or {@code null}. */
    EngineConsumerStore openConsumer(String name) {
        synchronized (consumers) {
            return consumers.get(name);
        }
    }

    private void consumerClosed(EngineConsumerStore store) {
        synchronized (consumers) {
            consumers.remove(store.name(), store);
        }
    }

    @Override
    public List<String> consumerNames() {
        checkOpen();
        TreeSet<String> names = new TreeSet<>(log.storage.consumerNames());
        synchronized (consumers) {
            names.addAll(consumers.keySet());
        }
        return List.copyOf(names);
    }

    // --- owner metadata and snapshots ---------------------------------------------------------------------

    @Override
    public void writeMetadata(byte[] metadata) {
        checkOpen();
        log.storage.writeMetadata(metadata.clone());
    }

    @Override
    public Optional<byte[]> metadata() {
        checkOpen();
        return log.storage.metadata();
    }

    @Override
    public InputStream snapshot(boolean includeConsumers) {
        checkOpen();
        return new SnapshotWriter(this, includeConsumers);
    }

    // --- lifecycle ----------------------------------------------------------------------------------------

    @Override
    public void delete() {
        shutDown();
        log.storage.delete();
    }

    @Override
    public void close() {
        if (shutDown()) {
            log.storage.close();
        }
    }

    /** Stops timers and consumers; true if this call closed the store. */
    private boolean shutDown() {
        write.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
        } finally {
            write.unlock();
        }
        expiry.cancel();
        List<EngineConsumerStore> open;
        synchronized (consumers) {
            open = new ArrayList<>(consumers.values());
        }
        for (EngineConsumerStore store : open) {
            store.close();
        }
        return true;
    }

    // --- helpers for the package ----------------------------------------------------------------------------

    boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new StoreException(Kind.CLOSED);
        }
    }
}
