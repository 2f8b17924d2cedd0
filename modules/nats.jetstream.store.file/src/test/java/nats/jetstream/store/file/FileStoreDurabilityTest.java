package nats.jetstream.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import nats.jetstream.store.Durability;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability listener is told about every append without a later append to push it along: writers that
 * wait for their own message before appending the next never wait long, also when they run the rounds
 * themselves ({@code flushOnCaller}) and their appends do not wake the flusher.
 */
@Timeout(120)
class FileStoreDurabilityTest {

    @TempDir
    Path directory;

    private void eachAppendBecomesDurableOnItsOwn(Durability durability, int writers, int perWriter)
            throws Exception {
        eachAppendBecomesDurableOnItsOwn(durability, writers, perWriter, false);
    }

    private void eachAppendBecomesDurableOnItsOwn(Durability durability, int writers, int perWriter,
            boolean callerFlushes) throws Exception {
        StreamStore store = new FileStoreProvider().open(StreamConfig.builder("D").build(),
                StoreContext.builder().directory(directory).durability(durability).build());
        try {
            AtomicLong durable = new AtomicLong();
            Object monitor = new Object();
            store.setDurabilityListener(sequence -> {
                durable.accumulateAndGet(sequence, Math::max);
                synchronized (monitor) {
                    monitor.notifyAll();
                }
            });
            List<Throwable> failures = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < perWriter; i++) {
                            if (callerFlushes) {
                                store.deferFlushToCaller();
                            }
                            long seq = store.append("d", new byte[0], new byte[128], 0).sequence();
                            if (callerFlushes) {
                                store.flushOnCaller();
                            }
                            long deadline = System.nanoTime() + 2_000_000_000L;
                            synchronized (monitor) {
                                while (durable.get() < seq && System.nanoTime() < deadline) {
                                    monitor.wait(50);
                                }
                            }
                            assertTrue(durable.get() >= seq, "expected message " + seq
                                    + " reported durable within 2 s without another append");
                        }
                    } catch (Throwable t) {
                        synchronized (failures) {
                            failures.add(t);
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertTrue(failures.isEmpty(), () -> "expected every append reported durable: " + failures);
            assertTrue(store.durableSequence() >= (long) writers * perWriter, "expected everything durable");
        } finally {
            store.close();
        }
    }

    @Test
    void aLoneSynchronousWriterIsNeverLeftWaiting() throws Exception {
        eachAppendBecomesDurableOnItsOwn(Durability.ALWAYS, 1, 400);
    }

    @Test
    void concurrentWritersShareSyncsAndAreAllTold() throws Exception {
        eachAppendBecomesDurableOnItsOwn(Durability.ALWAYS, 8, 100);
    }

    @Test
    void withASyncIntervalEachWriteIsToldAtOnce() throws Exception {
        eachAppendBecomesDurableOnItsOwn(Durability.interval(Duration.ofSeconds(30)), 4, 300);
    }

    @Test
    void writersRunningTheirOwnRoundsLeaveNoAppendBehind() throws Exception {
        // A writer whose round is refused (another runs) relies on that round, or the flusher, to cover it.
        eachAppendBecomesDurableOnItsOwn(Durability.ALWAYS, 1, 300, true);
        eachAppendBecomesDurableOnItsOwn(Durability.ALWAYS, 8, 100, true);
    }

    @Test
    void flushOnCallerSyncsAndTellsTheListenerBeforeItReturns() throws Exception {
        StreamStore store = new FileStoreProvider().open(StreamConfig.builder("C").build(),
                StoreContext.builder().directory(directory).durability(Durability.ALWAYS).build());
        try {
            List<Thread> toldOn = new ArrayList<>();
            AtomicLong durable = new AtomicLong();
            store.setDurabilityListener(sequence -> {
                synchronized (toldOn) {
                    toldOn.add(Thread.currentThread());
                }
                durable.accumulateAndGet(sequence, Math::max);
            });
            long syncsBefore = store.stats().syncs();
            store.deferFlushToCaller();
            for (int i = 0; i < 3; i++) {
                store.append("c", new byte[0], new byte[16], 0);
            }
            boolean ran = false;
            // The flusher may be finishing a round of its own; once it is idle the caller's round runs.
            for (int attempt = 0; attempt < 100 && !ran && durable.get() < 3; attempt++) {
                ran = store.flushOnCaller();
                if (!ran) {
                    Thread.sleep(10);
                }
            }
            assertTrue(durable.get() >= 3, "expected the three appends durable, got " + durable.get());
            assertTrue(store.stats().syncs() > syncsBefore, "expected a sync before the listener was told");
            if (ran) {
                synchronized (toldOn) {
                    assertTrue(toldOn.contains(Thread.currentThread()),
                            "expected the listener told on the caller's thread, was told on " + toldOn);
                }
            }
            assertEquals(3, store.durableSequence(), "durable sequence after the caller's round");
        } finally {
            store.close();
        }
    }

    @Test
    void aVirtualCallerSyncsOnItsOwnThreadToo() throws Throwable {
        // A virtual publisher's reader runs the round itself: no hand-off to the flusher and back for its ack.
        StreamStore store = new FileStoreProvider().open(StreamConfig.builder("V").build(),
                StoreContext.builder().directory(directory).durability(Durability.ALWAYS).build());
        try {
            List<Thread> toldOn = new ArrayList<>();
            store.setDurabilityListener(sequence -> {
                synchronized (toldOn) {
                    toldOn.add(Thread.currentThread());
                }
            });
            Throwable[] failure = new Throwable[1];
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    // Once a round with nothing to do runs here, the flusher is idle and stays so (the
                    // deferred appends below do not wake it).
                    boolean idle = false;
                    for (int attempt = 0; attempt < 200 && !idle; attempt++) {
                        idle = store.flushOnCaller();
                        if (!idle) {
                            Thread.sleep(10);
                        }
                    }
                    assertTrue(idle, "expected a round on the virtual caller within 2 s");
                    store.deferFlushToCaller();
                    long seq = store.append("v", new byte[0], new byte[16], 0).sequence();
                    assertTrue(store.flushOnCaller(), "expected the virtual caller to run its own round");
                    assertEquals(seq, store.durableSequence(), "durable sequence after the caller's round");
                    synchronized (toldOn) {
                        assertTrue(toldOn.contains(Thread.currentThread()),
                                "expected the listener told on the virtual caller, was told on " + toldOn);
                    }
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            caller.join();
            if (failure[0] != null) {
                throw failure[0];
            }
        } finally {
            store.close();
        }
    }
}
