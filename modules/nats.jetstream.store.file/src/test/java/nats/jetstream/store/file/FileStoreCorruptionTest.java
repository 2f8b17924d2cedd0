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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import nats.jetstream.store.AckPolicy;
import nats.jetstream.store.Compression;
import nats.jetstream.store.ConsumerConfig;
import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.ConsumerStore;
import nats.jetstream.store.Encryption;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamState;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.VerifyReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to each kind of file (blocks, metadata, high-water mark, consumer state): it is detected and
 * reported (log, lost data in the state, the verifier), nothing wrong is served, nothing intact is hidden,
 * and sequences never go back.
 */
@Timeout(120)
class FileStoreCorruptionTest {

    private static final FileStoreProvider PROVIDER = new FileStoreProvider();
    private static final int MESSAGES = 1200;
    private static final StreamConfig CONFIG = StreamConfig.builder("DAMAGE").subjects("d.>").build();

    @TempDir
    Path root;
    private Path pristine;
    private int copies;

    @BeforeEach
    void writePristineStore() {
        pristine = root.resolve("pristine");
        StreamStore store = PROVIDER.open(CONFIG, context(pristine).build());
        for (long seq = 1; seq <= MESSAGES; seq++) {
            store.append("d." + (seq % 5), seq % 7 == 0 ? "NATS/1.0\r\nH: 1\r\n\r\n".getBytes(UTF_8) : new byte[0],
                    payload(seq), 0);
        }
        ConsumerStore consumer = store.consumer("C", new ConsumerConfig(AckPolicy.EXPLICIT, -1));
        consumer.updateDelivered(1, 1, 1, 1);
        consumer.flush();
        consumer.updateDelivered(2, 2, 1, 2);
        consumer.flush();
        store.writeMetadata("stream metadata".getBytes(UTF_8));
        store.close();
    }

    private static StoreContext.Builder context(Path directory) {
        return StoreContext.builder().directory(directory).blockSize(16 * 1024);
    }

    static byte[] payload(long seq) {
        return ("message " + seq + " " + "#".repeat((int) (seq % 90))).getBytes(UTF_8);
    }

    private Path copy() throws IOException {
        Path target = root.resolve("copy-" + copies++);
        try (Stream<Path> paths = Files.walk(pristine)) {
            for (Path source : paths.toList()) {
                Path destination = target.resolve(pristine.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }

    private static List<Path> blocks(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory.resolve("msgs"))) {
            return files.filter(p -> p.toString().endsWith(".blk")).filter(p -> {
                try {
                    return Files.size(p) > 64;
                } catch (IOException e) {
                    return false;
                }
            }).sorted().toList();
        }
    }

    private static void flipBit(Path file, long position, int bit) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ (1 << bit));
        }
    }

    private static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    /**
     * Opens the damaged store and checks the promises. Returns the sequences it reports lost.
     *
     * @param maxLost the most messages this damage may cost
     */
    private long[] checkDamaged(Path directory, int maxLost) {
        VerifyReport report = PROVIDER.verify(directory, context(directory).build());
        StreamStore store = PROVIDER.open(CONFIG, context(directory).build());
        try {
            StreamState state = store.state();
            assertTrue(state.lastSequence() >= MESSAGES, "expected sequences never to go back, last_seq was "
                    + state.lastSequence());
            long[] lost = state.lost().sequences();
            List<Long> hidden = new ArrayList<>();
            for (long seq = 1; seq <= MESSAGES; seq++) {
                StoredMessage message = store.load(seq).orElse(null);
                if (message != null) {
                    assertArrayEquals(payload(seq), message.payload(), "expected message " + seq
                            + " to be served only with its own payload");
                    assertEquals("d." + (seq % 5), message.subject(), "expected the subject of " + seq);
                } else if (Arrays.binarySearch(state.lost().sequences(), seq) < 0) {
                    hidden.add(seq);
                }
            }
            lost = store.state().lost().sequences();
            assertEquals(List.of(), hidden, "expected every message not served to be reported lost");
            assertTrue(lost.length <= maxLost, "expected at most " + maxLost + " messages lost, got "
                    + lost.length + ": " + Arrays.toString(Arrays.copyOf(lost, Math.min(lost.length, 20))));
            if (lost.length > 0) {
                assertFalse(report.ok(), "expected the verifier to report the damage");
                assertTrue(store.stats().damageEvents() > 0, "expected the damage counted");
            }
            long next = store.append("d.new", new byte[0], new byte[] {1}, 0).sequence();
            assertEquals(state.lastSequence() + 1, next, "expected appends to continue after the last sequence");
            assertTrue(next > MESSAGES, "expected no sequence used twice");
            return lost;
        } finally {
            store.close();
        }
    }

    @Test
    void aFlippedBitAnywhereInABlockCostsOneMessage() throws IOException {
        Random random = new Random(11);
        for (int round = 0; round < 24; round++) {
            Path directory = copy();
            List<Path> blocks = blocks(directory);
            Path block = blocks.get(random.nextInt(blocks.size()));
            long size = Files.size(block);
            long position = 64 + (long) (random.nextDouble() * (size - 64));
            flipBit(block, position, random.nextInt(8));
            long[] lost = checkDamaged(directory, 1);
            assertEquals(1, lost.length, "round " + round + ": expected the one damaged message reported lost ("
                    + block.getFileName() + " @" + position + ")");
            VerifyReport report = PROVIDER.verify(directory, context(directory).build());
            assertTrue(report.damage().stream().anyMatch(d -> d.file().contains(block.getFileName().toString())
                    && d.firstSequence() == lost[0]), () -> "expected the verifier to name the file and sequence: "
                    + report.damage());
        }
    }

    @Test
    void aDamagedBlockHeaderCostsNothingInAPlainStore() throws IOException {
        Path directory = copy();
        Path block = blocks(directory).get(1);
        flipBit(block, 20, 3);
        checkDamaged(directory, 0);
        VerifyReport report = PROVIDER.verify(directory, context(directory).build());
        assertFalse(report.ok(), "expected the damaged header reported");
        assertTrue(report.damage().get(0).description().contains("header"), () -> "expected a header report: "
                + report.damage());
    }

    @Test
    void aTruncatedMiddleBlockLosesOnlyWhatWasCut() throws IOException {
        Random random = new Random(5);
        for (int round = 0; round < 6; round++) {
            Path directory = copy();
            List<Path> blocks = blocks(directory);
            Path block = blocks.get(1 + random.nextInt(blocks.size() - 2));
            long size = Files.size(block);
            truncate(block, 64 + random.nextInt((int) size - 64));
            long[] lost = checkDamaged(directory, 200);
            assertTrue(lost.length > 0 || Files.size(block) == size, "expected the cut messages reported lost");
        }
    }

    @Test
    void aTruncatedOrMissingLastBlockDoesNotMoveSequencesBack() throws IOException {
        Path cut = copy();
        List<Path> blocks = blocks(cut);
        Path last = blocks.get(blocks.size() - 1);
        truncate(last, Files.size(last) / 2);
        long[] lost = checkDamaged(cut, 200);
        assertTrue(lost.length > 0, "expected the cut tail reported lost");
        assertEquals(MESSAGES, lost[lost.length - 1], "expected the lost range to reach the old last sequence");

        Path gone = copy();
        blocks = blocks(gone);
        Files.delete(blocks.get(blocks.size() - 1));
        lost = checkDamaged(gone, 200);
        assertTrue(lost.length > 0, "expected the messages of the deleted block reported lost");
    }

    @Test
    void aTruncatedLastBlockAndAnEmptiedMarkStillFindTheBlocksLastSequence() throws IOException {
        Path directory = copy();
        truncate(directory.resolve("hwm"), 0);
        StreamStore store = PROVIDER.open(CONFIG, context(directory).build());
        try {
            assertEquals(MESSAGES, store.state().lastSequence(), "expected the last sequence from the blocks");
            assertEquals(0, store.state().lost().sequences().length, "expected nothing lost");
        } finally {
            store.close();
        }
    }

    @Test
    void aDamagedHighWaterMarkSlotFallsBackToTheOther() throws IOException {
        Path directory = copy();
        flipBit(directory.resolve("hwm"), 10, 1); // slot 0 only: slot 1 (bytes 32..63) stays intact
        VerifyReport report = PROVIDER.verify(directory, context(directory).build());
        assertFalse(report.ok(), "expected a damaged mark slot reported");
        List<Path> blocks = blocks(directory);
        Path last = blocks.get(blocks.size() - 1);
        truncate(last, 64);
        checkDamaged(directory, 200);
    }

    @Test
    void damagedStreamMetadataIsReportedAndTheStoreStillOpens() throws IOException {
        Path directory = copy();
        flipBit(directory.resolve("meta.dat"), 20, 0);
        flipBit(directory.resolve("user.meta"), 20, 0);
        VerifyReport report = PROVIDER.verify(directory, context(directory).build());
        assertTrue(report.damage().stream().anyMatch(d -> d.file().equals("meta.dat")),
                () -> "expected meta.dat reported: " + report.damage());
        assertTrue(report.damage().stream().anyMatch(d -> d.file().equals("user.meta")),
                () -> "expected user.meta reported: " + report.damage());
        checkDamaged(directory, 0);
        StreamStore store = PROVIDER.open(CONFIG, context(directory).build());
        try {
            assertTrue(store.metadata().isEmpty(), "expected damaged metadata not served");
        } finally {
            store.close();
        }
    }

    @Test
    void aDamagedConsumerStateFallsBackToTheOtherCopy() throws IOException {
        List<Long> delivered = new ArrayList<>();
        for (String damaged : new String[] {"state.0", "state.1"}) {
            Path directory = copy();
            Path file = directory.resolve("obs").resolve("C").resolve(damaged);
            flipBit(file, Files.size(file) - 6, 2);
            VerifyReport report = PROVIDER.verify(directory, context(directory).build());
            assertTrue(report.damage().stream().anyMatch(d -> d.file().contains("obs")),
                    () -> "expected the consumer state reported: " + report.damage());
            StreamStore store = PROVIDER.open(CONFIG, context(directory).build());
            try {
                delivered.add(store.consumer("C", new ConsumerConfig(AckPolicy.EXPLICIT, -1)).state()
                        .delivered().stream());
                assertEquals(1, store.stats().damageEvents(), "expected the damaged consumer file counted");
            } finally {
                store.close();
            }
        }
        delivered.sort(null);
        assertEquals(List.of(1L, 2L), delivered, "expected damage to either copy to fall back to the other:"
                + " the older state (one delivery) or the newer (two)");
        Path directory = copy();
        Path consumer = directory.resolve("obs").resolve("C");
        truncate(consumer.resolve("state.0"), 3);
        truncate(consumer.resolve("state.1"), 3);
        StreamStore store = PROVIDER.open(CONFIG, context(directory).build());
        try {
            assertEquals(ConsumerState.EMPTY, store.consumer("C", new ConsumerConfig(AckPolicy.EXPLICIT, -1)).state(),
                    "expected an empty state when both copies are damaged (deliveries start over)");
        } finally {
            store.close();
        }
    }

    @Test
    void damageFoundOnReadIsReportedAndNotServed() throws IOException {
        Path directory = copy();
        StreamStore store = PROVIDER.open(CONFIG, context(directory).build());
        try {
            Path block = blocks(directory).get(2);
            // The first message record of the block starts right after its 64-byte header.
            flipBit(block, 64 + 40, 4);
            long damagedSeq = -1;
            for (long seq = 1; seq <= MESSAGES; seq++) {
                if (store.load(seq).isEmpty()) {
                    damagedSeq = seq;
                    break;
                }
            }
            assertTrue(damagedSeq > 0, "expected the damaged message not served");
            long expected = damagedSeq;
            assertTrue(Arrays.stream(store.state().lost().sequences()).anyMatch(s -> s == expected),
                    "expected the damaged message reported lost");
            assertEquals(1, store.stats().damageEvents(), "expected one damage event");
            assertEquals(MESSAGES - 1, store.state().messages(), "expected the rest of the stream usable");
            assertArrayEquals(payload(expected + 1), store.load(expected + 1).orElseThrow().payload(),
                    "expected the next message intact");
        } finally {
            store.close();
        }
    }

    @Test
    void aFlippedBitInAnEncryptedBlockIsDamageNotAWrongKey() throws IOException {
        Path directory = root.resolve("encrypted");
        StoreContext context = context(directory)
                .encryption(new Encryption(Encryption.Cipher.CHACHA20_POLY1305, "k".getBytes(UTF_8))).build();
        StreamStore store = PROVIDER.open(CONFIG, context);
        for (long seq = 1; seq <= 400; seq++) {
            store.append("d." + (seq % 5), new byte[0], payload(seq), 0);
        }
        store.close();
        Path block = blocks(directory).get(1);
        flipBit(block, Files.size(block) / 2, 6);
        StreamStore reopened = PROVIDER.open(CONFIG, context);
        try {
            assertEquals(1, reopened.state().lost().sequences().length, "expected one message lost");
            assertEquals(399, reopened.state().messages(), "expected the others readable");
        } finally {
            reopened.close();
        }
    }

    @Test
    void aFlippedBitInACompressedFrameCostsThatFrameOnly() throws Exception {
        Path directory = root.resolve("compressed");
        StreamConfig config = CONFIG.toBuilder().compression(Compression.S2).build();
        StreamStore store = PROVIDER.open(config, context(directory).build());
        for (long seq = 1; seq <= 1000; seq++) {
            store.append("d." + (seq % 5), new byte[0], payload(seq), 0);
        }
        store.sync();
        long deadline = System.nanoTime() + 10_000_000_000L;
        Path compressed = null;
        while (compressed == null && System.nanoTime() < deadline) {
            for (Path block : blocks(directory)) {
                byte[] header = Files.readAllBytes(block);
                if ((header[5] & 2) != 0) {
                    compressed = block;
                    break;
                }
            }
            Thread.sleep(20);
        }
        store.close();
        assertTrue(compressed != null, "expected a compressed block");
        flipBit(compressed, Files.size(compressed) - 10, 5);
        StreamStore reopened = PROVIDER.open(config, context(directory).build());
        try {
            long[] lost = reopened.state().lost().sequences();
            assertTrue(lost.length > 0 && lost.length < 200, "expected the frame's messages lost, got "
                    + lost.length);
            for (long seq = 1; seq <= 1000; seq++) {
                long s = seq;
                reopened.load(seq).ifPresent(m -> assertArrayEquals(payload(s), m.payload(),
                        "expected only intact payloads"));
            }
            assertEquals(1000 - lost.length, reopened.state().messages(), "expected every other message");
        } finally {
            reopened.close();
        }
    }
}
