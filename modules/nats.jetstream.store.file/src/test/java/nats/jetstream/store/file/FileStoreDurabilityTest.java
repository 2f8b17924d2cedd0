package nats.jetstream.store.file;

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
 * wait for their own message before appending the next never wait long.
 */
@Timeout(120)
class FileStoreDurabilityTest {

    @TempDir
    Path directory;

    private void eachAppendBecomesDurableOnItsOwn(Durability durability, int writers, int perWriter)
            throws Exception {
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
                            long seq = store.append("d", new byte[0], new byte[128], 0).sequence();
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
}
