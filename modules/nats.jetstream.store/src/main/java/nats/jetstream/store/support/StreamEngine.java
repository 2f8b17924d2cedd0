package nats.jetstream.store.support;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
 * <p>A read/write lock guards everything: writes (one stream agent, plus the expiry timer) take the write
 * lock, reads share the read lock. Listeners are called with the write lock held (see
 * {@link StoreListener}).
 */
public final class StreamEngine implements StreamStore {

    private static final String ROLLUP_HEADER = "Nats-Rollup";

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final Lock read = lock.readLock();
    final Lock write = lock.writeLock();
    final MessageStorage storage;
    final StoreContext context;
    private final System.Logger logger;
    final SequenceIndex index;
    final SubjectTable subjects = new SubjectTable();
    private final ExpiryQueue ttls = new ExpiryQueue();
    private final LostTracker lost = new LostTracker();
    private final MessageStorage.Slot slot = new MessageStorage.Slot();
    private final Expiry expiry;
    private final Map<String, EngineConsumerStore> consumers = new TreeMap<>();
    private volatile StreamConfig config;
    private volatile StoreListener[] listeners = new StoreListener[0];
    private volatile boolean closed;
    private long damageEvents;
    private final long recoveryNanos;

    // Stream state, guarded by the lock.
    long messages;
    long bytes;
    long firstSeq;
    long firstTs;
    long lastSeq;
    long lastTs;

    private StreamEngine(StreamConfig config, StoreContext context, MessageStorage storage) {
        this.config = config;
        this.context = context;
        this.logger = context.logger();
        this.storage = storage;
        this.index = new SequenceIndex(storage.usesReferences());
        long first = Math.max(1, config.firstSequence());
        this.firstSeq = first;
        this.lastSeq = first - 1;
        this.expiry = new Expiry(this);
        long start = System.nanoTime();
        storage.configure(config);
        storage.recover(new Recovery(), (from, to) -> index.countBetween(from, to));
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
            engine.applyLimits();
            engine.rebuildTtls();
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
        return storage.storageType();
    }

    @Override
    public StreamConfig config() {
        return config;
    }

    @Override
    public void updateConfig(StreamConfig newConfig) {
        write.lock();
        try {
            checkOpen();
            boolean ttlWasOn = config.allowMessageTtl();
            config = newConfig;
            storage.configure(newConfig);
            if (newConfig.allowMessageTtl() != ttlWasOn) {
                rebuildTtls();
            }
            applyLimits();
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
            long timestamp = now();
            long sequence = lastSeq + 1;
            hint = store(subject, headers, payload, sequence, timestamp, ttlSeconds, true);
            result = new AppendResult(sequence, timestamp);
        } finally {
            write.unlock();
        }
        storage.appended(result.sequence());
        if (hint != Long.MAX_VALUE) {
            expiry.hint(hint);
        }
        return result;
    }

    @Override
    public void storeRaw(String subject, byte[] headers, byte[] payload, long sequence, long timestamp,
            long ttlSeconds, boolean checkDiscardNew) {
        long hint;
        write.lock();
        try {
            checkOpen();
            if (sequence != lastSeq + 1) {
                if (sequence > 0) {
                    throw new StoreException(Kind.SEQUENCE_MISMATCH);
                }
                sequence = lastSeq + 1;
            }
            hint = store(subject, headers, payload, sequence, timestamp, ttlSeconds, checkDiscardNew);
        } finally {
            write.unlock();
        }
        storage.appended(sequence);
        if (hint != Long.MAX_VALUE) {
            expiry.hint(hint);
        }
    }

    /** Stores a message (write lock held); returns its expiry deadline, or {@link Long#MAX_VALUE}. */
    private long store(String subject, byte[] headers, byte[] payload, long sequence, long timestamp, long ttl,
            boolean checkDiscardNew) {
        if (headers == null) {
            headers = new byte[0];
        }
        StreamConfig cfg = config;
        if (cfg.maxMessageSize() > 0 && (long) headers.length + payload.length > cfg.maxMessageSize()) {
            throw new StoreException(Kind.MSG_TOO_LARGE);
        }
        if ((long) subject.length() + headers.length + payload.length > storage.maxRecordSize()) {
            throw new StoreException(Kind.MSG_TOO_LARGE);
        }
        long size = storage.messageSize(subject.length(), headers.length, payload.length);
        SubjectInfo existing = subjects.get(subject);
        long perSubject = cfg.maxMessagesPerSubject();
        boolean atSubjectLimit = perSubject > 0 && existing != null && existing.count() >= perSubject;
        if (checkDiscardNew && cfg.discard() == DiscardPolicy.NEW) {
            checkDiscardNew(cfg, existing, atSubjectLimit, size, headers);
        }
        // Everything that allocates comes before the write, so a failure cannot leave a record on disk that
        // the index does not know.
        SubjectInfo info = existing != null ? existing : subjects.intern(subject);
        storage.write(sequence, timestamp, subject, headers, payload, ttl, slot);
        byte flags = ttl > 0 ? SequenceIndex.FLAG_TTL : ttl < 0 ? SequenceIndex.FLAG_NEVER_EXPIRES : 0;
        index.add(sequence, info.id(), (int) size, timestamp, flags, slot.location, slot.reference);
        slot.reference = null;
        subjects.add(info, sequence);
        if (messages == 0) {
            firstSeq = sequence;
            firstTs = timestamp;
        }
        messages++;
        bytes += size;
        lastSeq = sequence;
        lastTs = timestamp;
        for (StoreListener listener : listeners) {
            listener.stored(sequence, subject, size);
        }
        if (perSubject > 0) {
            while (info.count() > perSubject) {
                removeMessage(info.first(), RemovalReason.LIMITS, false);
            }
        }
        enforceMessageAndByteLimits();
        long deadline = Long.MAX_VALUE;
        if (ttl > 0 && cfg.allowMessageTtl()) {
            deadline = timestamp + ttl * 1_000_000_000L;
            ttls.add(deadline, sequence);
        }
        long maxAge = cfg.maxAge().toNanos();
        if (maxAge > 0 && ttl >= 0) {
            deadline = Math.min(deadline, firstTs + maxAge);
        }
        return deadline;
    }

    private void checkDiscardNew(StreamConfig cfg, SubjectInfo existing, boolean atSubjectLimit, long size,
            byte[] headers) {
        if (atSubjectLimit && cfg.discardNewPerSubject() && !Headers.contains(headers, ROLLUP_HEADER)) {
            throw new StoreException(Kind.MAX_MSGS_PER_SUBJECT);
        }
        if (cfg.maxMessages() > 0 && messages >= cfg.maxMessages() && !atSubjectLimit) {
            throw new StoreException(Kind.MAX_MSGS);
        }
        if (cfg.maxBytes() > 0 && bytes + size > cfg.maxBytes()) {
            // At the subject limit the subject's oldest message goes: that must make enough room.
            if (!atSubjectLimit || index.size(existing.first()) < size) {
                throw new StoreException(Kind.MAX_BYTES);
            }
        }
    }

    private void enforceMessageAndByteLimits() {
        StreamConfig cfg = config;
        if (cfg.discard() != DiscardPolicy.OLD) {
            return;
        }
        while (cfg.maxMessages() > 0 && messages > cfg.maxMessages()) {
            removeMessage(firstSeq, RemovalReason.LIMITS, false);
        }
        while (cfg.maxBytes() > 0 && bytes > cfg.maxBytes() && messages > 0) {
            removeMessage(firstSeq, RemovalReason.LIMITS, false);
        }
    }

    /** Applies every limit to what is stored (after opening or a configuration change). */
    private void applyLimits() {
        long perSubject = config.maxMessagesPerSubject();
        if (perSubject > 0) {
            for (SubjectInfo info : new ArrayList<>(subjects.matching(SubjectFilter.ALL))) {
                while (info.count() > perSubject) {
                    removeMessage(info.first(), RemovalReason.LIMITS, false);
                }
            }
        }
        enforceMessageAndByteLimits();
    }

    private void rebuildTtls() {
        ttls.clear();
        if (!config.allowMessageTtl()) {
            return;
        }
        for (long seq = index.next(firstSeq); seq >= 0; seq = index.next(seq + 1)) {
            if ((index.flags(seq) & SequenceIndex.FLAG_TTL) != 0) {
                long ttl = storage.ttl(seq, location(seq), reference(seq));
                if (ttl > 0) {
                    ttls.add(index.timestamp(seq) + ttl * 1_000_000_000L, seq);
                }
            }
        }
    }

    @Override
    public long skip() {
        write.lock();
        try {
            checkOpen();
            long sequence = lastSeq + 1;
            skipRange(sequence, 1);
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
            if (first != lastSeq + 1) {
                if (first > 0) {
                    throw new StoreException(Kind.SEQUENCE_MISMATCH);
                }
                first = lastSeq + 1;
            }
            skipRange(first, count);
        } finally {
            write.unlock();
        }
    }

    private void skipRange(long first, long count) {
        long timestamp = lastTs == 0 ? now() : lastTs;
        storage.skipped(first, count, timestamp);
        lastSeq = first + count - 1;
        lastTs = timestamp;
        if (messages == 0) {
            firstSeq = lastSeq + 1;
            firstTs = 0;
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
            return removeMessage(sequence, reason, erase);
        } finally {
            write.unlock();
        }
    }

    /** Removes one message and tells storage and listeners. Write lock held. */
    boolean removeMessage(long sequence, RemovalReason reason, boolean erase) {
        return removeMessage(sequence, reason, erase, true);
    }

    private boolean removeMessage(long sequence, RemovalReason reason, boolean erase, boolean notify) {
        int subjectId = index.subjectId(sequence);
        if (subjectId < 0) {
            return false;
        }
        int size = index.size(sequence);
        long location = location(sequence);
        Object reference = reference(sequence);
        String subject = subjects.byId(subjectId).subject();
        index.remove(sequence);
        subjects.remove(subjectId, sequence);
        messages--;
        bytes -= size;
        long newFirst = 0;
        if (sequence == firstSeq) {
            advanceFirst();
            newFirst = firstSeq;
        }
        storage.removed(sequence, location, reference, erase, newFirst);
        if (notify) {
            for (StoreListener listener : listeners) {
                listener.removed(sequence, subject, size, reason);
            }
        }
        return true;
    }

    /** Moves the first sequence to the first message left (or past the last sequence). */
    private void advanceFirst() {
        long next = messages == 0 ? -1 : index.next(firstSeq);
        if (next < 0) {
            firstSeq = lastSeq + 1;
            firstTs = 0;
        } else {
            firstSeq = next;
            firstTs = index.timestamp(next);
        }
    }

    @Override
    public long purge() {
        write.lock();
        try {
            checkOpen();
            return purgeAll(lastSeq + 1);
        } finally {
            write.unlock();
        }
    }

    /** Removes everything; the next message gets {@code nextSequence}. Write lock held. */
    private long purgeAll(long nextSequence) {
        long purged = messages;
        long purgedBytes = bytes;
        index.clear();
        subjects.clear();
        ttls.clear();
        messages = 0;
        bytes = 0;
        firstSeq = nextSequence;
        firstTs = 0;
        if (nextSequence - 1 > lastSeq) {
            lastSeq = nextSequence - 1;
        }
        storage.removedBelow(nextSequence);
        firePurged(purged, purgedBytes);
        return purged;
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
            SimpleState matching = EngineQueries.filteredState(this, firstSeq, filter);
            if (matching.messages() == 0) {
                return 0;
            }
            long limit = 0;
            if (keep > 0) {
                if (keep >= matching.messages()) {
                    return 0;
                }
                limit = matching.messages() - keep;
            }
            long last = belowSequence > 0 ? belowSequence - 1 : matching.last();
            long purged = 0;
            long purgedBytes = 0;
            // One purged() call for the lot instead of one removed() per message.
            for (long seq = EngineQueries.nextMatching(this, filter, matching.first()); seq > 0 && seq <= last;
                    seq = EngineQueries.nextMatching(this, filter, seq + 1)) {
                purgedBytes += index.size(seq);
                removeMessage(seq, RemovalReason.REMOVED, false, false);
                purged++;
                if (limit > 0 && purged >= limit) {
                    break;
                }
            }
            firePurged(purged, purgedBytes);
            return purged;
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
            if (firstSeq > sequence) {
                return 0;
            }
            if (sequence > lastSeq) {
                return purgeAll(sequence);
            }
            long purged = 0;
            long purgedBytes = 0;
            for (long seq = index.next(firstSeq); seq >= 0 && seq < sequence; seq = index.next(seq + 1)) {
                purgedBytes += index.size(seq);
                subjects.remove(index.subjectId(seq), seq);
                index.remove(seq);
                purged++;
            }
            messages -= purged;
            bytes -= purgedBytes;
            firstSeq = sequence;
            advanceFirstFrom(sequence);
            storage.removedBelow(sequence);
            firePurged(purged, purgedBytes);
            return purged;
        } finally {
            write.unlock();
        }
    }

    private void advanceFirstFrom(long sequence) {
        long next = messages == 0 ? -1 : index.next(sequence);
        firstSeq = next < 0 ? lastSeq + 1 : next;
        firstTs = next < 0 ? 0 : index.timestamp(next);
    }

    @Override
    public void truncate(long sequence) {
        write.lock();
        try {
            checkOpen();
            if (sequence < 0) {
                throw new IllegalArgumentException("sequence is negative: " + sequence);
            }
            long purged = 0;
            long purgedBytes = 0;
            for (long seq = index.previous(lastSeq); seq > sequence; seq = index.previous(seq - 1)) {
                purgedBytes += index.size(seq);
                subjects.remove(index.subjectId(seq), seq);
                index.remove(seq);
                purged++;
            }
            messages -= purged;
            bytes -= purgedBytes;
            if (sequence == 0) {
                lastTs = 0;
            } else if (index.contains(sequence)) {
                lastTs = index.timestamp(sequence);
            }
            lastSeq = sequence;
            if (messages == 0) {
                firstSeq = sequence == 0 ? 1 : lastSeq + 1;
                firstTs = 0;
            } else if (firstSeq > lastSeq) {
                advanceFirstFrom(0);
            }
            ttls.removeAbove(sequence);
            storage.truncated(sequence, lastTs);
            firePurged(purged, purgedBytes);
        } finally {
            write.unlock();
        }
    }

    private void firePurged(long purged, long purgedBytes) {
        for (StoreListener listener : listeners) {
            listener.purged(purged, purgedBytes);
        }
    }

    // --- expiry -------------------------------------------------------------------------------------------

    /**
     * Removes messages past {@code max_age} or their TTL; returns the next deadline (nanoseconds since the
     * epoch) or {@link Long#MAX_VALUE}. Called by {@link Expiry} on the timer thread.
     */
    long expire() {
        write.lock();
        try {
            if (closed) {
                return Long.MAX_VALUE;
            }
            long now = now();
            long next = Long.MAX_VALUE;
            long maxAge = config.maxAge().toNanos();
            if (maxAge > 0) {
                long cutoff = now - maxAge;
                long seq = index.next(firstSeq);
                int budget = 100_000;
                while (seq >= 0) {
                    long timestamp = index.timestamp(seq);
                    if ((index.flags(seq) & SequenceIndex.FLAG_NEVER_EXPIRES) == 0) {
                        if (timestamp > cutoff) {
                            next = timestamp + maxAge;
                            break;
                        }
                        if (--budget == 0) {
                            next = now;
                            break;
                        }
                        removeMessage(seq, RemovalReason.MAX_AGE, false);
                    }
                    seq = index.next(seq + 1);
                }
            }
            while (ttls.peekDeadline() <= now) {
                long seq = ttls.peekSequence();
                ttls.poll();
                if (index.contains(seq) && (index.flags(seq) & SequenceIndex.FLAG_TTL) != 0) {
                    removeMessage(seq, RemovalReason.TTL, false);
                }
            }
            return Math.min(next, ttls.peekDeadline());
        } finally {
            write.unlock();
        }
    }

    /** The earliest deadline (age or TTL) of what is stored. Lock held. */
    long nextDeadline() {
        long next = ttls.peekDeadline();
        long maxAge = config.maxAge().toNanos();
        if (maxAge > 0) {
            for (long seq = index.next(firstSeq); seq >= 0; seq = index.next(seq + 1)) {
                if ((index.flags(seq) & SequenceIndex.FLAG_NEVER_EXPIRES) == 0) {
                    next = Math.min(next, index.timestamp(seq) + maxAge);
                    break;
                }
            }
        }
        return next;
    }

    // --- durability ---------------------------------------------------------------------------------------

    @Override
    public void setDurabilityListener(DurabilityListener listener) {
        storage.setDurabilityListener(listener);
    }

    @Override
    public long durableSequence() {
        return storage.durableSequence();
    }

    @Override
    public void sync() {
        checkOpen();
        storage.sync();
    }

    // --- reading ------------------------------------------------------------------------------------------

    @Override
    public Optional<StoredMessage> load(long sequence) {
        while (true) {
            read.lock();
            try {
                checkOpen();
                int subjectId = index.subjectId(sequence);
                if (subjectId < 0) {
                    return Optional.empty();
                }
                StoredMessage message = readSlot(sequence, subjectId);
                if (message != null) {
                    return Optional.of(message);
                }
            } finally {
                read.unlock();
            }
            damaged(sequence);
        }
    }

    /** Reads the message in a slot (read lock held); null when it is damaged. */
    StoredMessage readSlot(long sequence, int subjectId) {
        return storage.read(sequence, index.timestamp(sequence), location(sequence), reference(sequence),
                subjects.byId(subjectId).subject());
    }

    @Override
    public Optional<StoredMessage> loadNext(SubjectFilter filter, long fromSequence) {
        return loadFound(() -> EngineQueries.nextMatching(this, filter, fromSequence));
    }

    @Override
    public Optional<StoredMessage> loadPrevious(SubjectFilter filter, long fromSequence) {
        return loadFound(() -> EngineQueries.previousMatching(this, filter, fromSequence));
    }

    @Override
    public Optional<StoredMessage> loadLast(String subject) {
        return loadFound(() -> EngineQueries.lastMatching(this, subject));
    }

    /** Finds a sequence and reads it under one read lock; skips (and reports) damaged messages. */
    private Optional<StoredMessage> loadFound(java.util.function.LongSupplier finder) {
        while (true) {
            long sequence;
            read.lock();
            try {
                checkOpen();
                sequence = finder.getAsLong();
                if (sequence <= 0) {
                    return Optional.empty();
                }
                StoredMessage message = readSlot(sequence, index.subjectId(sequence));
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
            int subjectId = index.subjectId(sequence);
            return subjectId < 0 ? Optional.empty() : Optional.of(subjects.byId(subjectId).subject());
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
            return EngineQueries.sequenceAt(this, target);
        } finally {
            read.unlock();
        }
    }

    @Override
    public SimpleState filteredState(long fromSequence, SubjectFilter filter) {
        read.lock();
        try {
            checkOpen();
            return EngineQueries.filteredState(this, fromSequence, filter);
        } finally {
            read.unlock();
        }
    }

    @Override
    public Map<String, SimpleState> subjectsState(String filter) {
        read.lock();
        try {
            checkOpen();
            return EngineQueries.subjectsState(this, SubjectFilter.of(filter == null ? "" : filter));
        } finally {
            read.unlock();
        }
    }

    @Override
    public Map<String, Long> subjectsTotals(String filter) {
        read.lock();
        try {
            checkOpen();
            return EngineQueries.subjectsTotals(this, SubjectFilter.of(filter == null ? "" : filter));
        } finally {
            read.unlock();
        }
    }

    @Override
    public NumPending numPending(long fromSequence, SubjectFilter filter, boolean lastPerSubject) {
        read.lock();
        try {
            checkOpen();
            return new NumPending(EngineQueries.numPending(this, fromSequence, filter, lastPerSubject), lastSeq);
        } finally {
            read.unlock();
        }
    }

    @Override
    public List<Long> lastSequences(SubjectFilter filter, long upToSequence, int maxAllowed) {
        read.lock();
        try {
            checkOpen();
            return EngineQueries.lastSequences(this, filter, upToSequence, maxAllowed);
        } finally {
            read.unlock();
        }
    }

    @Override
    public StreamState state() {
        read.lock();
        try {
            checkOpen();
            return buildState(true);
        } finally {
            read.unlock();
        }
    }

    @Override
    public StreamState fastState() {
        read.lock();
        try {
            checkOpen();
            return buildState(false);
        } finally {
            read.unlock();
        }
    }

    private StreamState buildState(boolean withDeleted) {
        long numDeleted = messages == 0 ? 0 : Math.max(0, lastSeq - firstSeq + 1 - messages);
        long[] deleted = withDeleted && numDeleted > 0 ? EngineQueries.deleted(this, numDeleted) : new long[0];
        int consumerCount;
        synchronized (consumers) {
            consumerCount = consumers.size();
        }
        return new StreamState(messages, bytes, firstSeq, firstTs, lastSeq, lastTs, subjects.size(), numDeleted,
                deleted, lost.data(), consumerCount);
    }

    @Override
    public StoreStats stats() {
        long[] counters = new long[4];
        storage.addStats(counters);
        read.lock();
        try {
            return new StoreStats(damageEvents, lost.total(), counters[0], counters[1], counters[2], counters[3],
                    recoveryNanos);
        } finally {
            read.unlock();
        }
    }

    // --- damage -------------------------------------------------------------------------------------------

    /** Takes a message found damaged on read out of the stream and records it as lost. */
    private void damaged(long sequence) {
        write.lock();
        try {
            int subjectId = index.subjectId(sequence);
            if (subjectId < 0) {
                return;
            }
            int size = index.size(sequence);
            String subject = subjects.byId(subjectId).subject();
            index.remove(sequence);
            subjects.remove(subjectId, sequence);
            messages--;
            bytes -= size;
            if (sequence == firstSeq) {
                advanceFirst();
            }
            damageEvents++;
            lost.add(sequence, sequence, size);
            logger.log(System.Logger.Level.ERROR, "JetStream stream ''{0}'': message {1} on ''{2}'' is damaged;"
                    + " it is reported as lost and will not be served", config.name(), sequence, subject);
            for (StoreListener listener : listeners) {
                listener.removed(sequence, subject, size, RemovalReason.DAMAGED);
            }
        } finally {
            write.unlock();
        }
    }

    // --- listeners ----------------------------------------------------------------------------------------

    @Override
    public void addListener(StoreListener listener) {
        synchronized (lock) {
            StoreListener[] current = listeners;
            StoreListener[] next = java.util.Arrays.copyOf(current, current.length + 1);
            next[current.length] = listener;
            listeners = next;
        }
    }

    @Override
    public void removeListener(StoreListener listener) {
        synchronized (lock) {
            listeners = java.util.Arrays.stream(listeners).filter(l -> l != listener).toArray(StoreListener[]::new);
        }
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
            EngineConsumerStore store = new EngineConsumerStore(name, consumerConfig, storage.consumer(name),
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
        java.util.TreeSet<String> names = new java.util.TreeSet<>(storage.consumerNames());
        synchronized (consumers) {
            names.addAll(consumers.keySet());
        }
        return List.copyOf(names);
    }

    // --- owner metadata and snapshots ---------------------------------------------------------------------

    @Override
    public void writeMetadata(byte[] metadata) {
        checkOpen();
        storage.writeMetadata(metadata.clone());
    }

    @Override
    public Optional<byte[]> metadata() {
        checkOpen();
        return storage.metadata();
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
        storage.delete();
    }

    @Override
    public void close() {
        if (shutDown()) {
            storage.close();
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

    long now() {
        Instant instant = context.clock().instant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    long location(long sequence) {
        return storage.usesReferences() ? 0 : index.location(sequence);
    }

    Object reference(long sequence) {
        return storage.usesReferences() ? index.reference(sequence) : null;
    }

    boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new StoreException(Kind.CLOSED);
        }
    }

    Expiry expiry() {
        return expiry;
    }

    /** Applies what storage recovered. Runs in the constructor, before anyone else sees the engine. */
    private final class Recovery implements RecoverySink {

        @Override
        public void message(long sequence, long timestamp, String subject, int headersLength, int payloadLength,
                long ttl, long location, Object reference) {
            if (sequence <= lastSeq && messages > 0 || sequence < firstSeq) {
                return; // out of order or below a floor: the storage layer reports these
            }
            SubjectInfo info = subjects.intern(subject);
            int size = (int) storage.messageSize(subject.length(), headersLength, payloadLength);
            byte flags = ttl > 0 ? SequenceIndex.FLAG_TTL : ttl < 0 ? SequenceIndex.FLAG_NEVER_EXPIRES : 0;
            index.add(sequence, info.id(), size, timestamp, flags, location, reference);
            subjects.add(info, sequence);
            if (messages == 0) {
                firstSeq = sequence;
                firstTs = timestamp;
            }
            messages++;
            bytes += size;
            if (sequence > lastSeq) {
                lastSeq = sequence;
                lastTs = timestamp;
            }
        }

        @Override
        public void deleted(long sequence) {
            int subjectId = index.subjectId(sequence);
            if (subjectId < 0) {
                return;
            }
            bytes -= index.size(sequence);
            messages--;
            index.remove(sequence);
            subjects.remove(subjectId, sequence);
            if (sequence == firstSeq) {
                advanceFirst();
            }
        }

        @Override
        public void floor(long floor) {
            if (floor <= firstSeq) {
                return;
            }
            for (long seq = index.next(0); seq >= 0 && seq < floor; seq = index.next(seq + 1)) {
                deleted(seq);
            }
            if (floor - 1 > lastSeq) {
                lastSeq = floor - 1;
            }
            advanceFirstFrom(floor);
        }

        @Override
        public void last(long sequence, long timestamp) {
            if (sequence > lastSeq) {
                lastSeq = sequence;
                if (timestamp > lastTs) {
                    lastTs = timestamp;
                }
            }
            if (messages == 0) {
                firstSeq = Math.max(firstSeq, lastSeq + 1);
            }
        }

        @Override
        public void lost(long firstSequence, long lastSequence, long lostBytes) {
            damageEvents++;
            lost.add(firstSequence, lastSequence, lostBytes);
        }
    }
}
