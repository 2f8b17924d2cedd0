package nats.jetstream.store.file.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;
import nats.jetstream.store.support.ConsumerPersistence;
import nats.jetstream.store.support.ConsumerStateCodec;

/**
 * A consumer's files in {@code obs/<name>/}: its state in two {@link AtomicFile}s written in turn
 * ({@code state.0}, {@code state.1}, each with a generation), so a damaged newest file falls back to the
 * previous state (at worst some messages are delivered again), and the owner's metadata in {@code meta}.
 */
final class FileConsumer implements ConsumerPersistence {

    private final Path directory;
    private final String name;
    private final Crypto crypto;
    private final boolean syncWrites;
    private final System.Logger logger;
    private final Runnable damageReported;
    private long generation;
    private int nextSlot;

    FileConsumer(Path directory, String name, Crypto crypto, boolean syncWrites, System.Logger logger,
            Runnable damageReported) {
        this.directory = directory;
        this.name = name;
        this.crypto = crypto;
        this.syncWrites = syncWrites;
        this.logger = logger;
        this.damageReported = damageReported;
    }

    @Override
    public synchronized Optional<byte[]> load() {
        byte[] best = null;
        long bestGeneration = -1;
        for (int slot = 0; slot < 2; slot++) {
            Path file = directory.resolve("state." + slot);
            AtomicFile.Content content = read(file);
            if (content instanceof AtomicFile.Damaged damaged) {
                report(file, damaged.reason());
                continue;
            }
            if (content instanceof AtomicFile.Intact intact && intact.payload().length >= 8) {
                long slotGeneration = ByteBuffer.wrap(intact.payload()).getLong();
                byte[] state = java.util.Arrays.copyOfRange(intact.payload(), 8, intact.payload().length);
                try {
                    ConsumerStateCodec.decode(state);
                } catch (IllegalArgumentException e) {
                    report(file, e.getMessage());
                    continue;
                }
                if (slotGeneration > bestGeneration) {
                    bestGeneration = slotGeneration;
                    best = state;
                    nextSlot = 1 - slot;
                }
            }
        }
        generation = Math.max(generation, bestGeneration);
        return Optional.ofNullable(best);
    }

    private AtomicFile.Content read(Path file) {
        try {
            return AtomicFile.read(file, crypto, "consumer '" + name + "' state");
        } catch (IOException e) {
            return new AtomicFile.Damaged("cannot be read: " + e.getMessage());
        }
    }

    private void report(Path file, String reason) {
        logger.log(System.Logger.Level.ERROR, "JetStream consumer ''{0}'': state file {1} is damaged ({2});"
                + " using the previous state", name, file, reason);
        damageReported.run();
    }

    @Override
    public synchronized void save(byte[] encodedState) {
        generation++;
        byte[] payload = ByteBuffer.allocate(8 + encodedState.length).putLong(generation).put(encodedState).array();
        try {
            Files.createDirectories(directory);
            AtomicFile.write(directory.resolve("state." + nextSlot), payload, crypto, syncWrites);
            nextSlot = 1 - nextSlot;
        } catch (IOException e) {
            throw new StoreException(Kind.IO, "writing consumer '" + name + "' state failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public void writeMetadata(byte[] metadata) {
        try {
            Files.createDirectories(directory);
            AtomicFile.write(directory.resolve("meta"), metadata, crypto, true);
        } catch (IOException e) {
            throw new StoreException(Kind.IO, "writing consumer '" + name + "' metadata failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> metadata() {
        try {
            AtomicFile.Content content = AtomicFile.read(directory.resolve("meta"), crypto, "consumer metadata");
            if (content instanceof AtomicFile.Damaged damaged) {
                report(directory.resolve("meta"), damaged.reason());
            }
            return AtomicFile.payload(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void delete() {
        StreamFiles.deleteTree(directory);
    }
}
