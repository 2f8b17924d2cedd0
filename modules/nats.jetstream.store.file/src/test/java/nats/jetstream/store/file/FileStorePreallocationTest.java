package nats.jetstream.store.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamState;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.VerifyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zeros a durable store writes ahead of its records (so that a sync after an append changes no file size):
 * they are there while a block is appended to, gone from sealed blocks and after a clean close, read as the
 * block's end after a crash, and never hide damage in the records before them.
 */
@Timeout(60)
class FileStorePreallocationTest {

    private static final FileStoreProvider PROVIDER = new FileStoreProvider();
    private static final StreamConfig CONFIG = StreamConfig.builder("PRE").subjects("p.>").build();
    private static final int MESSAGES = 200;

    @TempDir
    Path root;

    private static StoreContext context(Path directory) {
        return StoreContext.builder().directory(directory).build();
    }

    private static byte[] payload(long seq) {
        return ("payload " + seq + " " + "x".repeat((int) (seq % 40))).getBytes(UTF_8);
    }

    private static List<Path> blocks(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory.resolve("msgs"))) {
            return files.filter(p -> p.toString().endsWith(".blk")).sorted().toList();
        }
    }

    /** Writes and syncs messages, then copies the files as a kill -9 would leave them (the store still open). */
    private Path crashedCopy() throws IOException {
        Path live = root.resolve("live");
        StreamStore store = PROVIDER.open(CONFIG, context(live));
        try {
            for (long seq = 1; seq <= MESSAGES; seq++) {
                store.append("p." + (seq % 3), new byte[0], payload(seq), 0);
            }
            store.sync();
            Path copy = root.resolve("crashed");
            try (Stream<Path> paths = Files.walk(live)) {
                for (Path source : paths.toList()) {
                    Path target = copy.resolve(live.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return copy;
        } finally {
            store.close();
        }
    }

    private static boolean endsWithZeros(Path file, int count) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return bytes.length >= count
                && Arrays.equals(Arrays.copyOfRange(bytes, bytes.length - count, bytes.length), new byte[count]);
    }

    private static void assertAllMessages(StreamStore store, String when) {
        StreamState state = store.state();
        assertEquals(MESSAGES, state.messages(), "expected every message " + when);
        assertEquals(MESSAGES, state.lastSequence(), "expected the last sequence kept " + when);
        assertEquals(0, state.lost().sequences().length, "expected nothing reported lost " + when);
        for (long seq = 1; seq <= MESSAGES; seq++) {
            long s = seq;
            assertArrayEquals(payload(seq), store.load(seq).orElseThrow(() -> new AssertionError("message " + s
                    + " missing " + when)).payload(), "expected the payload of " + seq + " " + when);
        }
    }

    @Test
    void theBlockBeingWrittenHasZerosAheadOfItsRecords() throws IOException {
        Path copy = crashedCopy();
        Path block = blocks(copy).get(0);
        assertTrue(Files.size(block) >= 64 * 1024, "expected the block written ahead to 64 KiB, was "
                + Files.size(block));
        assertTrue(endsWithZeros(block, 1024), "expected zeros after the records");
    }

    @Test
    void afterACrashTheZerosAreTheEndNotDamageAndAreCutOff() throws IOException {
        Path copy = crashedCopy();
        Path block = blocks(copy).get(0);
        VerifyReport report = PROVIDER.verify(copy, context(copy));
        assertTrue(report.ok(), () -> "expected the verifier to find no damage: " + report.damage());
        StreamStore store = PROVIDER.open(CONFIG, context(copy));
        try {
            assertAllMessages(store, "after the crash");
            assertFalse(endsWithZeros(block, 16), "expected recovery to cut the zeros off the old block");
            assertEquals(MESSAGES + 1, store.append("p.next", new byte[0], new byte[] {1}, 0).sequence(),
                    "expected appends to continue after the last sequence");
        } finally {
            store.close();
        }
    }

    @Test
    void sealedBlocksAndACleanCloseLeaveNoZeros() throws IOException {
        Path directory = root.resolve("rolled");
        StoreContext context = StoreContext.builder().directory(directory).blockSize(16 * 1024).build();
        StreamStore store = PROVIDER.open(CONFIG, context);
        for (long seq = 1; seq <= 1500; seq++) {
            store.append("p." + (seq % 3), new byte[0], payload(seq), 0);
            if (seq % 50 == 0) {
                store.sync();
            }
        }
        store.close();
        List<Path> blocks = blocks(directory);
        assertTrue(blocks.size() > 3, "expected several blocks, got " + blocks.size());
        for (Path block : blocks) {
            assertFalse(endsWithZeros(block, 16), "expected " + block.getFileName() + " to end with its records");
        }
        StreamStore reopened = PROVIDER.open(CONFIG, context);
        try {
            assertEquals(1500, reopened.state().messages(), "expected every message after reopen");
        } finally {
            reopened.close();
        }
    }

    @Test
    void aFlippedBitInTheZerosCostsNoMessage() throws IOException {
        Path copy = crashedCopy();
        Path block = blocks(copy).get(0);
        long size = Files.size(block);
        try (RandomAccessFile file = new RandomAccessFile(block.toFile(), "rw")) {
            file.seek(size - 100);
            file.write(0x10);
        }
        StreamStore store = PROVIDER.open(CONFIG, context(copy));
        try {
            assertAllMessages(store, "after a bit flipped in the zeros");
        } finally {
            store.close();
        }
    }

    @Test
    void aDamagedLastRecordBeforeTheZerosIsReportedLost() throws IOException {
        Path copy = crashedCopy();
        Path block = blocks(copy).get(0);
        byte[] bytes = Files.readAllBytes(block);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        // The last record's payload ends a few bytes before its 4-byte checksum.
        try (RandomAccessFile file = new RandomAccessFile(block.toFile(), "rw")) {
            file.seek(end - 6);
            file.write(bytes[end - 6] ^ 0x01);
        }
        StreamStore store = PROVIDER.open(CONFIG, context(copy));
        try {
            StreamState state = store.state();
            assertArrayEquals(new long[] {MESSAGES}, state.lost().sequences(),
                    "expected the damaged last message reported lost");
            assertTrue(store.load(MESSAGES).isEmpty(), "expected the damaged message not served");
            assertEquals(MESSAGES, state.lastSequence(), "expected the last sequence kept");
        } finally {
            store.close();
        }
    }
}
