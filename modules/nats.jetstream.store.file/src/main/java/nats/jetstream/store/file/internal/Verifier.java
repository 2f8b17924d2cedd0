package nats.jetstream.store.file.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;
import nats.jetstream.store.VerifyReport;
import nats.jetstream.store.VerifyReport.Damage;
import nats.jetstream.store.VerifyReport.FileKind;
import nats.jetstream.store.support.ConsumerStateCodec;
import nats.jetstream.store.support.RecoverySink;

/**
 * The offline check ({@code nats-server store verify DIR}): runs recovery read-only over a stream directory
 * and reports every damaged or missing record, metadata and consumer file, changing nothing.
 */
public final class Verifier {

    private Verifier() {
    }

    /** Checks the stream in {@code directory}. */
    public static VerifyReport verify(Path directory, StoreContext context) {
        if (!Files.isDirectory(directory)) {
            throw new StoreException(Kind.BAD_REQUEST, directory + " is not a directory");
        }
        Crypto crypto = context.encryption().map(Crypto::new).orElse(null);
        Counting sink = new Counting();
        StoreRecovery.Result result;
        try {
            result = new StoreRecovery(directory, crypto, context.logger(), directory.getFileName().toString(), true)
                    .run(sink);
        } catch (IOException e) {
            throw new StoreException(Kind.IO, "reading " + directory + " failed: " + e, e);
        }
        List<Damage> damage = new ArrayList<>(result.damage);
        long files = result.files;
        files += checkFile(directory, "user.meta", crypto, FileKind.METADATA, damage);
        files += checkConsumers(directory, crypto, damage);
        return new VerifyReport(directory, files, sink.live(), result.bytes, sink.first(), result.maxSequence,
                damage);
    }

    /** The owner metadata of the stream in {@code directory}. */
    public static Optional<byte[]> readMetadata(Path directory, StoreContext context) {
        Crypto crypto = context.encryption().map(Crypto::new).orElse(null);
        return StreamFiles.readUserMetadata(directory, crypto, context.logger(), directory.getFileName().toString());
    }

    private static int checkFile(Path directory, String name, Crypto crypto, FileKind kind, List<Damage> damage) {
        Path file = directory.resolve(name);
        try {
            AtomicFile.Content content = AtomicFile.read(file, crypto, name);
            if (content instanceof AtomicFile.Damaged damaged) {
                damage.add(new Damage(directory.relativize(file).toString(), kind, -1, 0, 0, 0,
                        "damaged (" + damaged.reason() + ")"));
            }
            return content instanceof AtomicFile.Missing ? 0 : 1;
        } catch (IOException e) {
            damage.add(new Damage(name, kind, -1, 0, 0, 0, "cannot be read: " + e.getMessage()));
            return 1;
        }
    }

    private static int checkConsumers(Path directory, Crypto crypto, List<Damage> damage) {
        Path consumers = directory.resolve("obs");
        if (!Files.isDirectory(consumers)) {
            return 0;
        }
        int files = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(consumers)) {
            for (Path consumer : stream) {
                String base = directory.relativize(consumer).toString();
                int intact = 0;
                int present = 0;
                for (String state : new String[] {"state.0", "state.1"}) {
                    Path file = consumer.resolve(state);
                    if (!Files.exists(file)) {
                        continue;
                    }
                    present++;
                    files++;
                    AtomicFile.Content content = AtomicFile.read(file, crypto, "consumer state");
                    String problem = null;
                    if (content instanceof AtomicFile.Damaged damaged) {
                        problem = damaged.reason();
                    } else if (content instanceof AtomicFile.Intact payload) {
                        try {
                            ConsumerStateCodec.decode(Arrays.copyOfRange(payload.payload(), 8,
                                    payload.payload().length));
                            intact++;
                        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                            problem = e.getMessage();
                        }
                    }
                    if (problem != null) {
                        damage.add(new Damage(base + "/" + state, FileKind.CONSUMER, -1, 0, 0, 0,
                                "consumer state damaged (" + problem + ")"
                                        + (present > 1 || intact > 0 ? "" : "; the other copy is used if intact")));
                    }
                }
                files += checkFile(consumer, "meta", crypto, FileKind.CONSUMER, new ArrayList<>() {
                    @Override
                    public boolean add(Damage d) {
                        return damage.add(new Damage(base + "/meta", d.kind(), d.offset(), 0, 0, 0, d.description()));
                    }
                });
            }
        } catch (IOException e) {
            damage.add(new Damage("obs", FileKind.CONSUMER, -1, 0, 0, 0, "cannot be read: " + e.getMessage()));
        }
        return files;
    }

    /** Counts what recovery would leave in the stream. */
    private static final class Counting implements RecoverySink {
        private final LongList messages = new LongList();
        private final LongList deleted = new LongList();
        private long floor;

        @Override
        public void message(long sequence, long timestamp, String subject, int headersLength, int payloadLength,
                long ttl, long location, Object reference) {
            messages.add(sequence);
        }

        @Override
        public void deleted(long sequence) {
            deleted.add(sequence);
        }

        @Override
        public void floor(long value) {
            floor = Math.max(floor, value);
        }

        @Override
        public void last(long sequence, long timestamp) {
        }

        @Override
        public void lost(long firstSequence, long lastSequence, long bytes) {
        }

        long live() {
            long[] gone = deleted.toArray();
            Arrays.sort(gone);
            long count = 0;
            for (int i = 0; i < messages.size(); i++) {
                long sequence = messages.get(i);
                if (sequence >= floor && Arrays.binarySearch(gone, sequence) < 0) {
                    count++;
                }
            }
            return count;
        }

        long first() {
            long[] gone = deleted.toArray();
            Arrays.sort(gone);
            for (int i = 0; i < messages.size(); i++) {
                long sequence = messages.get(i);
                if (sequence >= floor && Arrays.binarySearch(gone, sequence) < 0) {
                    return sequence;
                }
            }
            return 0;
        }
    }
}
