package nats.jetstream.store.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.contract.StreamStoreContract;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against the file backend. */
class FileStoreContractTest extends StreamStoreContract {

    private final FileStoreProvider provider = new FileStoreProvider();
    private final Map<StreamStore, Path> directories = new HashMap<>();
    private int next;

    @TempDir
    Path root;

    private Path newDirectory() {
        return root.resolve("stream-" + next++);
    }

    private StoreContext context(Path directory) {
        return StoreContext.builder().directory(directory).blockSize(64 * 1024).build();
    }

    @Override
    protected StreamStore create(StreamConfig config) {
        Path directory = newDirectory();
        StreamStore store = provider.open(config, context(directory));
        directories.put(store, directory);
        return store;
    }

    @Override
    protected StreamStore restore(StreamConfig config, InputStream snapshot) {
        Path directory = newDirectory();
        StreamStore store = provider.restore(config, context(directory), snapshot);
        directories.put(store, directory);
        return store;
    }

    @Override
    protected long messageSize(String subject, int headers, int payload) {
        return headers == 0 ? 30 + subject.length() + payload : 34 + subject.length() + headers + payload;
    }

    @Override
    protected boolean persistent() {
        return true;
    }

    @Override
    protected StreamStore reopen(StreamStore store, StreamConfig config) {
        Path directory = directories.get(store);
        store.close();
        StreamStore reopened = provider.open(config, context(directory));
        directories.put(reopened, directory);
        return track(reopened);
    }

    static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
