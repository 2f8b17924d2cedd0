package nats.jetstream.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A storage backend for JetStream, found with {@link java.util.ServiceLoader} (see {@link StoreProviders}).
 * A backend module declares {@code provides nats.jetstream.store.StoreProvider with ...}.
 */
public interface StoreProvider {

    /** {@link #storageType()} of the memory backend. */
    String MEMORY = "memory";
    /** {@link #storageType()} of the file backend. */
    String FILE = "file";

    /** The stream {@code storage} value this backend serves: {@code "memory"} or {@code "file"}. */
    String storageType();

    /**
     * Opens a stream's store, recovering what a file store holds in the context's directory (or creating
     * it). A file store reports what recovery found damaged and opens anyway.
     *
     * @throws StoreException {@link StoreException.Kind#WRONG_KEY} when stored data was encrypted with another
     *     key, {@link StoreException.Kind#IO} when the directory cannot be used
     */
    StreamStore open(StreamConfig config, StoreContext context);

    /**
     * Creates a stream's store from a {@link StreamStore#snapshot} (of either storage type). The directory of
     * a file store must be empty or absent.
     *
     * @throws StoreException {@link StoreException.Kind#CORRUPT} when the snapshot is damaged or truncated
     */
    StreamStore restore(StreamConfig config, StoreContext context, InputStream snapshot);

    /**
     * Checks a stored stream offline, without changing anything, and reports what is damaged. A memory
     * backend has nothing to check and reports an empty directory.
     *
     * @param directory the stream's directory
     * @param context supplies the encryption key (needed to check encrypted records) and the logger
     */
    VerifyReport verify(Path directory, StoreContext context);

    /**
     * The owner metadata stored in a stream's directory, so that JetStream can find its streams at start-up
     * before opening them. A memory backend stores nothing across restarts.
     */
    Optional<byte[]> readMetadata(Path directory, StoreContext context);
}
