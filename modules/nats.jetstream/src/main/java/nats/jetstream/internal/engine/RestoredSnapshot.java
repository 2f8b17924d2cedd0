package nats.jetstream.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.internal.model.StreamSettings;
import nats.jetstream.store.AckPolicy;
import nats.jetstream.store.ConsumerConfig;
import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.ConsumerStore;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamState;
import nats.jetstream.store.StreamStore;

/**
 * A stream snapshot ({@code STREAM.SNAPSHOT}'s bytes) opened as a store of its own in a scratch directory, to be
 * read message by message: a clustered restore replicates what it holds through the stream's group instead of
 * putting the files under one replica. Closing it deletes the scratch copy.
 */
public final class RestoredSnapshot implements AutoCloseable {

    private final StreamStore store;
    private final Path directory;

    private RestoredSnapshot(StreamStore store, Path directory) {
        this.store = store;
        this.directory = directory;
    }

    /** Unpacks {@code snapshot} for a stream configured as {@code cfg}; Go's 10062 "restore failed" otherwise. */
    public static RestoredSnapshot open(JsAccount account, StreamSettings cfg, InputStream snapshot) {
        JetStream js = account.js();
        Path directory;
        try {
            Path staging = js.options().storeRoot().resolve("_snapshots");
            Files.createDirectories(staging);
            directory = Files.createTempDirectory(staging, "js-restored-");
        } catch (IOException e) {
            throw new ApiException(JsErrors.TEMP_STORAGE_FAILED);
        }
        try {
            StreamStore store = js.provider(cfg.storage).restore(cfg.storeConfig(),
                    js.storeContext(directory, cfg.name), snapshot);
            return new RestoredSnapshot(store, directory);
        } catch (StoreException | IllegalStateException e) {
            Replicas.deleteTree(directory);
            throw new ApiException(JsErrors.STREAM_RESTORE, e.getMessage());
        }
    }

    public StreamState state() {
        return store.state();
    }

    public Optional<StoredMessage> load(long sequence) {
        return store.load(sequence);
    }

    /** The consumers the snapshot holds: each one's definition (as a replicated consumer's) and state. */
    public Map<String, Map.Entry<byte[], ConsumerState>> consumers() {
        Map<String, Map.Entry<byte[], ConsumerState>> out = new TreeMap<>();
        for (String name : store.consumerNames()) {
            ConsumerStore c = store.consumer(name, new ConsumerConfig(AckPolicy.NONE, 0));
            try {
                Optional<byte[]> definition = c.metadata();
                if (definition.isPresent()) {
                    out.put(name, Map.entry(definition.get(), c.state()));
                }
            } finally {
                c.close();
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            Replicas.deleteTree(directory);
        }
    }
}
