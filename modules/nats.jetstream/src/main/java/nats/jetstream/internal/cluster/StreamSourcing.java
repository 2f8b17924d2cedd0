package nats.jetstream.internal.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import nats.api.messaging.InternalConnection;
import nats.jetstream.internal.engine.Replicas;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.internal.model.StreamSettings;
import nats.raft.RaftNode;
import nats.raft.RaftState;

/**
 * The mirror or sources of a clustered stream (Go's mirror and source consumers of a clustered stream): only the
 * group's leader follows the origins ({@link OriginFeed}, one per origin, wherever in the cluster it is), and
 * proposes what they deliver to the group like any publish, so every replica stores it in log order. A mirrored
 * message keeps its origin sequence and time; a sourced one goes through the stream's writer with its
 * {@code Nats-Stream-Source} header. A new leader (once it applied everything committed before it) resumes each
 * origin after the last origin sequence its store holds, so nothing is skipped; a mirrored sequence the store holds
 * already is dropped at apply time, so nothing is stored twice.
 *
 * <p>Group entries (after the entry type byte): {@link #MIRRORED}: u64 origin sequence, u64 origin time (ns), u16
 * subject length, subject, u32 header length, headers, payload. {@link #SOURCED}: u64 leader's time (ns), then the
 * same message layout. {@link #MIRROR_SKIPPED}: u64 origin sequence the mirror continues after.
 */
final class StreamSourcing implements OriginFeed.Sink {

    static final byte MIRRORED = 8;
    static final byte SOURCED = 9;
    static final byte MIRROR_SKIPPED = 10;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Stream stream;
    private final RaftNode node;
    private final OriginFeeds feeds;
    private volatile boolean leading;
    private volatile Thread agent;

    StreamSourcing(Stream stream, RaftNode node, InternalConnection connection) {
        this.stream = stream;
        this.node = node;
        this.feeds = new OriginFeeds(stream, connection, this);
        feeds.configChanged(stream.config());
        Replicas.reportSources(stream, feeds::list);
    }

    /** The stream's configuration changed: follow its (new) origins, keeping those that stayed. */
    void configChanged(StreamSettings cfg) {
        feeds.configChanged(cfg);
    }

    /** This member leads and applied what was committed before: start following the origins (idempotent). */
    synchronized void lead() {
        if (leading || feeds.list().isEmpty()) {
            return;
        }
        leading = true;
        for (OriginFeed f : feeds.list()) {
            f.reset();
        }
        Thread t = Thread.ofVirtual().name("jetstream-sourcing-" + stream.name()).unstarted(this::run);
        agent = t;
        t.start();
    }

    /** Leadership moved (or the member stops): stop following. */
    synchronized void follow() {
        if (!leading) {
            return;
        }
        leading = false;
        Thread t = agent;
        agent = null;
        LockSupport.unpark(t);
        for (OriginFeed f : feeds.list()) {
            f.cancel();
        }
    }

    @Override
    public boolean leading() {
        return leading && node.state() == RaftState.LEADER;
    }

    /** The agent of one leadership: it ends when leadership does (a later one runs its own). */
    private void run() {
        while (leading && agent == Thread.currentThread()) {
            feeds.startDue(() -> leading && agent == Thread.currentThread());
            LockSupport.parkNanos(this, TICK_NANOS);
        }
    }

    // --- the group's entries ------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Long> mirrored(long originSequence, long timestampNanos, String subject, byte[] headers,
                                            byte[] payload, BooleanSupplier stillWanted) {
        return node.propose(encode(MIRRORED, originSequence, timestampNanos, subject, headers, payload), stillWanted);
    }

    @Override
    public CompletableFuture<Long> sourced(String subject, byte[] headers, byte[] payload,
                                           BooleanSupplier stillWanted) {
        Instant now = Instant.now();
        return node.propose(encode(SOURCED, -1, now.getEpochSecond() * 1_000_000_000L + now.getNano(), subject,
                headers, payload), stillWanted);
    }

    @Override
    public CompletableFuture<Long> mirrorSkipped(long through, BooleanSupplier stillWanted) {
        return node.propose(skippedEntry(through), stillWanted);
    }

    /** The entry that uses up the sequences after the store's last through {@code through}. */
    static byte[] skippedEntry(long through) {
        return ByteBuffer.allocate(9).put(MIRROR_SKIPPED).putLong(through).array();
    }

    private static byte[] encode(byte type, long sequence, long time, String subject, byte[] headers, byte[] payload) {
        byte[] s = subject.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + (sequence >= 0 ? 8 : 0) + 8 + 2 + s.length + 4 + headers.length
                + payload.length);
        b.put(type);
        if (sequence >= 0) {
            b.putLong(sequence);
        }
        return b.putLong(time).putShort((short) s.length).put(s).putInt(headers.length).put(headers).put(payload)
                .array();
    }

    /** Whether {@code type} is one of these entries. */
    static boolean isSourcingEntry(byte type) {
        return type == MIRRORED || type == SOURCED || type == MIRROR_SKIPPED;
    }

    /** Applies a committed entry (the type byte already read from {@code b}), on every member in log order. */
    static void apply(Stream stream, byte type, ByteBuffer b) {
        if (type == MIRROR_SKIPPED) {
            Replicas.skipMirrored(stream, b.getLong());
            return;
        }
        long sequence = type == MIRRORED ? b.getLong() : 0;
        long time = b.getLong();
        byte[] subject = new byte[b.getShort() & 0xFFFF];
        b.get(subject);
        byte[] headers = new byte[b.getInt()];
        b.get(headers);
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        String subj = new String(subject, StandardCharsets.UTF_8);
        if (type == MIRRORED) {
            Replicas.storeMirrored(stream, sequence, time, subj, headers, payload);
        } else {
            Replicas.apply(stream, subj, null, headers, payload, time);
        }
    }
}
