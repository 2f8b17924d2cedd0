package nats.jetstream.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream.Builder;

import nats.jetstream.internal.model.StreamSettings;

/**
 * What clustered JetStream ({@code nats.jetstream.internal.cluster}) needs of the single-server engine: the
 * configuration checks, replicas that subscribe to nothing, and the writer applied to a committed message. The
 * single-server path is left as it is: a replica runs the very same publish checks and store.
 */
public final class Replicas {

    private Replicas() {
    }

    /** The checks and defaults of a stream create request, as on one server. */
    public static StreamSettings checkCreate(JsAccount account, StreamSettings requested) {
        return new StreamConfigCheck(account).check(requested);
    }

    /** The checks of an update request against the stream's configuration. */
    public static StreamSettings checkUpdate(JsAccount account, StreamSettings old, StreamSettings requested) {
        return new StreamConfigCheck(account).checkUpdate(old, requested);
    }

    /** Opens this server's replica of a clustered stream, empty: the group's log fills it. */
    public static Stream openReplica(JsAccount account, StreamSettings cfg, Instant created) {
        return account.addReplica(cfg, created);
    }

    /** Applies a configuration the group committed. */
    public static void update(Stream stream, StreamSettings cfg) {
        stream.update(cfg);
    }

    /**
     * Stores a committed message through the stream's writer: every publish check (dedupe, expected headers,
     * limits) runs on every replica in log order, so all come to the same sequence. With a reply (the leader that
     * proposed it) the ack or error goes out once the message is durable in the store.
     */
    public static void apply(Stream stream, String subject, byte[] reply, byte[] headers, byte[] payload) {
        StreamIngest ingest = stream.ingest();
        stream.writeLock().lock();
        try {
            if (stream.isClosed()) {
                return;
            }
            ingest.writer().store(new StreamIngest.Inbound(subject, reply, headers, payload));
        } finally {
            stream.writeLock().unlock();
        }
        if (reply != null) {
            stream.store().flushOnCaller();
            ingest.durableThrough(stream.store().durableSequence());
        } else {
            stream.store().flushSoon();
        }
    }

    /** Removes a directory and what it holds (a replica's old store, a group's log). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            Builder<Path> all = java.util.stream.Stream.builder();
            walk.forEach(all::add);
            for (Path p : all.build().sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
