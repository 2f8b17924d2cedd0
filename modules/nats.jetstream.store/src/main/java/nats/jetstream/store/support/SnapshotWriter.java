package nats.jetstream.store.support;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.zip.CRC32C;
import nats.jetstream.store.ConsumerConfig;
import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.StoredMessage;

/**
 * Produces a snapshot ({@link SnapshotFormat}) lazily as it is read: one frame per message, each message
 * read under the engine's read lock, so writers are never held up for the whole snapshot.
 */
final class SnapshotWriter extends InputStream {

    private enum Stage { HEADER, METADATA, MESSAGES, CONSUMERS, END, DONE }

    private final StreamEngine engine;
    private final boolean includeConsumers;
    private final long lastSequence;
    private final long lastTimestamp;
    private final long firstSequence;
    private final long messageCount;
    private Stage stage = Stage.HEADER;
    private ByteBuffer current = ByteBuffer.wrap(SnapshotFormat.MAGIC);
    private long nextSequence;
    private long written;
    private Iterator<String> consumerNames;

    SnapshotWriter(StreamEngine engine, boolean includeConsumers) {
        this.engine = engine;
        this.includeConsumers = includeConsumers;
        engine.read.lock();
        try {
            this.firstSequence = engine.log.firstSeq;
            this.lastSequence = engine.log.lastSeq;
            this.lastTimestamp = engine.log.lastTs;
            this.messageCount = engine.log.messages;
        } finally {
            engine.read.unlock();
        }
        this.nextSequence = firstSequence;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        while (!current.hasRemaining()) {
            if (!advance()) {
                return -1;
            }
        }
        int n = Math.min(length, current.remaining());
        current.get(target, offset, n);
        return n;
    }

    /** Prepares the next frame; false at the end of the stream. */
    private boolean advance() {
        switch (stage) {
            case HEADER -> {
                ByteBuffer payload = ByteBuffer.allocate(4 * Varint.MAX_LENGTH);
                Varint.put(payload, firstSequence);
                Varint.put(payload, lastSequence);
                Varint.putSigned(payload, lastTimestamp);
                Varint.put(payload, messageCount);
                current = frame(SnapshotFormat.HEADER, payload);
                stage = Stage.METADATA;
            }
            case METADATA -> {
                stage = Stage.MESSAGES;
                var metadata = engine.log.storage.metadata();
                if (metadata.isPresent()) {
                    current = frame(SnapshotFormat.METADATA, ByteBuffer.wrap(metadata.get()).position(metadata.get().length));
                }
            }
            case MESSAGES -> {
                if (!nextMessage()) {
                    stage = includeConsumers ? Stage.CONSUMERS : Stage.END;
                }
            }
            case CONSUMERS -> {
                if (consumerNames == null) {
                    consumerNames = engine.consumerNames().iterator();
                }
                if (consumerNames.hasNext()) {
                    current = consumerFrame(consumerNames.next());
                } else {
                    stage = Stage.END;
                }
            }
            case END -> {
                ByteBuffer payload = ByteBuffer.allocate(Varint.MAX_LENGTH);
                Varint.put(payload, written);
                current = frame(SnapshotFormat.END, payload);
                stage = Stage.DONE;
            }
            case DONE -> {
                return false;
            }
        }
        return true;
    }

    private boolean nextMessage() {
        while (nextSequence <= lastSequence) {
            StoredMessage message;
            long ttl;
            long sequence;
            engine.read.lock();
            try {
                engine.checkOpen();
                sequence = engine.log.index.next(nextSequence);
                if (sequence < 0 || sequence > lastSequence) {
                    nextSequence = lastSequence + 1;
                    return false;
                }
                message = engine.log.readSlot(sequence, engine.log.index.subjectId(sequence));
                byte flags = engine.log.index.flags(sequence);
                ttl = (flags & SequenceIndex.FLAG_NEVER_EXPIRES) != 0 ? -1
                        : (flags & SequenceIndex.FLAG_TTL) != 0
                                ? engine.log.storage.ttl(sequence, engine.log.location(sequence), engine.log.reference(sequence))
                                : 0;
            } finally {
                engine.read.unlock();
            }
            nextSequence = sequence + 1;
            if (message == null) {
                engine.load(sequence); // records the damage; a damaged message is left out
                continue;
            }
            byte[] subject = SnapshotFormat.utf8(message.subject());
            ByteBuffer payload = ByteBuffer.allocate(5 * Varint.MAX_LENGTH + subject.length
                    + message.headers().length + message.payload().length);
            Varint.put(payload, sequence);
            Varint.putSigned(payload, message.timestamp());
            Varint.putSigned(payload, ttl);
            Varint.put(payload, subject.length);
            Varint.put(payload, message.headers().length);
            payload.put(subject).put(message.headers()).put(message.payload());
            current = frame(SnapshotFormat.MESSAGE, payload);
            written++;
            return true;
        }
        return false;
    }

    private ByteBuffer consumerFrame(String name) {
        ConsumerConfig config;
        ConsumerState state;
        byte[] metadata;
        ConsumerPersistence persistence = engine.log.storage.consumer(name);
        var open = engine.openConsumer(name);
        if (open != null) {
            config = open.config();
            state = open.state();
            metadata = open.metadata().orElse(null);
        } else {
            config = new ConsumerConfig(nats.jetstream.store.AckPolicy.EXPLICIT, -1);
            state = persistence.load().map(ConsumerStateCodec::decode).orElse(ConsumerState.EMPTY);
            metadata = persistence.metadata().orElse(null);
        }
        byte[] nameBytes = SnapshotFormat.utf8(name);
        byte[] encoded = ConsumerStateCodec.encode(state);
        int metadataLength = metadata == null ? 0 : metadata.length;
        ByteBuffer payload = ByteBuffer.allocate(5 * Varint.MAX_LENGTH + nameBytes.length + metadataLength
                + encoded.length);
        Varint.put(payload, nameBytes.length);
        Varint.put(payload, config.ackPolicy().ordinal());
        Varint.putSigned(payload, config.maxDeliver());
        Varint.put(payload, metadata == null ? 0 : metadataLength + 1L);
        Varint.put(payload, encoded.length);
        payload.put(nameBytes);
        if (metadata != null) {
            payload.put(metadata);
        }
        payload.put(encoded);
        return frame(SnapshotFormat.CONSUMER, payload);
    }

    /** A frame around the bytes written to {@code payload} (up to its position). */
    private static ByteBuffer frame(byte type, ByteBuffer payload) {
        int length = payload.position();
        ByteBuffer frame = ByteBuffer.allocate(1 + 4 + length + 4);
        frame.put(type).putInt(length).put(payload.array(), payload.arrayOffset(), length);
        CRC32C crc = new CRC32C();
        crc.update(frame.array(), 0, frame.position());
        frame.putInt((int) crc.getValue());
        return frame.flip();
    }
}
