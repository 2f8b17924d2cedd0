package nats.jetstream.store;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * Where and how a store keeps a stream: everything that comes from the server's {@code jetstream {}} block
 * rather than from the stream's own configuration.
 *
 * @param directory the stream's own directory (required by a file store, ignored by a memory store)
 * @param durability when appends count as durable
 * @param encryption encryption at rest, if configured
 * @param logger where the store logs (damage found, durability warnings)
 * @param clock the time source for message timestamps, {@code max_age} and TTLs
 * @param blockSize largest message block a file store writes before starting a new one; 0 for its default
 * @param readCacheBytes bytes a file store may keep in its read cache; 0 for its default
 * @param threads makes the store's background threads (flusher, timers)
 */
public record StoreContext(Optional<Path> directory, Durability durability, Optional<Encryption> encryption,
        System.Logger logger, InstantSource clock, long blockSize, long readCacheBytes, ThreadFactory threads) {

    public StoreContext {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(threads, "threads");
        if (blockSize < 0 || readCacheBytes < 0) {
            throw new IllegalArgumentException("block size and read cache size must not be negative");
        }
    }

    /** A context with no directory, {@link Durability#ALWAYS}, no encryption, the system clock. */
    public static Builder builder() {
        return new Builder();
    }

    /** The stream's directory, or a clear error when there is none. */
    public Path requireDirectory() {
        return directory.orElseThrow(() -> new StoreException(StoreException.Kind.BAD_REQUEST,
                "a file store needs a directory in its store context"));
    }

    /** A builder holding this context, to change some of it. */
    public Builder toBuilder() {
        Builder builder = new Builder().durability(durability).logger(logger).clock(clock).blockSize(blockSize)
                .readCacheBytes(readCacheBytes).threads(threads);
        directory.ifPresent(builder::directory);
        encryption.ifPresent(builder::encryption);
        return builder;
    }

    /** Builds a {@link StoreContext}. */
    public static final class Builder {
        private Path directory;
        private Durability durability = Durability.ALWAYS;
        private Encryption encryption;
        private System.Logger logger = System.getLogger("nats.jetstream.store");
        private InstantSource clock = InstantSource.system();
        private long blockSize;
        private long readCacheBytes;
        private ThreadFactory threads = Thread.ofPlatform().daemon().name("jetstream-store-", 0).factory();

        private Builder() {
        }

        public Builder directory(Path value) {
            this.directory = Objects.requireNonNull(value, "directory");
            return this;
        }

        public Builder durability(Durability value) {
            this.durability = value;
            return this;
        }

        public Builder encryption(Encryption value) {
            this.encryption = Objects.requireNonNull(value, "encryption");
            return this;
        }

        public Builder logger(System.Logger value) {
            this.logger = value;
            return this;
        }

        public Builder clock(InstantSource value) {
            this.clock = value;
            return this;
        }

        public Builder blockSize(long value) {
            this.blockSize = value;
            return this;
        }

        public Builder readCacheBytes(long value) {
            this.readCacheBytes = value;
            return this;
        }

        public Builder threads(ThreadFactory value) {
            this.threads = value;
            return this;
        }

        public StoreContext build() {
            return new StoreContext(Optional.ofNullable(directory), durability, Optional.ofNullable(encryption),
                    logger, clock, blockSize, readCacheBytes, threads);
        }
    }
}
