package nats.jetstream.store.file;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import nats.jetstream.store.Durability;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamStore;

/**
 * The process {@link FileStoreCrashTest} kills: appends from several threads as fast as it can and prints
 * {@code D <sequence>} each time the store reports messages durable, until it is killed with SIGKILL.
 *
 * <p>Arguments: store directory, durability ({@code always} or a sync interval in milliseconds), writers,
 * and how many messages to append at most (so fifty rounds stay within a test's disk and memory).
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        Durability durability = args[1].equals("always") ? Durability.ALWAYS
                : Durability.interval(Duration.ofMillis(Long.parseLong(args[1])));
        int writers = Integer.parseInt(args[2]);
        long limit = Long.parseLong(args[3]);
        AtomicLong appended = new AtomicLong();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        StreamStore store = new FileStoreProvider().open(FileStoreCrashTest.CONFIG,
                StoreContext.builder().directory(directory).durability(durability).blockSize(256 * 1024).build());
        AtomicLong reported = new AtomicLong();
        store.setDurabilityListener(sequence -> {
            if (sequence > reported.get()) {
                reported.set(sequence);
                out.println("D " + sequence);
                out.flush();
            }
        });
        out.println("READY " + store.state().lastSequence());
        out.flush();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread.ofPlatform().start(() -> {
                for (long n = 0; appended.incrementAndGet() <= limit; n++) {
                    byte[] payload = FileStoreCrashTest.payload(writer, n);
                    byte[] headers = n % 4 == 0 ? FileStoreCrashTest.HEADERS : new byte[0];
                    store.append("crash." + writer + "." + (n % 3), headers, payload, 0);
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    static StreamConfig config() {
        return StreamConfig.builder("CRASH").subjects("crash.>").build();
    }
}
