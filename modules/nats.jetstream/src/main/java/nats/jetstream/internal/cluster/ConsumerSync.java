package nats.jetstream.internal.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import nats.jetstream.internal.engine.ReplicaHooks;
import nats.jetstream.internal.engine.Replicas;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.store.ConsumerState;
import nats.raft.RaftNode;

/**
 * The consumers of a clustered stream in its group. On every member: the filters of the committed consumers, which
 * decide interest retention at apply time. On the leader (which runs the consumers): their definitions, state
 * changes ({@link ConsumerDelta}: what changed since the state proposed before) and deletions proposed to the group,
 * group-committed: one batch in flight at a time, and everything that changed
 * meanwhile (acks from many clients) goes in the next one. A client's {@code AckSync} reply, a consumer create or
 * delete answer waits for the batch holding it; other changes (deliveries) are proposed every 200 ms.
 */
final class ConsumerSync implements ReplicaHooks {

    /** How often the leader proposes what changed without anyone waiting (deliveries, plain acks). */
    private static final long SYNC_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** A batch not committed by then is given up (its waiters get no positive answer) and the next one goes. */
    private static final long COMMIT_TIMEOUT_MS = 5_000;

    private final Stream stream;
    private volatile RaftNode node;
    /** Every member: the committed consumers' filters (applied on the group's thread). */
    private final Map<String, Predicate<String>> interest = new ConcurrentHashMap<>();

    // The leader's side, under this object's lock.
    private boolean installed;
    private final Map<String, byte[]> proposedDefs = new HashMap<>();
    /** The last state proposed for each consumer: the base of its next {@link ConsumerDelta}. */
    private final Map<String, ConsumerState> proposedStates = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    private boolean everything;
    private List<CompletableFuture<Void>> waiters = new ArrayList<>();
    private boolean inFlight;
    /** Counts leaderships: a batch of an earlier one must not touch the current one's bookkeeping. */
    private long epoch;
    private long lastSync;

    ConsumerSync(Stream stream) {
        this.stream = stream;
    }

    void node(RaftNode node) {
        this.node = node;
    }

    // --- committed consumers, every member ---------------------------------------------------------------------

    /** A consumer definition was applied. */
    void defined(String name, byte[] definition) {
        interest.put(name, Replicas.interestOf(definition));
    }

    void deleted(String name) {
        interest.remove(name);
    }

    @Override
    public boolean hasInterestIn(String subject) {
        for (Predicate<String> p : interest.values()) {
            if (p.test(subject)) {
                return true;
            }
        }
        return false;
    }

    // --- the leader ------------------------------------------------------------------------------------------

    /**
     * Starts the consumers from the group's definitions and states, once this leader has applied the log; true when
     * it did so now (false when they run already).
     */
    synchronized boolean install(Map<String, byte[]> defs, Map<String, ReplicatedConsumerState> states) {
        if (installed) {
            return false;
        }
        installed = true;
        defs.forEach((name, def) -> {
            ReplicatedConsumerState replicated = states.get(name);
            ConsumerState state = replicated == null ? null : replicated.state();
            Replicas.installConsumer(stream, name, def, state);
            if (replicated != null) {
                Replicas.consumerActivity(stream, name, replicated.lastDelivered(), replicated.lastAcked());
            }
            proposedDefs.put(name, def);
            if (state != null) {
                proposedStates.put(name, state);
            }
        });
        flush();
        return true;
    }

    synchronized boolean installed() {
        return installed;
    }

    /** The periodic proposal of whatever changed. */
    synchronized void tick() {
        long now = System.nanoTime();
        if (now - lastSync >= SYNC_NANOS) {
            lastSync = now;
            everything = true;
            flush();
        }
    }

    @Override
    public void consumerChanged(String consumer, Runnable committed) {
        if (committed != null) {
            commit(consumer).thenRun(committed);
            return;
        }
        // A plain ack: in the next batch, nobody waits for it.
        synchronized (this) {
            dirty.add(consumer);
            flush();
        }
    }

    /** Proposes {@code consumer}'s definition and state, or its deletion; completes once committed. */
    synchronized CompletableFuture<Void> commit(String consumer) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        dirty.add(consumer);
        waiters.add(done);
        flush();
        return done;
    }

    /** Leadership moved away: the consumers stop (their state stays in the group), waiters get no answer. */
    synchronized void stop() {
        Replicas.stopConsumers(stream);
        installed = false;
        epoch++;
        inFlight = false;
        proposedDefs.clear();
        proposedStates.clear();
        dirty.clear();
        everything = false;
        failAll(waiters);
        waiters = new ArrayList<>();
    }

    private void flush() {
        RaftNode n = node;
        if (inFlight || !installed || n == null) {
            return;
        }
        Set<String> names = new LinkedHashSet<>(dirty);
        // The definitions of the changed consumers only, unless this is the periodic look at all of them.
        Map<String, byte[]> defs = new HashMap<>();
        if (everything) {
            defs = Replicas.consumerDefinitions(stream);
            names.addAll(defs.keySet());
            names.addAll(proposedDefs.keySet());
        } else {
            for (String name : names) {
                Optional<byte[]> def = Replicas.consumerDefinition(stream, name);
                if (def.isPresent()) {
                    defs.put(name, def.get());
                }
            }
        }
        dirty.clear();
        everything = false;
        List<CompletableFuture<Long>> proposals = new ArrayList<>();
        for (String name : names) {
            byte[] def = defs.get(name);
            if (def == null) {
                if (proposedDefs.remove(name) != null) {
                    proposedStates.remove(name);
                    proposals.add(n.propose(entry(StreamReplica.CONSUMER_DELETED, name, new byte[0])));
                }
                continue;
            }
            if (!Arrays.equals(proposedDefs.get(name), def)) {
                proposedDefs.put(name, def);
                proposals.add(n.propose(entry(StreamReplica.CONSUMER_DEFINED, name, def)));
            }
            Optional<ConsumerState> state = Replicas.consumerState(stream, name);
            if (state.isPresent()) {
                byte[] change = stateEntry(name, state.get());
                if (change != null) {
                    proposals.add(n.propose(change));
                }
            }
        }
        List<CompletableFuture<Void>> batch = waiters;
        waiters = new ArrayList<>();
        if (proposals.isEmpty()) {
            // Nothing new: what the waiters need was in an earlier batch, which committed (none is in flight).
            batch.forEach(w -> w.complete(null));
            return;
        }
        inFlight = true;
        long mine = epoch;
        CompletableFuture.allOf(proposals.toArray(CompletableFuture[]::new))
                .orTimeout(COMMIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .whenComplete((v, error) -> committed(mine, names, batch, error));
    }

    /**
     * The entry that brings the group's state of {@code name} to {@code now}: the change since the last proposed
     * state, or the whole state when there is no base (new consumer, new leader without one, a batch that failed).
     * Null when nothing changed.
     */
    private byte[] stateEntry(String name, ConsumerState now) {
        ConsumerState base = proposedStates.put(name, now);
        if (base == null) {
            return entry(StreamReplica.CONSUMER_STATE, name, ConsumerStateCodec.encode(now));
        }
        byte[] delta = ConsumerDelta.between(base, now);
        return delta == null ? null : entry(StreamReplica.CONSUMER_DELTA, name, delta);
    }

    private synchronized void committed(long batchEpoch, Set<String> names, List<CompletableFuture<Void>> batch,
                                        Throwable error) {
        if (batchEpoch != epoch) {
            failAll(batch);
            return;
        }
        inFlight = false;
        if (error != null) {
            // Not known committed: propose these consumers again (a deletion too: its definition is marked).
            for (String name : names) {
                proposedStates.remove(name);
                proposedDefs.put(name, new byte[0]);
            }
            dirty.addAll(names);
            failAll(batch);
            // The next tick or change tries again (not now: a failure may come at once, on this very thread).
            return;
        }
        batch.forEach(w -> w.complete(null));
        if (!dirty.isEmpty() || everything || !waiters.isEmpty()) {
            flush();
        }
    }

    private static void failAll(List<CompletableFuture<Void>> batch) {
        batch.forEach(w -> w.completeExceptionally(new IllegalStateException("consumer state not committed")));
    }

    static byte[] entry(byte type, String name, byte[] data) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 2 + n.length + data.length).put(type).putShort((short) n.length).put(n)
                .put(data).array();
    }
}
