package nats.jetstream.store.memory;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StoreProvider;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.VerifyReport;
import nats.jetstream.store.memory.internal.MemoryStorage;
import nats.jetstream.store.support.StreamEngine;

/** Opens streams kept in memory (JetStream {@code storage: memory}). */
public final class MemoryStoreProvider implements StoreProvider {

    @Override
    public String storageType() {
        return MEMORY;
    }

    @Override
    public StreamStore open(StreamConfig config, StoreContext context) {
        return StreamEngine.open(config, context, new MemoryStorage());
    }

    @Override
    public StreamStore restore(StreamConfig config, StoreContext context, InputStream snapshot) {
        return StreamEngine.restore(config, context, new MemoryStorage(), snapshot);
    }

    /** A memory store keeps nothing on disk: there is nothing to check. */
    @Override
    public VerifyReport verify(Path directory, StoreContext context) {
        return new VerifyReport(directory, 0, 0, 0, 0, 0, List.of());
    }

    @Override
    public Optional<byte[]> readMetadata(Path directory, StoreContext context) {
        return Optional.empty();
    }
}
