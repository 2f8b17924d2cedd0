package nats.jetstream.store.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;
import nats.jetstream.store.StoreProvider;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.VerifyReport;
import nats.jetstream.store.file.internal.FileStorage;
import nats.jetstream.store.file.internal.Verifier;
import nats.jetstream.store.support.StreamEngine;

/**
 * Opens streams kept on disk (JetStream {@code storage: file}), one directory per stream: crash-safe,
 * checksummed, durable before acknowledged by default.
 */
public final class FileStoreProvider implements StoreProvider {

    @Override
    public String storageType() {
        return FILE;
    }

    @Override
    public StreamStore open(StreamConfig config, StoreContext context) {
        return StreamEngine.open(config, context, new FileStorage(config, context));
    }

    @Override
    public StreamStore restore(StreamConfig config, StoreContext context, InputStream snapshot) {
        Path directory = context.requireDirectory();
        if (Files.exists(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new StoreException(Kind.BAD_REQUEST, "cannot restore into " + directory
                            + ": the directory is not empty");
                }
            } catch (IOException e) {
                throw new StoreException(Kind.IO, "cannot read " + directory + ": " + e, e);
            }
        }
        return StreamEngine.restore(config, context, new FileStorage(config, context), snapshot);
    }

    @Override
    public VerifyReport verify(Path directory, StoreContext context) {
        return Verifier.verify(directory, context);
    }

    @Override
    public Optional<byte[]> readMetadata(Path directory, StoreContext context) {
        return Verifier.readMetadata(directory, context);
    }
}
