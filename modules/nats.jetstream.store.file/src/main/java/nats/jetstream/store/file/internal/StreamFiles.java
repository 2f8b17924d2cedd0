package nats.jetstream.store.file.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;

/** Names and small files of a stream directory besides its blocks: owner metadata, consumer directories. */
final class StreamFiles {

    static final String USER_META = "user.meta";

    private StreamFiles() {
    }

    /** The owner's metadata in {@code directory}; damage is logged and yields nothing. */
    static Optional<byte[]> readUserMetadata(Path directory, Crypto crypto, System.Logger logger, String name) {
        try {
            AtomicFile.Content content = AtomicFile.read(directory.resolve(USER_META), crypto, "stream metadata");
            if (content instanceof AtomicFile.Damaged damaged) {
                logger.log(System.Logger.Level.ERROR, "JetStream stream ''{0}'': {1} is damaged ({2})", name,
                        USER_META, damaged.reason());
            }
            return AtomicFile.payload(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the consumers with a directory under {@code consumers}, sorted. */
    static List<String> consumerNames(Path consumers) {
        if (!Files.isDirectory(consumers)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(consumers)) {
            return entries.filter(Files::isDirectory).map(p -> decodeName(p.getFileName().toString())).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A consumer name as a file name: ASCII letters, digits, '-' and '_' kept, any other byte as %XX. */
    static String encodeName(String consumer) {
        StringBuilder out = new StringBuilder();
        for (byte b : consumer.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    /** The consumer name {@link #encodeName} turned into {@code file}. */
    static String decodeName(String file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < file.length(); i++) {
            char c = file.charAt(i);
            if (c == '%' && i + 2 < file.length()) {
                out.write(Integer.parseInt(file.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Removes {@code root} and everything in it. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(path);
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        } catch (IOException e) {
            throw new StoreException(Kind.IO, "deleting " + root + " failed: " + e, e);
        }
    }
}
