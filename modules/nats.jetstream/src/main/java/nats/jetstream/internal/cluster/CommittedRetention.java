package nats.jetstream.internal.cluster;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import nats.jetstream.internal.engine.Stream;
import nats.jetstream.internal.model.Policies.Retention;
import nats.jetstream.store.StreamState;
import nats.raft.RaftNode;

/**
 * Interest and work-queue retention of a clustered stream, decided by the stream group's leader from the consumers'
 * <em>committed</em> states, as it applies them: a message goes once no committed consumer needs it (the engine's
 * {@code Consumer.needsAck} over the committed state), and its removal is proposed to the stream group (entry type
 * 6), which every replica applies in log order. Nothing is decided from the consumers a server happens to run, so
 * the decision does not depend on where a consumer runs (the step before consumers get groups of their own) and a
 * removal is never committed before the ack that allows it.
 *
 * <p>Runs on the stream group's thread (applied entries) and, for a new leader's sweep, on its tick; removals
 * proposed twice are harmless (a second removal of a sequence finds nothing).
 */
final class CommittedRetention {

    /** A committed consumer as retention sees it: what its filter takes, its ack policy, its committed state. */
    record Committed(Predicate<String> filter, String ackPolicy, ReplicatedConsumerState state) {
    }

    private final Stream stream;

    CommittedRetention(Stream stream) {
        this.stream = stream;
    }

    private boolean applies() {
        return stream.config().retention != Retention.LIMITS;
    }

    /**
     * A consumer's committed state changed ({@code acked}: what the change may have acknowledged, see
     * {@link ReplicatedConsumerState.Acked}; {@code ackPolicy} the consumer's); proposes the removal of those
     * sequences nobody needs any longer.
     */
    void acknowledged(ReplicatedConsumerState.Acked acked, String ackPolicy, Map<String, Committed> consumers,
                      RaftNode node) {
        if (!applies() || acked.isEmpty()) {
            return;
        }
        StreamState state = stream.store().fastState();
        for (long seq : acked.removedPending()) {
            consider(seq, state, consumers, node);
        }
        range(acked.floorAfter(), acked.floorThrough(), state, consumers, node);
        if (ackPolicy.equals("none")) {
            range(acked.deliveredAfter(), acked.deliveredThrough(), state, consumers, node);
        }
    }

    private void range(long after, long through, StreamState state, Map<String, Committed> consumers, RaftNode node) {
        long last = Math.min(through, state.lastSequence());
        for (long seq = Math.max(after + 1, state.firstSequence()); seq <= last; seq++) {
            consider(seq, state, consumers, node);
        }
    }

    /**
     * A new leader (or a consumer deleted): every message nobody needs goes. A work-queue message no consumer's
     * filter takes waits for its consumer; an interest message with no interested consumer left goes.
     */
    void sweep(Map<String, Committed> consumers, RaftNode node) {
        if (!applies()) {
            return;
        }
        StreamState state = stream.store().fastState();
        for (long seq = state.firstSequence(); seq <= state.lastSequence() && state.messages() > 0; seq++) {
            consider(seq, state, consumers, node);
        }
    }

    private void consider(long seq, StreamState state, Map<String, Committed> consumers, RaftNode node) {
        if (seq < state.firstSequence() || seq > state.lastSequence()) {
            return;
        }
        Optional<String> subject = stream.store().subjectOf(seq);
        if (subject.isEmpty()) {
            return; // removed already
        }
        boolean matched = false;
        for (Committed c : consumers.values()) {
            if (!c.filter().test(subject.get())) {
                continue;
            }
            matched = true;
            if (c.state() == null || c.state().needs(seq, c.ackPolicy())) {
                return; // a consumer without a committed state yet has acknowledged nothing
            }
        }
        if (matched || stream.config().retention == Retention.INTEREST) {
            node.propose(ByteBuffer.allocate(9).put(StreamReplica.ACKED_REMOVAL).putLong(seq).array());
        }
    }
}
