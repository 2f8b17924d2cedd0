package nats.jetstream.store.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import nats.jetstream.store.DiscardPolicy;
import nats.jetstream.store.RemovalReason;
import nats.jetstream.store.SimpleState;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;
import nats.jetstream.store.StoreListener;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamState;
import nats.jetstream.store.SubjectFilter;

/**
 * A stream's logical state and every change to it: sequence and subject indexes, counters, limits, TTL
 * deadlines, lost data, listeners. Not thread-safe: {@link StreamEngine} calls it with its write lock held
 * for changes and its read lock for reads.
 */
final class StreamLog {

    private static final String ROLLUP_HEADER = "Nats-Rollup";

    final MessageStorage storage;
    final StoreContext context;
    private final System.Logger logger;
    final SequenceIndex index;
    final SubjectTable subjects = new SubjectTable();
    private final ExpiryQueue ttls = new ExpiryQueue();
    final LostTracker lost = new LostTracker();
    private final MessageStorage.Slot slot = new MessageStorage.Slot();
    volatile StreamConfig config;
    private volatile StoreListener[] listeners = new StoreListener[0];
    long damageEvents;

    long messages;
    long bytes;
    long firstSeq;
    long firstTs;
    long lastSeq;
    long lastTs;

    StreamLog(StreamConfig config, StoreContext context, MessageStorage storage) {
        this.config = config;
        this.context = context;
        this.logger = context.logger();
        this.storage = storage;
        this.index = new SequenceIndex(storage.usesReferences());
        long first = Math.max(1, config.firstSequence());
        this.firstSeq = first;
        this.lastSeq = first - 1;
    }

    /** Applies a new configuration: TTL deadlines when TTLs are turned on or off, then every limit. */
    void configure(StreamConfig newConfig) {
        boolean ttlWasOn = config.allowMessageTtl();
        config = newConfig;
        storage.configure(newConfig);
        if (newConfig.allowMessageTtl() != ttlWasOn) {
            rebuildTtls();
        }
        applyLimits();
    }

    void addListener(StoreListener listener) {
        synchronized (this) {
            StoreListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
            next[listeners.length] = listener;
            listeners = next;
        }
    }

    void removeListener(StoreListener listener) {
        synchronized (this) {
            listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(StoreListener[]::new);
        }
    }

    /** Stores a message; returns its expiry deadline, or {@link Long#MAX_VALUE}. */
    long store(String subject, byte[] headers, byte[] payload, long sequence, long timestamp, long ttl,
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
    void applyLimits() {
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

    void rebuildTtls() {
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

    void skipRange(long first, long count) {
        long timestamp = lastTs == 0 ? now() : lastTs;
        storage.skipped(first, count, timestamp);
        lastSeq = first + count - 1;
        lastTs = timestamp;
        if (messages == 0) {
            firstSeq = lastSeq + 1;
            firstTs = 0;
        }
    }

    /** Removes one message and tells storage and listeners. */
    boolean removeMessage(long sequence, RemovalReason reason, boolean erase) {
        return removeMessage(sequence, reason, erase, true);
    }

    boolean removeMessage(long sequence, RemovalReason reason, boolean erase, boolean notify) {
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
    void advanceFirst() {
        long next = messages == 0 ? -1 : index.next(firstSeq);
        if (next < 0) {
            firstSeq = lastSeq + 1;
            firstTs = 0;
        } else {
            firstSeq = next;
            firstTs = index.timestamp(next);
        }
    }

    void advanceFirstFrom(long sequence) {
        long next = messages == 0 ? -1 : index.next(sequence);
        firstSeq = next < 0 ? lastSeq + 1 : next;
        firstTs = next < 0 ? 0 : index.timestamp(next);
    }

    /** Removes everything; the next message gets {@code nextSequence}. */
    long purgeAll(long nextSequence) {
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

    private void firePurged(long purged, long purgedBytes) {
        for (StoreListener listener : listeners) {
            listener.purged(purged, purgedBytes);
        }
    }

    /** The earliest deadline (age or TTL) of what is stored. */
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

    /** Reads the message in a slot; null when it is damaged. */
    StoredMessage readSlot(long sequence, int subjectId) {
        return storage.read(sequence, index.timestamp(sequence), location(sequence), reference(sequence),
                subjects.byId(subjectId).subject());
    }

    StreamState buildState(boolean withDeleted, int consumerCount) {
        long numDeleted = messages == 0 ? 0 : Math.max(0, lastSeq - firstSeq + 1 - messages);
        long[] deleted = withDeleted && numDeleted > 0 ? EngineQueries.deleted(this, numDeleted) : new long[0];
        return new StreamState(messages, bytes, firstSeq, firstTs, lastSeq, lastTs, subjects.size(), numDeleted,
                deleted, lost.data(), consumerCount);
    }

    long location(long sequence) {
        return storage.usesReferences() ? 0 : index.location(sequence);
    }

    Object reference(long sequence) {
        return storage.usesReferences() ? index.reference(sequence) : null;
    }

    long now() {
        Instant instant = context.clock().instant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** Removes messages matching {@code filter} below {@code belowSequence} (if positive), keeping {@code keep}. */
    long purgeMatching(SubjectFilter filter, long belowSequence, long keep) {
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
    }

    /** Removes every message below {@code sequence}; beyond the last, the next message gets it. */
    long compactBelow(long sequence) {
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
    }

    /** Removes every message above {@code sequence}, which becomes the last sequence. */
    void truncateTo(long sequence) {
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
    }

    /**
     * Removes messages past {@code max_age} or their TTL; returns the next deadline (nanoseconds since the
     * epoch) or {@link Long#MAX_VALUE}.
     */
    long expire() {
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
    }

    /** Takes a message found damaged on read out of the stream and records it as lost. */
    void damaged(long sequence) {
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
    }

    /** Applies what storage recovered, before anyone else sees the stream. */
    final class Recovery implements RecoverySink {

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
