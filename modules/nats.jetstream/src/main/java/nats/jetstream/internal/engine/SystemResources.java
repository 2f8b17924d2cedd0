package nats.jetstream.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's memory and the store disk's free space, for Go's default JetStream limits (75% of each). */
final class SystemResources {

    private SystemResources() {
    }

    static long defaultMaxMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return kib * 1024 / 4 * 3;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux: fall back to what the JVM may use.
        }
        return Runtime.getRuntime().maxMemory() / 4 * 3;
    }

    static long defaultMaxStore(Path storeRoot) {
        Path p = storeRoot.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return 1L << 40;
        }
        try {
            return Files.getFileStore(p).getUsableSpace() / 4 * 3;
        } catch (IOException e) {
            return 1L << 40;
        }
    }
}
