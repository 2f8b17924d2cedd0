package nats.mqtt.internal.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import nats.api.net.Connection;
import nats.mqtt.internal.codec.Packets;
import nats.mqtt.internal.codec.Topics;

/**
 * The write side of one MQTT connection: packets are encoded straight into a pending buffer under a lock, by
 * the reader (acknowledgements) and by publishers' threads (deliveries), and one writer thread swaps the buffer
 * and writes it, so packets queued together leave in one write. Pending bytes over the limit close the
 * connection as Go closes a slow consumer; so does a write blocked longer than the write deadline.
 */
final class Outbound {

    /** Go's default max_pending (64 MiB), over which a client is a slow consumer. */
    static final int MAX_PENDING = 64 * 1024 * 1024;
    private static final int INITIAL = 512;

    /** Told when the connection must close (slow consumer, write failure). */
    interface Failure {
        void failed(String reason);
    }

    private final Connection connection;
    private final Failure failure;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private byte[] pending = new byte[INITIAL];
    private int pendingLength;
    private byte[] spare = new byte[INITIAL];
    private long inFlight;
    private boolean closed;
    private volatile long writeStartedNanos;
    private volatile long pendingBytes;
    private volatile Thread writer;

    Outbound(Connection connection, Failure failure) {
        this.connection = connection;
        this.failure = failure;
    }

    /** Starts the writer thread. */
    void start(String name) {
        writer = Thread.ofVirtual().name(name).start(this::writeLoop);
    }

    /** Bytes queued or being written, for {@code /connz} pending_bytes. */
    long pendingBytes() {
        return pendingBytes;
    }

    /** When the write in progress started, 0 when none: the write deadline is checked against it. */
    long writeStartedNanos() {
        return writeStartedNanos;
    }

    // --- packets -------------------------------------------------------------------------------------------

    boolean connAck(boolean sessionPresent, int returnCode) {
        return fixed(Packets.CONNACK, 2, sessionPresent && returnCode == 0 ? 1 : 0, returnCode);
    }

    /** PUBACK, PUBREC, PUBREL (with its reserved flags) or PUBCOMP. */
    boolean ack(int type, int packetId) {
        int header = type == Packets.PUBREL ? type | 0x02 : type;
        return fixed(header, 2, packetId >> 8, packetId & 0xff);
    }

    boolean unsubAck(int packetId) {
        return fixed(Packets.UNSUBACK, 2, packetId >> 8, packetId & 0xff);
    }

    boolean pingResp() {
        lock.lock();
        try {
            if (!room(2)) {
                return false;
            }
            pending[pendingLength++] = (byte) Packets.PINGRESP;
            pending[pendingLength++] = 0;
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean subAck(int packetId, byte[] codes) {
        lock.lock();
        try {
            int remaining = 2 + codes.length;
            if (!room(1 + 4 + remaining)) {
                return false;
            }
            pending[pendingLength++] = (byte) Packets.SUBACK;
            putVarInt(remaining);
            pending[pendingLength++] = (byte) (packetId >> 8);
            pending[pendingLength++] = (byte) packetId;
            System.arraycopy(codes, 0, pending, pendingLength, codes.length);
            pendingLength += codes.length;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A PUBLISH whose topic is given as a NATS subject (converted while it is copied).
     *
     * @param flags DUP, QoS and RETAIN bits
     */
    boolean publishSubject(int flags, int packetId, byte[] subject, int subjectOffset, int subjectLength,
                           byte[] payload, int payloadOffset, int payloadLength) {
        int topicLength = Topics.topicLength(subject, subjectOffset, subjectLength);
        lock.lock();
        try {
            if (!beginPublish(flags, packetId, topicLength, payloadLength)) {
                return false;
            }
            pendingLength = Topics.writeTopic(subject, subjectOffset, subjectLength, pending, pendingLength);
            endPublish(flags, packetId, payload, payloadOffset, payloadLength);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A PUBLISH with the topic as MQTT bytes. */
    boolean publishTopic(int flags, int packetId, byte[] topic, byte[] payload, int payloadOffset,
                         int payloadLength) {
        lock.lock();
        try {
            if (!beginPublish(flags, packetId, topic.length, payloadLength)) {
                return false;
            }
            System.arraycopy(topic, 0, pending, pendingLength, topic.length);
            pendingLength += topic.length;
            endPublish(flags, packetId, payload, payloadOffset, payloadLength);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean beginPublish(int flags, int packetId, int topicLength, int payloadLength) {
        boolean withId = Packets.qos(flags) > 0;
        int remaining = 2 + topicLength + (withId ? 2 : 0) + payloadLength;
        if (!room(1 + 4 + remaining)) {
            return false;
        }
        pending[pendingLength++] = (byte) (Packets.PUBLISH | flags);
        putVarInt(remaining);
        pending[pendingLength++] = (byte) (topicLength >> 8);
        pending[pendingLength++] = (byte) topicLength;
        return true;
    }

    private void endPublish(int flags, int packetId, byte[] payload, int payloadOffset, int payloadLength) {
        if (Packets.qos(flags) > 0) {
            pending[pendingLength++] = (byte) (packetId >> 8);
            pending[pendingLength++] = (byte) packetId;
        }
        System.arraycopy(payload, payloadOffset, pending, pendingLength, payloadLength);
        pendingLength += payloadLength;
    }

    private boolean fixed(int header, int remaining, int b1, int b2) {
        lock.lock();
        try {
            if (!room(4)) {
                return false;
            }
            pending[pendingLength++] = (byte) header;
            pending[pendingLength++] = (byte) remaining;
            pending[pendingLength++] = (byte) b1;
            pending[pendingLength++] = (byte) b2;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void putVarInt(int value) {
        do {
            int digit = value & 0x7f;
            value >>>= 7;
            pending[pendingLength++] = (byte) (value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    /** Makes room for {@code n} more bytes; false (and the connection failing) past the pending limit. */
    private boolean room(int n) {
        if (closed) {
            return false;
        }
        if (pendingLength + inFlight + n > MAX_PENDING) {
            closed = true;
            ready.signal();
            // Told outside of the caller's lock hold would be nicer, but failing closes only this connection.
            Thread.ofVirtual().start(() -> failure.failed("Slow Consumer (Pending Bytes)"));
            return false;
        }
        if (pendingLength + n > pending.length) {
            pending = java.util.Arrays.copyOf(pending, Math.max(pendingLength + n, pending.length * 2));
        }
        return true;
    }

    // --- writing -------------------------------------------------------------------------------------------

    /** Wakes the writer for what was queued. */
    void flush() {
        lock.lock();
        try {
            if (pendingLength > 0) {
                pendingBytes = pendingLength + inFlight;
                ready.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the writer once what is queued is written (or at once when {@code drop}). */
    void close(boolean drop) {
        lock.lock();
        try {
            closed = true;
            if (drop) {
                pendingLength = 0;
            }
            ready.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the writer once what is queued is written, waiting for that at most {@code millis}. */
    void drainAndClose(long millis) {
        close(false);
        Thread w = writer;
        if (w != null) {
            try {
                w.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeLoop() {
        while (true) {
            byte[] toWrite;
            int length;
            lock.lock();
            try {
                while (pendingLength == 0 && !closed) {
                    ready.awaitUninterruptibly();
                }
                if (pendingLength == 0) {
                    return;
                }
                toWrite = pending;
                length = pendingLength;
                pending = spare.length >= INITIAL ? spare : new byte[INITIAL];
                pendingLength = 0;
                inFlight = length;
            } finally {
                lock.unlock();
            }
            writeStartedNanos = System.nanoTime();
            try {
                connection.write(ByteBuffer.wrap(toWrite, 0, length));
            } catch (IOException e) {
                writeStartedNanos = 0;
                close(true);
                failure.failed("Write Error");
                return;
            }
            writeStartedNanos = 0;
            lock.lock();
            try {
                inFlight = 0;
                pendingBytes = pendingLength;
                // Keep a buffer that grew for a burst only while bursts continue.
                spare = toWrite.length > 64 * 1024 && pendingLength == 0 ? new byte[INITIAL] : toWrite;
            } finally {
                lock.unlock();
            }
        }
    }
}
