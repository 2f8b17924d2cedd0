package nats.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StoreProvider;
import nats.jetstream.store.StoreProviders;
import nats.jetstream.store.VerifyReport;

/**
 * {@code nats-server store verify DIR}: checks a file store offline, without starting a server, and prints what is
 * damaged. {@code DIR} is one stream's directory or any directory above stream directories (a whole
 * {@code store_dir}): every stream directory below it is checked. Exit code 0 when nothing is damaged, 1 otherwise.
 */
final class StoreVerifyCommand {

    private StoreVerifyCommand() {
    }

    static int run(Path dir) {
        Optional<StoreProvider> files = StoreProviders.find("file");
        if (files.isEmpty()) {
            System.err.println("nats-server: the file store module (nats.jetstream.store.file) is not in this image");
            return Main.EXIT_FAILURE;
        }
        if (!Files.isDirectory(dir)) {
            System.err.println("nats-server: " + dir + " is not a directory");
            return Main.EXIT_FAILURE;
        }
        List<Path> streams;
        try {
            streams = streamDirectories(dir);
        } catch (IOException e) {
            System.err.println("nats-server: cannot read " + dir + ": " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        if (streams.isEmpty()) {
            System.err.println("nats-server: no stream directory found under " + dir);
            return Main.EXIT_FAILURE;
        }
        boolean damaged = false;
        for (Path stream : streams) {
            VerifyReport report = files.get().verify(stream, StoreContext.builder().directory(stream).build());
            System.out.printf("%s: %d files, %d messages, %d bytes, sequences %d..%d: %s%n", stream, report.files(),
                    report.messages(), report.bytes(), report.firstSequence(), report.lastSequence(),
                    report.ok() ? "ok" : report.damage().size() + " problem(s)");
            for (VerifyReport.Damage d : report.damage()) {
                System.out.println("  " + d);
            }
            damaged |= !report.ok();
        }
        return damaged ? Main.EXIT_FAILURE : Main.EXIT_OK;
    }

    /** A stream directory holds the store's {@code meta.dat}; any directory above one is searched. */
    private static List<Path> streamDirectories(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> p.getFileName().toString().equals("meta.dat") && Files.isRegularFile(p))
                    .map(Path::getParent).sorted().forEach(found::add);
        }
        return found;
    }
}
