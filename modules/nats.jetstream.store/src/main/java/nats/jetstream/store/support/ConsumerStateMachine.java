package nats.jetstream.store.support;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import nats.jetstream.store.AckPolicy;
import nats.jetstream.store.ConsumerConfig;
import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.PendingDelivery;
import nats.jetstream.store.SequencePair;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;

/**
 * A consumer's delivered / ack-floor / pending / redelivered state and how deliveries and acks change it,
 * following the Go server's consumer store ({@code consumerMemStore}). Not thread-safe: its owner locks.
 */
public final class ConsumerStateMachine {

    private ConsumerConfig config;
    private long deliveredConsumer;
    private long deliveredStream;
    private long floorConsumer;
    private long floorStream;
    /** Stream sequence to {consumer sequence, timestamp}. */
    private final TreeMap<Long, long[]> pending = new TreeMap<>();
    private final TreeMap<Long, Long> redelivered = new TreeMap<>();

    public ConsumerStateMachine(ConsumerConfig config) {
        this.config = config;
    }

    public ConsumerConfig config() {
        return config;
    }

    public void config(ConsumerConfig value) {
        this.config = value;
    }

    public void setStarting(long streamSequence) {
        deliveredStream = streamSequence;
        floorStream = streamSequence;
    }

    public void updateStarting(long streamSequence) {
        if (streamSequence > deliveredStream) {
            deliveredStream = streamSequence;
            if (config.ackPolicy() == AckPolicy.NONE) {
                floorStream = streamSequence;
            }
        }
    }

    public void reset(long streamSequence) {
        deliveredConsumer = 0;
        floorConsumer = 0;
        pending.clear();
        redelivered.clear();
        setStarting(streamSequence);
    }

    public boolean hasState() {
        return deliveredConsumer != 0 || deliveredStream != 0;
    }

    public void updateDelivered(long consumerSequence, long streamSequence, long deliveryCount, long timestamp) {
        if (deliveryCount != 1 && config.ackPolicy() == AckPolicy.NONE) {
            throw new StoreException(Kind.NO_ACK_POLICY);
        }
        if (consumerSequence <= floorConsumer) {
            return; // an old delivery replayed after a restart
        }
        if (config.ackPolicy() == AckPolicy.NONE) {
            if (consumerSequence > deliveredConsumer) {
                deliveredConsumer = consumerSequence;
                floorConsumer = consumerSequence;
            }
            if (streamSequence > deliveredStream) {
                deliveredStream = streamSequence;
                floorStream = streamSequence;
            }
            return;
        }
        if (streamSequence <= deliveredStream) {
            long[] entry = pending.get(streamSequence);
            if (entry != null) {
                entry[1] = timestamp; // keep the original delivery sequence
            }
        } else {
            pending.put(streamSequence, new long[] {consumerSequence, timestamp});
        }
        deliveredConsumer = Math.max(deliveredConsumer, consumerSequence);
        deliveredStream = Math.max(deliveredStream, streamSequence);
        if (deliveryCount > 1) {
            if (config.maxDeliver() > 0 && deliveryCount > config.maxDeliver()) {
                pending.remove(streamSequence);
            }
            Long count = redelivered.get(streamSequence);
            if (count == null || count < deliveryCount - 1) {
                redelivered.put(streamSequence, deliveryCount - 1);
            }
        }
    }

    public void updateAcks(long consumerSequence, long streamSequence) {
        if (config.ackPolicy() == AckPolicy.NONE) {
            throw new StoreException(Kind.NO_ACK_POLICY);
        }
        // One boxed key per ack, and no look-up in an empty redelivered map.
        Long key = streamSequence;
        if (!redelivered.isEmpty()) {
            redelivered.remove(key);
        }
        if (consumerSequence <= floorConsumer) {
            return; // already below the floor (replayed ack)
        }
        boolean all = config.ackPolicy() == AckPolicy.ALL;
        // An explicit ack takes its entry out with the look-up.
        long[] entry = all ? pending.get(key) : pending.remove(key);
        if (entry == null) {
            throw new StoreException(Kind.NOT_FOUND);
        }
        if (all) {
            floorConsumer = consumerSequence;
            floorStream = streamSequence;
            Iterator<Map.Entry<Long, long[]>> below = pending.headMap(streamSequence, true).entrySet().iterator();
            while (below.hasNext()) {
                redelivered.remove(below.next().getKey());
                below.remove();
            }
            return;
        }
        if (consumerSequence > entry[0] && entry[0] > 0) {
            consumerSequence = entry[0]; // the original delivery
        }
        if (pending.isEmpty()) {
            floorConsumer = deliveredConsumer;
            floorStream = deliveredStream;
        } else if (consumerSequence == floorConsumer + 1) {
            floorConsumer = consumerSequence;
            floorStream = streamSequence;
            if (deliveredConsumer > consumerSequence) {
                Map.Entry<Long, long[]> next = pending.ceilingEntry(streamSequence + 1);
                if (next != null && next.getKey() <= deliveredStream && next.getValue()[0] > 0) {
                    floorConsumer = next.getValue()[0] - 1;
                    floorStream = next.getKey() - 1;
                }
            }
        }
    }

    public void removeRedeliveredBelow(long streamSequence) {
        if (streamSequence > 0) {
            redelivered.headMap(streamSequence, false).clear();
        }
    }

    /**
     * Replaces the state.
     *
     * @param checkOld refuse a state older than the current one
     */
    public void replace(ConsumerState state, boolean checkOld) {
        SequencePair delivered = state.delivered();
        SequencePair floor = state.ackFloor();
        if (floor.consumer() > delivered.consumer()) {
            throw new StoreException(Kind.BAD_REQUEST, "bad ack floor for consumer");
        }
        if (floor.stream() > delivered.stream()) {
            throw new StoreException(Kind.BAD_REQUEST, "bad ack floor for stream");
        }
        for (Long sequence : state.pending().keySet()) {
            if (sequence <= floor.stream() || sequence > delivered.stream()) {
                throw new StoreException(Kind.BAD_REQUEST,
                        "bad pending entry, sequence [" + sequence + "] out of range");
            }
        }
        if (checkOld && (delivered.consumer() < deliveredConsumer || floor.stream() < floorStream)) {
            throw new StoreException(Kind.OLD_UPDATE);
        }
        deliveredConsumer = delivered.consumer();
        deliveredStream = delivered.stream();
        floorConsumer = floor.consumer();
        floorStream = floor.stream();
        pending.clear();
        state.pending().forEach((sequence, p) -> pending.put(sequence, new long[] {p.consumerSequence(), p.timestamp()}));
        redelivered.clear();
        redelivered.putAll(state.redelivered());
    }

    /** An immutable copy of the state. */
    public ConsumerState snapshot() {
        TreeMap<Long, PendingDelivery> pendingCopy = new TreeMap<>();
        pending.forEach((sequence, entry) -> pendingCopy.put(sequence, new PendingDelivery(entry[0], entry[1])));
        return new ConsumerState(new SequencePair(deliveredConsumer, deliveredStream),
                new SequencePair(floorConsumer, floorStream), pendingCopy, redelivered);
    }
}
