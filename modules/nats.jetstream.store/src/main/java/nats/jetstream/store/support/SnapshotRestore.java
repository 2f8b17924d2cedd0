package nats.jetstream.store.support;

import nats.jetstream.store.ConsumerConfig;
import nats.jetstream.store.ConsumerStore;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;

/** Fills an empty engine from a snapshot: same sequences, timestamps, TTLs, gaps and consumers. */
final class SnapshotRestore implements SnapshotReader.Visitor {

    private final StreamEngine engine;
    private long lastSequence;

    SnapshotRestore(StreamEngine engine) {
        this.engine = engine;
    }

    @Override
    public void header(long firstSequence, long last, long lastTimestamp, long messages) {
        this.lastSequence = last;
        if (firstSequence > 1) {
            engine.compact(firstSequence);
        }
    }

    @Override
    public void metadata(byte[] metadata) {
        engine.writeMetadata(metadata);
    }

    @Override
    public void message(long sequence, long timestamp, long ttl, String subject, byte[] headers, byte[] payload) {
        long next = engine.fastState().lastSequence() + 1;
        if (sequence < next) {
            throw new StoreException(Kind.CORRUPT, "snapshot messages are out of order at sequence " + sequence);
        }
        if (sequence > next) {
            engine.skip(next, sequence - next);
        }
        engine.storeRaw(subject, headers, payload, sequence, timestamp, ttl, false);
    }

    @Override
    public void consumer(String name, ConsumerConfig config, byte[] metadata, byte[] state) {
        ConsumerStore store = engine.consumer(name, config);
        if (metadata != null) {
            store.writeMetadata(metadata);
        }
        store.forceUpdate(ConsumerStateCodec.decode(state));
        store.flush();
    }

    @Override
    public void end(long messages) {
        long next = engine.fastState().lastSequence() + 1;
        if (lastSequence >= next) {
            engine.skip(next, lastSequence - next + 1);
        }
    }
}
