package nats.jetstream.store.file;

import java.nio.file.Path;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.contract.StreamStorePropertyContract;
import org.junit.jupiter.api.io.TempDir;

/** Random operations against the file backend (small blocks, reopened now and then) and a model. */
class FileStorePropertyTest extends StreamStorePropertyContract {

    @TempDir
    Path root;
    private int stores;
    private Path current;

    private StoreContext context() {
        return StoreContext.builder().directory(current).blockSize(2048).build();
    }

    @Override
    protected StreamStore create(StreamConfig config) {
        current = root.resolve("s" + stores++);
        return new FileStoreProvider().open(config, context());
    }

    @Override
    protected StreamStore reopen(StreamStore store, StreamConfig config) {
        store.close();
        return new FileStoreProvider().open(config, context());
    }
}
