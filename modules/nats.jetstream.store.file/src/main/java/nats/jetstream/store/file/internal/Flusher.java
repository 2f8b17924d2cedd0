package nats.jetstream.store.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import nats.jetstream.store.Durability;
import nats.jetstream.store.DurabilityListener;
import nats.jetstream.store.StoreException;

/**
 * The thread that moves appended records to disk. Each round takes everything appended since the last one,
 * writes it with one call per block, records the high-water mark, and (with {@link Durability#ALWAYS})
 * syncs before telling the {@link DurabilityListener} how far the store is durable: appends that arrive
 * while a sync runs share the next one (group commit). With a sync interval it reports after the write and
 * syncs every interval. Deleting block files and compressing sealed blocks wait until what makes them safe
 * is synced. A round runs on this thread, or on a writer's thread that asks for it right after appending
 * ({@link #flushOnCaller}) while no round is under way; one round runs at a time.
 */
final class Flusher implements Runnable {

    /** A block range to write in this round. */
    private record Segment(Block block, byte[] bytes, long base, long from, long to) {
    }

    /** Work that must wait until everything appended before {@code appendedBytes} is synced. */
    private record Deferred(long appendedBytes, Block block, Runnable task) {
    }

    /**
     * How long the flusher spins for more work before it parks. None by default: a writer waiting for its ack
     * runs the next round itself ({@link #flushOnCaller}), and a spinning flusher would only take it away.
     */
    private static final long SPIN_NANOS = Long.getLong("nats.jetstream.store.flusherSpinMicros", 0) * 1000;

    /**
     * Whether a virtual thread runs its own round too. It pins its carrier for the sync (file I/O is not
     * virtualized), which the JDK compensates with another carrier; handing the round to the flusher instead
     * costs two thread wake-ups on the ack's path (measured: about 30 µs of p50 and a quarter of the CPU per
     * synchronous publish more). Off ({@code false}) only to compare.
     */
    private static final boolean VIRTUAL_CALLERS =
            Boolean.parseBoolean(System.getProperty("nats.jetstream.store.virtualCallerSync", "true"));

    private final FileStorage storage;
    private final boolean always;
    private final long intervalNanos;
    private final ArrayDeque<Block> dirty = new ArrayDeque<>();
    private final List<Deferred> deferred = new ArrayList<>();
    private final ReentrantLock stateLock = new ReentrantLock();
    /** Held for a round, by this thread or a writer running one; guards the round's own state below. */
    private final ReentrantLock roundLock = new ReentrantLock();
    private final Condition progress = stateLock.newCondition();
    private Thread thread;
    private volatile boolean idle;
    private volatile boolean running;
    private volatile boolean syncRequested;
    private volatile long writtenSeq;
    private volatile long syncedSeq;
    private volatile long syncedBytes;
    private long lastSyncNanos = System.nanoTime();
    private final List<Block> unsynced = new ArrayList<>();

    Flusher(FileStorage storage, Durability durability) {
        this.storage = storage;
        this.always = durability.isAlways();
        this.intervalNanos = durability.syncInterval().toNanos();
    }

    boolean always() {
        return always;
    }

    void recovered(long sequence) {
        writtenSeq = sequence;
        syncedSeq = sequence;
    }

    void start() {
        running = true;
        thread = storage.context.threads().newThread(this);
        thread.setName("jetstream-flusher-" + storage.name);
        thread.start();
    }

    /** The highest sequence durable under the configured policy. */
    long durable() {
        return always ? syncedSeq : writtenSeq;
    }

    /** A new block with bytes to write. Engine write lock held. */
    void added(Block block) {
        storage.flushLock.lock();
        try {
            dirty.add(block);
        } finally {
            storage.flushLock.unlock();
        }
    }

    /** The thread whose appends do not wake the flusher: it runs a round itself afterwards. */
    private volatile Thread deferredTo;

    /** {@link #flushOnCaller} follows the calling thread's next appends. */
    void deferToCaller() {
        deferredTo = Thread.currentThread();
    }

    /** The caller that deferred its wake-ups leaves the round to the flusher after all. */
    void wakeDeferred() {
        if (deferredTo == Thread.currentThread()) {
            deferredTo = null;
        }
        wake();
    }

    /** After an append: wakes the flusher unless the appending thread is about to run a round itself. */
    void wakeForAppend() {
        if (deferredTo != Thread.currentThread()) {
            wake();
        }
    }

    /** Wakes the flusher if it is parked; cheap when it is busy. */
    void wake() {
        if (idle) {
            LockSupport.unpark(thread);
        }
    }

    /** Deletes {@code block}'s file once the records that make that safe are synced. Engine write lock held. */
    void delete(Block block) {
        defer(block, () -> {
            block.maintenance.lock();
            try {
                block.storage.channel().close();
                Files.deleteIfExists(block.path);
            } catch (IOException e) {
                storage.logger.log(System.Logger.Level.WARNING, "JetStream stream ''{0}'': deleting {1} failed:"
                        + " {2}", storage.name, block.path, e.toString());
            } finally {
                block.maintenance.unlock();
            }
        });
    }

    /** Runs {@code task} on a background thread once {@code block} is written and synced. */
    void afterWritten(Block block, Runnable task) {
        defer(block, () -> nats.jetstream.store.support.StoreThreads.background().execute(task));
    }

    private void defer(Block block, Runnable task) {
        stateLock.lock();
        try {
            deferred.add(new Deferred(storage.appendedBytes, block, task));
        } finally {
            stateLock.unlock();
        }
        syncRequested = true;
        wake();
    }

    /** After a truncate: nothing above {@code last} is durable any more. */
    void truncated(long last) {
        writtenSeq = Math.min(writtenSeq, last);
        syncedSeq = Math.min(syncedSeq, last);
    }

    /** Blocks until everything appended so far is written and synced. */
    void syncNow() {
        long target = storage.appendedSeq;
        long targetBytes = storage.appendedBytes;
        stateLock.lock();
        try {
            syncRequested = true;
            wakeAlways();
            while (running && storage.failure == null && (syncedBytes < targetBytes || syncedSeq < target)) {
                progress.await(100, TimeUnit.MILLISECONDS);
                syncRequested = true;
                wakeAlways();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.IO, "interrupted while waiting for a sync");
        } finally {
            stateLock.unlock();
        }
    }

    /** Blocks the writer until at most {@code limit} bytes are unwritten (back-pressure). */
    void waitForRoom(long limit) {
        stateLock.lock();
        try {
            while (running && storage.failure == null && storage.appendedBytes - storage.writtenBytes > limit) {
                wakeAlways();
                progress.await(10, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stateLock.unlock();
        }
    }

    private void wakeAlways() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Writes and syncs everything, then stops the thread. */
    void stop() {
        if (!running) {
            return;
        }
        syncNow();
        running = false;
        wakeAlways();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            storage.mark.sync();
            for (Block block : dirty) {
                if (block.fullyWritten()) {
                    Preallocation.trim(block); // a clean close leaves files that end with their records
                }
            }
        } catch (IOException e) {
            storage.fail("syncing the high-water mark failed", e);
        }
    }

    /**
     * Runs a round on the caller's thread if none is under way; false if one is (it, or the flusher after it,
     * covers what the caller appended). Afterwards the flusher is woken when work remains, so that appends
     * made during this round do not wait for a later writer.
     */
    boolean flushOnCaller() {
        if (deferredTo == Thread.currentThread()) {
            deferredTo = null;
        }
        if (!running || (!VIRTUAL_CALLERS && Thread.currentThread().isVirtual()) || !roundLock.tryLock()) {
            // The round under way (or the flusher after it) covers these appends; make sure it looks.
            wake();
            return false;
        }
        try {
            guardedRound();
        } finally {
            roundLock.unlock();
        }
        if (!running || hasWork()) {
            wakeAlways();
        }
        return true;
    }

    /** A round with the round lock held; a failure fails the store rather than the caller. */
    private boolean guardedRound() {
        try {
            return round();
        } catch (IOException | RuntimeException e) {
            storage.fail("writing to disk failed", e);
            signal();
            return false;
        }
    }

    @Override
    public void run() {
        while (true) {
            boolean worked = false;
            if (!roundLock.tryLock()) {
                // A writer is running a round; it wakes this thread afterwards if work remains.
                idle = true;
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(200));
                idle = false;
                continue;
            }
            try {
                worked = guardedRound();
            } finally {
                roundLock.unlock();
            }
            if (!running && !hasWork()) {
                return;
            }
            if (!worked) {
                park();
            }
        }
    }

    private boolean hasWork() {
        return storage.failure == null && (storage.appendedBytes != storage.writtenBytes || syncRequested
                || dueForSync() || storage.appendedSeq > durable());
    }

    private boolean dueForSync() {
        return !always && !unsynced.isEmpty() && System.nanoTime() - lastSyncNanos >= intervalNanos;
    }

    /**
     * Parks until there is work. It may first spin for a moment (off unless configured): a writer waiting
     * for its ack usually appends again within microseconds, and catching that without a park and unpark
     * saves two thread hand-offs per round for a lone synchronous publisher.
     */
    private void park() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (running && System.nanoTime() < spinUntil) {
            if (hasWork()) {
                return;
            }
            Thread.onSpinWait();
        }
        idle = true;
        if (!hasWork() && running) {
            long timeout = always || unsynced.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(200)
                    : Math.max(1_000_000, intervalNanos - (System.nanoTime() - lastSyncNanos));
            LockSupport.parkNanos(this, timeout);
        }
        idle = false;
    }

    /** One round: write what was appended, sync as the policy says, report, run deferred work. */
    private boolean round() throws IOException {
        if (storage.failure != null) {
            return false;
        }
        long target = storage.appendedSeq;
        List<Segment> segments = new ArrayList<>();
        storage.flushLock.lock();
        try {
            for (Block block : dirty) {
                long end = block.appendEnd;
                if (end > block.writtenEnd) {
                    block.flushing = true;
                    segments.add(new Segment(block, block.tail, block.tailBase, block.writtenEnd, end));
                }
            }
        } finally {
            storage.flushLock.unlock();
        }
        boolean forced = syncRequested || dueForSync();
        syncRequested = false;
        if (segments.isEmpty() && !forced) {
            return reportCovered();
        }
        long written = 0;
        for (Segment segment : segments) {
            write(segment);
            written += segment.to() - segment.from();
            if (always && !segment.block().sealed) {
                Preallocation.ahead(segment.block(), segment.to(), storage.blockSize());
            }
            if (!unsynced.contains(segment.block())) {
                unsynced.add(segment.block());
            }
        }
        storage.mark.write(target, storage.epoch);
        boolean sync = always || forced;
        if (sync) {
            for (Block block : unsynced) {
                if (!block.deleted) {
                    block.storage.channel().force(false);
                    storage.syncs.incrementAndGet();
                }
                if (!block.directorySynced) {
                    AtomicFile.syncDirectory(storage.blocksDirectory);
                    block.directorySynced = true;
                }
            }
            unsynced.clear();
            if (forced) {
                storage.mark.sync();
            }
            lastSyncNanos = System.nanoTime();
        }
        List<Block> done = List.of();
        storage.flushLock.lock();
        try {
            for (Segment segment : segments) {
                segment.block().writtenEnd = segment.to();
                segment.block().flushing = false;
            }
            for (Block block : dirty) {
                if (block.sealed && block.fullyWritten()) {
                    if (done.isEmpty()) {
                        done = new ArrayList<>();
                    }
                    done.add(block);
                }
            }
            dirty.removeAll(done);
        } finally {
            storage.flushLock.unlock();
        }
        for (Block block : done) {
            // Its records are all written: the zeros written ahead of them go (before deferred work such as
            // compression reads the file).
            Preallocation.trim(block);
        }
        storage.writtenBytes += written;
        storage.bytesWritten.addAndGet(written);
        writtenSeq = Math.max(writtenSeq, target);
        if (sync) {
            syncedSeq = Math.max(syncedSeq, target);
            // Everything written so far is synced now, including bytes a segment took before the writer had
            // counted them (a record's end is published before the byte count).
            syncedBytes = Math.max(syncedBytes, storage.writtenBytes);
        }
        if (!segments.isEmpty()) {
            report();
        }
        reportCovered();
        if (sync) {
            runDeferred();
        }
        signal();
        return !segments.isEmpty();
    }

    /**
     * Reports a sequence appended after this round read its target if its bytes turn out to be covered
     * anyway: the writer publishes a record's bytes before its sequence, so if no byte was appended beyond
     * what is written (and synced), every sequence published so far is too. Returns whether it reported.
     */
    private boolean reportCovered() {
        long candidate = storage.appendedSeq;
        long appended = storage.appendedBytes;
        long covered = always ? syncedBytes : storage.writtenBytes;
        if (candidate <= durable() || appended > covered) {
            return false;
        }
        writtenSeq = Math.max(writtenSeq, candidate);
        if (always) {
            syncedSeq = Math.max(syncedSeq, candidate);
        }
        report();
        signal();
        return true;
    }

    private void report() {
        DurabilityListener listener = storage.listener;
        if (listener != null) {
            try {
                listener.durableThrough(durable());
            } catch (RuntimeException e) {
                storage.logger.log(System.Logger.Level.ERROR, "JetStream stream ''{0}'': durability listener"
                        + " failed: {1}", storage.name, e.toString());
            }
        }
    }

    private void write(Segment segment) throws IOException {
        FileChannel channel = segment.block().storage.channel();
        ByteBuffer buffer = ByteBuffer.wrap(segment.bytes(), (int) (segment.from() - segment.base()),
                (int) (segment.to() - segment.from()));
        long position = segment.from();
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    private void runDeferred() {
        List<Deferred> ready = new ArrayList<>();
        stateLock.lock();
        try {
            deferred.removeIf(work -> {
                if (work.appendedBytes() <= syncedBytes && work.block().fullyWritten()) {
                    ready.add(work);
                    return true;
                }
                return false;
            });
        } finally {
            stateLock.unlock();
        }
        for (Deferred work : ready) {
            work.task().run();
        }
        if (!deferred.isEmpty()) {
            syncRequested = true;
        }
    }

    private void signal() {
        stateLock.lock();
        try {
            progress.signalAll();
        } finally {
            stateLock.unlock();
        }
    }
}
