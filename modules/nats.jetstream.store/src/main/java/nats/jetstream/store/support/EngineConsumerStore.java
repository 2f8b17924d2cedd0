package nats.jetstream.store.support;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import nats.jetstream.store.ConsumerConfig;
import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.ConsumerStore;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;

/**
 * A {@link ConsumerStore} over a {@link ConsumerStateMachine}: updates change the state in memory and
 * schedule one background save, which coalesces every update made while it waits or runs. Background saves
 * of one consumer are at least {@link #MIN_SAVE_INTERVAL_NANOS} apart, as Go's consumer store keeps "about 10
 * updates per second per consumer under load": a busy consumer otherwise rewrites (and syncs) its state file
 * back to back, at a cost per message. {@link #flush()} saves at once.
 */
final class EngineConsumerStore implements ConsumerStore {

    private final String name;
    private final ConsumerPersistence persistence;
    private final Consumer<EngineConsumerStore> onClose;
    private final ConsumerStateMachine machine;
    /** Go's {@code minTime} in {@code consumerFileStore.flushLoop}. */
    static final long MIN_SAVE_INTERVAL_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);

    private final ReentrantLock lock = new ReentrantLock();
    /** When the last save started (System.nanoTime), 0 before the first. */
    private volatile long lastSaveNanos;
    private final Object saving = new Object();
    private long changes;
    private volatile long saved;
    private boolean saveScheduled;
    private volatile boolean closed;

    EngineConsumerStore(String name, ConsumerConfig config, ConsumerPersistence persistence,
            Consumer<EngineConsumerStore> onClose) {
        this.name = name;
        this.persistence = persistence;
        this.onClose = onClose;
        this.machine = new ConsumerStateMachine(config);
    }

    /** Loads the persisted state; a damaged one is reported by the persistence and yields empty state. */
    void load() {
        persistence.load().ifPresent(bytes -> machine.replace(ConsumerStateCodec.decode(bytes), false));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ConsumerConfig config() {
        lock.lock();
        try {
            return machine.config();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void updateConfig(ConsumerConfig config) {
        lock.lock();
        try {
            machine.config(config);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setStarting(long streamSequence) {
        change(m -> m.setStarting(streamSequence));
    }

    @Override
    public void updateStarting(long streamSequence) {
        change(m -> m.updateStarting(streamSequence));
    }

    @Override
    public void reset(long streamSequence) {
        change(m -> m.reset(streamSequence));
    }

    @Override
    public boolean hasState() {
        lock.lock();
        try {
            return machine.hasState();
        } finally {
            lock.unlock();
        }
    }

    // Deliveries and acks come once per message: locked here without a lambda (one less object each).
    @Override
    public void updateDelivered(long consumerSequence, long streamSequence, long deliveryCount, long timestamp) {
        boolean schedule;
        lock.lock();
        try {
            checkOpen();
            machine.updateDelivered(consumerSequence, streamSequence, deliveryCount, timestamp);
            schedule = changed();
        } finally {
            lock.unlock();
        }
        scheduleSave(schedule);
    }

    @Override
    public void updateAcks(long consumerSequence, long streamSequence) {
        boolean schedule;
        lock.lock();
        try {
            checkOpen();
            machine.updateAcks(consumerSequence, streamSequence);
            schedule = changed();
        } finally {
            lock.unlock();
        }
        scheduleSave(schedule);
    }

    @Override
    public void removeRedeliveredBelow(long streamSequence) {
        change(m -> m.removeRedeliveredBelow(streamSequence));
    }

    @Override
    public void update(ConsumerState state) {
        change(m -> m.replace(state, true));
    }

    @Override
    public void forceUpdate(ConsumerState state) {
        change(m -> m.replace(state, false));
    }

    @Override
    public ConsumerState state() {
        lock.lock();
        try {
            checkOpen();
            return machine.snapshot();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writeMetadata(byte[] metadata) {
        checkOpen();
        persistence.writeMetadata(metadata.clone());
    }

    @Override
    public Optional<byte[]> metadata() {
        return persistence.metadata();
    }

    @Override
    public void flush() {
        save();
    }

    @Override
    public void delete() {
        closed = true;
        synchronized (saving) {
            persistence.delete();
        }
        onClose.accept(this);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        save();
        closed = true;
        onClose.accept(this);
    }

    private void change(Consumer<ConsumerStateMachine> update) {
        boolean schedule;
        lock.lock();
        try {
            checkOpen();
            update.accept(machine);
            schedule = changed();
        } finally {
            lock.unlock();
        }
        scheduleSave(schedule);
    }

    /** Counts a change (lock held); returns whether this one must schedule the background save. */
    private boolean changed() {
        changes++;
        boolean schedule = persistence.persistent() && !saveScheduled;
        saveScheduled |= schedule;
        return schedule;
    }

    private void scheduleSave(boolean schedule) {
        if (schedule) {
            long wait = lastSaveNanos == 0 ? 0 : MIN_SAVE_INTERVAL_NANOS - (System.nanoTime() - lastSaveNanos);
            if (wait <= 0) {
                StoreThreads.background().execute(this::saveQuietly);
            } else {
                StoreThreads.timer().schedule(() -> StoreThreads.background().execute(this::saveQuietly), wait,
                        java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    private void saveQuietly() {
        try {
            save();
        } catch (RuntimeException e) {
            System.getLogger(EngineConsumerStore.class.getName()).log(System.Logger.Level.ERROR,
                    "JetStream consumer '" + name + "': saving its state failed: " + e.getMessage(), e);
        }
    }

    /** Saves the state if it changed since the last save; returns once it is persisted. */
    private void save() {
        if (!persistence.persistent()) {
            return;
        }
        synchronized (saving) {
            byte[] encoded;
            long upTo;
            lock.lock();
            try {
                saveScheduled = false;
                if (changes == saved || closed) {
                    return;
                }
                encoded = ConsumerStateCodec.encode(machine.snapshot());
                upTo = changes;
                lastSaveNanos = System.nanoTime() | 1;
            } finally {
                lock.unlock();
            }
            persistence.save(encoded);
            saved = upTo;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException(Kind.CLOSED);
        }
    }
}
