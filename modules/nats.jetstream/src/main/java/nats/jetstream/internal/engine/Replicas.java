package nats.jetstream.internal.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream.Builder;

import nats.jetstream.internal.model.ConsumerSettings;
import nats.jetstream.internal.model.StreamSettings;
import nats.jetstream.store.AckPolicy;
import nats.jetstream.store.ConsumerConfig;
import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.ConsumerStore;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.SubjectFilter;
import nats.transport.json.Json;

/**
 * What clustered JetStream ({@code nats.jetstream.internal.cluster}) needs of the single-server engine: the
 * configuration checks, replicas that subscribe to nothing, and the writer applied to a committed message. The
 * single-server path is left as it is: a replica runs the very same publish checks and store.
 */
public final class Replicas {

    private static final System.Logger LOG = System.getLogger(Replicas.class.getName());

    private Replicas() {
    }

    /**
     * The checks and defaults of a stream create request, as on one server; a mirror's or source's origin is looked
     * up in {@code streams} (the cluster's assignments, as Go's meta leader does), not among this server's replicas.
     */
    public static StreamSettings checkCreate(JsAccount account, StreamSettings requested,
                                             Function<String, Optional<StreamSettings>> streams) {
        return new StreamConfigCheck(account, streams).check(requested);
    }

    /** The checks of an update request against the stream's configuration (origins looked up in {@code streams}). */
    public static StreamSettings checkUpdate(JsAccount account, StreamSettings old, StreamSettings requested,
                                             Function<String, Optional<StreamSettings>> streams) {
        return new StreamConfigCheck(account, streams).checkUpdate(old, requested);
    }

    /**
     * Opens this server's replica of a clustered stream with what its store kept from the last run; the replica
     * then aligns it with the group's snapshot ({@link #align}) or empties it ({@link #reset}) before applying.
     */
    public static Stream openReplica(JsAccount account, StreamSettings cfg, Instant created) {
        return account.addReplica(cfg, created);
    }

    /** Applies a configuration the group committed. */
    public static void update(Stream stream, StreamSettings cfg) {
        stream.update(cfg);
    }

    /**
     * Stores a committed message through the stream's writer: every publish check (dedupe, expected headers,
     * limits) runs on every replica in log order, so all come to the same sequence; {@code timestampNanos} is the
     * time the leader gave it (0: this store's clock). With a reply (the leader that
     * proposed it) the ack or error is queued; {@link #applied} sends the round's acks and wakes the store's
     * flusher, which the round's appends leave asleep: it must follow them on the same thread.
     */
    public static void apply(Stream stream, String subject, byte[] reply, byte[] headers, byte[] payload,
                             long timestampNanos) {
        StreamIngest ingest = stream.ingest();
        stream.writeLock().lock();
        try {
            if (stream.isClosed()) {
                return;
            }
            // The store's flusher is woken once for the round, by applied(), not by every append of it.
            stream.store().deferFlushToCaller();
            ingest.writer().storeReplicated(new StreamIngest.Inbound(subject, reply, headers, payload), timestampNanos);
        } finally {
            stream.writeLock().unlock();
        }
    }

    /**
     * After a round of {@link #apply} calls: wakes the store's flusher once and sends the acks of the round
     * ({@code answered}: some entry had a reply) in one flush. Every entry is committed: it is on a quorum's disks
     * in the group's log, from which a replica's store is rebuilt at start, so no ack waits for this store's sync.
     */
    public static void applied(Stream stream, boolean answered) {
        if (stream.isClosed()) {
            return;
        }
        stream.store().flushSoon();
        if (answered) {
            stream.ingest().durableThrough(stream.store().fastState().lastSequence());
        }
    }

    // --- mirrors and sources of a clustered stream: its leader follows the origins, every replica applies --------

    /**
     * Stores a committed mirrored message under its origin sequence and timestamp: one the store holds already is
     * dropped (a leader resuming re-sent it), sequences between the store's end and it (gone from the origin) are
     * used up without a message, so every replica ends at the origin's sequences. Returns whether it was stored.
     */
    public static boolean storeMirrored(Stream stream, long sequence, long timestampNanos, String subject,
                                        byte[] headers, byte[] payload) {
        stream.writeLock().lock();
        try {
            if (stream.isClosed()) {
                return false;
            }
            StreamStore store = stream.store();
            long next = store.fastState().lastSequence() + 1;
            if (sequence < next) {
                return false;
            }
            if (sequence > next) {
                store.skip(next, sequence - next);
            }
            store.storeRaw(subject, headers, payload, sequence, timestampNanos, 0, false);
        } finally {
            stream.writeLock().unlock();
        }
        stream.store().flushSoon();
        return true;
    }

    /** The origin no longer holds its messages through {@code through}: a mirror's store continues after it. */
    public static void skipMirrored(Stream stream, long through) {
        stream.writeLock().lock();
        try {
            long last = stream.store().fastState().lastSequence();
            if (!stream.isClosed() && through > last) {
                stream.store().skip(last + 1, through - last);
            }
        } finally {
            stream.writeLock().unlock();
        }
    }

    /** The origin sequence of the last message the stream holds from {@code source}, 0 if none. */
    public static long lastSourcedSequence(Stream stream, nats.jetstream.internal.model.StreamSource source) {
        return StreamSources.lastSourcedSequence(stream, source);
    }

    /** The headers of a sourced message as a stream stores them (with {@code Nats-Stream-Source}). */
    public static byte[] sourcedHeaders(nats.jetstream.internal.model.StreamSource source, byte[] originHeaders,
                                        long originSequence) {
        return StreamSources.sourcedHeaders(source, originHeaders, originSequence);
    }

    /** The subject a source's transforms give a sourced message. */
    public static String sourcedSubject(List<SubjectTransform> transforms, String subject) {
        return StreamSources.sourcedSubject(transforms, subject);
    }

    /** What the stream's info reports of its origins: as the group's leader follows them. */
    public static void reportSources(Stream stream, java.util.function.Supplier<List<? extends SourceStatus>> statuses) {
        stream.replicatedSources(statuses);
    }

    // --- state transfer: snapshots and catch-up ----------------------------------------------------------------

    /** A replica catching up answers no direct gets (it lacks messages); resumed once it holds them. */
    public static void pauseDirect(Stream stream, boolean pause) {
        stream.pauseDirect(pause);
    }

    /** Empties a replica's store (sequences from 1 again): the group's log is about to be applied from its start. */
    public static void reset(Stream stream) {
        stream.writeLock().lock();
        try {
            stream.store().truncate(0);
            stream.ingest().writer().resetDedupe();
        } finally {
            stream.writeLock().unlock();
        }
    }

    /** Connects a replica to its group (see {@link ReplicaHooks}). */
    public static void hooks(Stream stream, ReplicaHooks hooks) {
        stream.replicaHooks(hooks);
    }

    /** Applies a committed removal of an acknowledged message (interest and work-queue retention). */
    public static void removeAcknowledged(Stream stream, long sequence) {
        stream.writeLock().lock();
        try {
            if (!stream.isClosed()) {
                stream.store().remove(sequence);
            }
        } finally {
            stream.writeLock().unlock();
        }
    }

    /**
     * Brings a replica's store in line with a snapshot's stream state: messages above {@code last} go (the log
     * after the snapshot stores them again), messages below {@code first} and those the snapshot lists as deleted
     * go, and a store that ends below {@code first} continues there. Returns the store's last sequence after it:
     * below {@code last}, the messages in between must be fetched from a replica that holds them.
     */
    public static long align(Stream stream, long first, long last, long[] deleted) {
        stream.writeLock().lock();
        try {
            StreamStore store = stream.store();
            if (store.fastState().lastSequence() > last) {
                store.truncate(last);
            }
            if (store.fastState().firstSequence() < first || store.fastState().lastSequence() < first - 1) {
                store.compact(first); // nothing below first is wanted; an empty or short store continues there
            }
            long damaged = firstDamaged(store, first, Math.min(last, store.fastState().lastSequence()));
            if (damaged > 0) {
                // A message the group committed was found damaged in this store (and is never served): the store
                // keeps what comes before it and fetches the rest again from a replica that holds it.
                LOG.log(System.Logger.Level.WARNING, "JetStream stream ''{0}'': replica lost message {1} to damage;"
                        + " fetching from {1} again from another replica", stream.config().name, damaged);
                store.truncate(damaged - 1);
            }
            long mine = store.fastState().lastSequence();
            for (long seq : deleted) {
                if (seq > mine) {
                    break;
                }
                store.remove(seq);
            }
            stream.ingest().writer().resetDedupe();
            return store.fastState().lastSequence();
        } finally {
            stream.writeLock().unlock();
        }
    }

    /**
     * The first sequence in {@code from..through} that this store lost to damage and does not hold (again), or 0. The
     * store reports damage as lost sequences and treats them as deleted: a replica must not take such a hole for a
     * removal, or it would serve (and, leading, answer) "no message found" for a committed message.
     */
    public static long firstDamaged(StreamStore store, long from, long through) {
        var state = store.fastState();
        for (long seq : state.lost().sequences()) {
            if (seq > through) {
                break;
            }
            if (seq >= from && seq >= state.firstSequence() && store.load(seq).isEmpty()) {
                return seq;
            }
        }
        return 0;
    }

    /**
     * Stores messages fetched from another replica under their own sequences and timestamps; sequences between
     * them (removed on that replica) and up to {@code through} are used up without a message. Returns the last
     * sequence. A batch that does not continue where the store ends is refused.
     */
    public static long storeFetched(Stream stream, List<StoredMessage> messages, long from, long through) {
        stream.writeLock().lock();
        try {
            StreamStore store = stream.store();
            long next = store.fastState().lastSequence() + 1;
            if (next != from) {
                throw new IllegalStateException("fetched batch starts at " + from + ", the store continues at " + next);
            }
            for (StoredMessage m : messages) {
                if (m.sequence() > next) {
                    store.skip(next, m.sequence() - next);
                }
                store.storeRaw(m.subject(), m.headers(), m.payload(), m.sequence(), m.timestamp(), fetchedTtl(stream, m),
                        false);
                next = m.sequence() + 1;
            }
            if (through >= next) {
                store.skip(next, through - next + 1);
            }
            stream.ingest().writer().resetDedupe();
            return store.fastState().lastSequence();
        } finally {
            stream.writeLock().unlock();
        }
    }

    /** A fetched message's {@code Nats-TTL}, as its writer accepted it (it expires from its original time). */
    private static long fetchedTtl(Stream stream, StoredMessage m) {
        if (m.headers().length == 0 || !stream.config().allowMsgTtl) {
            return 0;
        }
        String ttl = Headers.get(m.headers(), Headers.TTL);
        return ttl == null ? 0 : StreamWriter.parseTtl(ttl);
    }

    /** The subjects a consumer definition ({@link #consumerDefinitions}) takes, for interest retention. */
    @SuppressWarnings("unchecked")
    public static Predicate<String> interestOf(byte[] definition) {
        Map<String, Object> json = Json.parseObject(new String(definition, StandardCharsets.UTF_8));
        ConsumerSettings cfg = ConsumerSettings.parse((Map<String, Object>) json.get("config"));
        return SubjectFilter.of(cfg.filters())::matches;
    }

    // --- consumers of a clustered stream: they run on its leader only -------------------------------------------

    /**
     * Each replicated consumer's definition (its persisted metadata: configuration and creation time), by name.
     * Direct consumers (a mirror's or source's, {@code direct: true}) are not replicated, as in Go: they live on the
     * leader that created them, and their mirror makes a new one when that leader goes.
     */
    public static Map<String, byte[]> consumerDefinitions(Stream stream) {
        Map<String, byte[]> defs = new TreeMap<>();
        for (Consumer c : stream.consumers()) {
            if (!c.config().direct) {
                defs.put(c.name(), ConsumerFactory.metadata(c));
            }
        }
        return defs;
    }

    /** One replicated consumer's definition, if it exists (none for a direct consumer). */
    public static Optional<byte[]> consumerDefinition(Stream stream, String name) {
        return stream.consumer(name).filter(c -> !c.config().direct).map(ConsumerFactory::metadata);
    }

    /** A consumer's persisted state (delivered, ack floor, pending, redelivered); none once it is closed. */
    public static Optional<ConsumerState> consumerState(Stream stream, String name) {
        try {
            return stream.consumer(name).map(c -> c.store().state());
        } catch (nats.jetstream.store.StoreException e) {
            return Optional.empty(); // deleted meanwhile (its store closed): its deletion is proposed instead
        }
    }

    /**
     * Starts a consumer on a new leader from its replicated definition and state, through the path a restart
     * takes ({@link ConsumerFactory#recover}).
     */
    public static void installConsumer(Stream stream, String name, byte[] definition, ConsumerState state) {
        if (stream.consumer(name).isPresent() || stream.isClosed()) {
            return;
        }
        ConsumerStore store = stream.store().consumer(name, new ConsumerConfig(AckPolicy.NONE, 0));
        store.writeMetadata(definition);
        if (state != null) {
            store.forceUpdate(state);
        }
        store.close();
        Consumer c = ConsumerFactory.recover(stream, name);
        if (c != null) {
            stream.putConsumer(c);
            c.start();
        }
    }

    /**
     * Sets an installed consumer's last delivery and ack times (its info's {@code last_active}), as this member
     * last applied them; before it starts delivering.
     */
    public static void consumerActivity(Stream stream, String name, Instant delivered, Instant acked) {
        stream.consumer(name).ifPresent(c -> c.activity(delivered, acked));
    }

    /** Stops every consumer of a stream whose leadership moved elsewhere; their state stays in the group. */
    public static void stopConsumers(Stream stream) {
        for (Consumer c : List.copyOf(stream.consumers())) {
            stream.consumers().remove(c);
            c.close();
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
