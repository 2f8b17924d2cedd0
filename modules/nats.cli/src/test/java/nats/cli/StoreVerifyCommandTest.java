package nats.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StoreProviders;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nats-server store verify DIR}: an intact store passes, a flipped bit is found and named. */
class StoreVerifyCommandTest {

    @Test
    void intactStorePassesAndAFlippedBitIsReported(@TempDir Path dir) throws Exception {
        Path stream = dir.resolve("jetstream").resolve("$G").resolve("streams").resolve("ORDERS");
        Files.createDirectories(stream);
        StreamStore store = StoreProviders.find("file").orElseThrow()
                .open(StreamConfig.builder("ORDERS").build(), StoreContext.builder().directory(stream).build());
        for (int i = 0; i < 20; i++) {
            store.append("orders." + i, new byte[0], ("order " + i).getBytes(StandardCharsets.UTF_8), 0);
        }
        store.close();

        Result intact = run("store", "verify", dir.toString());
        assertEquals(0, intact.code(), "an intact store verifies: " + intact.out());
        assertTrue(intact.out().contains("20 messages") && intact.out().contains(": ok"), intact.out());

        Path block;
        try (Stream<Path> files = Files.walk(stream)) {
            block = files.filter(p -> p.toString().endsWith(".blk")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(block.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
        Result damaged = run("store", "verify", stream.toString());
        assertEquals(1, damaged.code(), "damage makes the command fail: " + damaged.out());
        assertTrue(damaged.out().contains(block.getFileName().toString()) && damaged.out().contains("lost"),
                "the report names the block and what was lost: " + damaged.out());
    }

    private record Result(int code, String out) {
    }

    private static Result run(String... args) {
        PrintStream before = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Result(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(before);
        }
    }
}
