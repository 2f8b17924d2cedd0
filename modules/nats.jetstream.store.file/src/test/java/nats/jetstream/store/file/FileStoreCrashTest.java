package nats.jetstream.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamState;
import nats.jetstream.store.StreamStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process appending to a file store with SIGKILL at random moments and checks, after each kill, that
 * every message the store had reported durable is there and intact, and that new appends go above every
 * sequence used before.
 */
class FileStoreCrashTest {

    static final StreamConfig CONFIG = CrashChild.config();
    static final byte[] HEADERS = "NATS/1.0\r\nCrash: yes\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path directory;

    /** A payload that proves itself: writer, counter, filler, CRC32C of all that. */
    static byte[] payload(int writer, long n) {
        int filler = (int) ((n * 7919 + writer * 104729) % 300);
        ByteBuffer buffer = ByteBuffer.allocate(4 + 8 + filler + 4);
        buffer.putInt(writer).putLong(n);
        for (int i = 0; i < filler; i++) {
            buffer.put((byte) (n + i * 31 + writer));
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        return buffer.array();
    }

    static boolean selfConsistent(byte[] payload) {
        if (payload.length < 16) {
            return false;
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        int writer = buffer.getInt();
        long n = buffer.getLong();
        return writer >= 0 && writer < 16 && n >= 0 && java.util.Arrays.equals(payload, payload(writer, n));
    }

    @Test
    @Timeout(120)
    void durableMessagesSurviveSigkill() throws Exception {
        rounds(3, 42);
    }

    @Test
    @Tag("slow")
    @Timeout(1800)
    void durableMessagesSurviveFiftySigkills() throws Exception {
        rounds(50, 7);
    }

    private void rounds(int rounds, long seed) throws Exception {
        Random random = new Random(seed);
        long everUsed = 0;
        long everDurable = 0;
        List<long[]> durableRanges = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String durability = round % 3 == 2 ? "20" : "always";
            int writers = 1 + random.nextInt(4);
            long[] range = runAndKill(durability, writers, 150 + random.nextInt(900), 40_000 + random.nextInt(60_000));
            if (range[1] > range[0]) {
                durableRanges.add(range);
            }
            everDurable = Math.max(everDurable, range[1]);
            everUsed = check(round, durableRanges, everDurable, everUsed);
        }
        assertTrue(everDurable > 0, "expected some messages reported durable across " + rounds + " rounds");
    }

    /**
     * Starts the child, lets it append for {@code millis} after it is ready, kills it; returns the last
     * sequence it started after and the highest sequence it reported durable: every sequence in between is
     * one of its messages, durable.
     */
    private long[] runAndKill(String durability, int writers, long millis, long limit) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Xmx512m", CrashChild.class.getName(), directory.toString(), durability, Integer.toString(writers),
                Long.toString(limit));
        Path errors = directory.resolveSibling(directory.getFileName() + "-child.err");
        builder.redirectError(errors.toFile());
        Process child = builder.start();
        AtomicLong durable = new AtomicLong();
        AtomicLong start = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("READY")) {
                        start.set(Long.parseLong(line.substring(6).trim()));
                        ready.countDown();
                    } else if (line.startsWith("D ")) {
                        durable.accumulateAndGet(Long.parseLong(line.substring(2).trim()), Math::max);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the pipe closes when the child dies
            }
        });
        try {
            boolean started = ready.await(30, TimeUnit.SECONDS);
            if (!started) {
                String err = Files.readString(errors);
                throw new AssertionError("expected the child to open its store; it said: "
                        + err.substring(Math.max(0, err.length() - 3000)));
            }
            Thread.sleep(millis);
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "expected the killed child to exit");
            reader.join(10_000);
        }
        return new long[] {start.get(), Math.max(start.get(), durable.get())};
    }

    /**
     * Reopens the store: every sequence each child reported durable holds an intact message (sequences of
     * writes a kill tore before they were durable stay unused), nothing is reported lost, and a new append
     * goes above every sequence used before. Returns the highest sequence used.
     */
    private long check(int round, List<long[]> durableRanges, long durable, long everUsed) {
        StreamStore store = new FileStoreProvider().open(CONFIG, StoreContext.builder().directory(directory).build());
        try {
            StreamState state = store.state();
            assertTrue(state.lastSequence() >= durable, "round " + round + ": expected last_seq "
                    + state.lastSequence() + " to be at least the durable " + durable);
            assertTrue(state.lastSequence() >= everUsed, "round " + round + ": expected last_seq "
                    + state.lastSequence() + " never below a sequence used before, " + everUsed);
            assertTrue(state.lost().isEmpty(), "round " + round + ": expected nothing lost by a kill, got "
                    + state.lost());
            List<Long> missing = new ArrayList<>();
            for (long[] range : durableRanges) {
                for (long seq = range[0] + 1; seq <= range[1]; seq++) {
                    StoredMessage message = store.load(seq).orElse(null);
                    if (message == null || !selfConsistent(message.payload()) && !message.subject().equals("crash.check")) {
                        missing.add(seq);
                    }
                }
            }
            assertEquals(List.of(), missing.size() > 20 ? missing.subList(0, 20) : missing,
                    "round " + round + ": expected every message reported durable present and intact");
            for (long seq = durable + 1; seq <= state.lastSequence(); seq++) {
                store.load(seq).ifPresent(m -> assertTrue(selfConsistent(m.payload()),
                        "expected messages beyond the durable point, if present, to be intact"));
            }
            long next = store.append("crash.check", new byte[0], payload(15, round), 0).sequence();
            assertEquals(state.lastSequence() + 1, next, "round " + round + ": expected the next sequence");
            assertTrue(next > everUsed && next > durable, "expected a new append above every sequence used");
            store.sync();
            return next;
        } finally {
            store.close();
        }
    }
}
