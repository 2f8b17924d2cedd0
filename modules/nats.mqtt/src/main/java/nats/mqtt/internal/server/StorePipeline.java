package nats.mqtt.internal.server;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import nats.api.messaging.InboundMessage;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.MessagePublisher;
import nats.api.messaging.Subscription;
import nats.mqtt.internal.js.JsApi;
import nats.mqtt.internal.js.JsApiException;

/**
 * The JetStream stores behind one client's QoS 1 and 2 publishes, and the acknowledgements that wait for them.
 * Go stores each message and waits for JetStream's answer before reading the next packet; here the reader sends
 * the store and goes on, and each PUBACK, PUBREC or PUBCOMP leaves once its store is acknowledged and every
 * earlier one has left, so the client sees them in the order it published [MQTT-4.6.0-2, -3]. A failed or late
 * store closes the connection as Go's does, before anything after it is acknowledged. At most {@link #WINDOW}
 * stores are outstanding; the reader waits for room beyond that.
 */
final class StorePipeline {

    /** Stores in flight per connection. */
    static final int WINDOW = 1024;
    private static final byte PENDING = 0;
    private static final byte DONE = 1;
    private static final byte FAILED = 2;
    /** What marks a JetStream answer as an error (a PubAck has no such field). */
    private static final byte[] ERROR_FIELD = "\"error\"".getBytes(StandardCharsets.US_ASCII);

    /** Where acknowledgements go and failures are reported. */
    interface Owner {
        void acknowledge(int packetType, int packetId);

        void acknowledged();

        void failed(String error);
    }

    private final Owner owner;
    private final MessagePublisher publisher;
    private final byte[] replyPrefix;
    private final Subscription replies;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final long[] numbers = new long[WINDOW];
    private final int[] types = new int[WINDOW];
    private final int[] packetIds = new int[WINDOW];
    private final byte[] states = new byte[WINDOW];
    private final long[] sentNanos = new long[WINDOW];
    private final String[] errors = new String[WINDOW];
    private int head;
    private int count;
    private long nextNumber = 1;
    private boolean closed;

    /**
     * @param connection the account's in-process client; answers come back on {@code <replyPrefix>MS.<id>.<n>}
     * @param id         a token unique to this client among the account's MQTT clients
     */
    StorePipeline(InternalConnection connection, String replyPrefix, String id, Owner owner) {
        this.owner = owner;
        this.publisher = connection.publisher();
        String prefix = replyPrefix + "MS." + id + ".";
        this.replyPrefix = prefix.getBytes(StandardCharsets.US_ASCII);
        this.replies = connection.subscribeDirect(prefix + "*", null, this::answered);
    }

    /** The publisher of the reader thread (for acks of deliveries, which need no answer). */
    MessagePublisher publisher() {
        return publisher;
    }

    /**
     * Stores a message (headers and payload in {@code data}) and queues {@code packetType} for {@code packetId}
     * behind its answer. Called by the reader; waits while the window is full.
     *
     * @param duplicateOk whether "maximum messages per subject exceeded" counts as stored (a QoS 2 retry)
     */
    void store(byte[] subject, byte[] data, int headerLength, int length, int packetType, int packetId,
               boolean duplicateOk) {
        long number;
        lock.lock();
        try {
            if (!awaitRoom()) {
                return;
            }
            number = nextNumber++;
            int i = (head + count) % WINDOW;
            numbers[i] = number;
            types[i] = duplicateOk ? -packetType : packetType;
            packetIds[i] = packetId;
            states[i] = PENDING;
            sentNanos[i] = System.nanoTime();
            errors[i] = null;
            count++;
        } finally {
            lock.unlock();
        }
        publisher.publish(subject, reply(number), data, 0, headerLength, length);
    }

    /** Queues an acknowledgement that waits only for the ones before it. */
    void acknowledge(int packetType, int packetId) {
        lock.lock();
        try {
            if (count == 0) {
                owner.acknowledge(packetType, packetId);
                return;
            }
            if (!awaitRoom()) {
                return;
            }
            int i = (head + count) % WINDOW;
            numbers[i] = 0;
            types[i] = packetType;
            packetIds[i] = packetId;
            states[i] = DONE;
            sentNanos[i] = System.nanoTime();
            count++;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes JetStream for what the reader sent in this read. */
    void flush() {
        publisher.flush();
    }

    private boolean awaitRoom() {
        while (count == WINDOW && !closed) {
            room.awaitUninterruptibly();
        }
        return !closed;
    }

    /** JetStream's answer to a store: on the stream's thread. */
    private boolean answered(InboundMessage m) {
        long number = lastToken(m.subjectArray(), m.subjectOffset(), m.subjectLength());
        String error = null;
        int type;
        int bodyOffset = m.dataOffset() + m.headerLength();
        if (contains(m.dataArray(), bodyOffset, bodyOffset + m.payloadLength(), ERROR_FIELD)) {
            try {
                JsApi.checked(nats.transport.json.Json.parseObject(new String(m.dataArray(), bodyOffset,
                        m.payloadLength(), StandardCharsets.UTF_8)));
            } catch (JsApiException e) {
                error = e.getMessage();
            } catch (RuntimeException e) {
                error = "invalid JSON";
            }
        }
        lock.lock();
        try {
            int found = -1;
            for (int k = 0; k < count; k++) {
                int i = (head + k) % WINDOW;
                if (numbers[i] == number) {
                    found = i;
                    break;
                }
            }
            if (found < 0 || states[found] != PENDING) {
                return true;
            }
            type = types[found];
            if (error != null && type < 0 && error.startsWith("maximum messages per subject exceeded")) {
                error = null;
            }
            states[found] = error == null ? DONE : FAILED;
            errors[found] = error;
            drain();
        } finally {
            lock.unlock();
        }
        owner.acknowledged();
        return true;
    }

    /** Sends the acknowledgements at the head whose stores are done; stops at the first failure. */
    private void drain() {
        while (count > 0 && states[head] != PENDING) {
            if (states[head] == FAILED) {
                String error = errors[head];
                closed = true;
                count = 0;
                room.signalAll();
                owner.failed(error);
                return;
            }
            owner.acknowledge(Math.abs(types[head]), packetIds[head]);
            head = (head + 1) % WINDOW;
            count--;
            room.signal();
        }
    }

    /** Fails the connection when the oldest store has waited longer than Go's API timeout. */
    void checkTimeouts(long now) {
        lock.lock();
        try {
            if (count > 0 && states[head] == PENDING && now - sentNanos[head] > JsApi.TIMEOUT.toNanos()) {
                states[head] = FAILED;
                errors[head] = "timeout after " + TimeUnit.NANOSECONDS.toMillis(now - sentNanos[head])
                        + "ms: request type \"MS\" on a message store";
                drain();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Nothing more is acknowledged; a waiting reader is released. */
    void close() {
        lock.lock();
        try {
            closed = true;
            count = 0;
            room.signalAll();
        } finally {
            lock.unlock();
        }
        replies.unsubscribe();
    }

    private static long lastToken(byte[] s, int offset, int length) {
        long v = 0;
        long scale = 1;
        for (int i = offset + length - 1; i >= offset && s[i] != '.'; i--) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v += d * scale;
            scale *= 10;
        }
        return v;
    }

    /** The reply subject of store {@code number}: the prefix and the number's digits, without a String. */
    private byte[] reply(long number) {
        int digits = 1;
        for (long v = number; v >= 10; v /= 10) {
            digits++;
        }
        byte[] reply = java.util.Arrays.copyOf(replyPrefix, replyPrefix.length + digits);
        long v = number;
        for (int i = reply.length - 1; i >= replyPrefix.length; i--) {
            reply[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return reply;
    }

    private static boolean contains(byte[] body, int from, int to, byte[] w) {
        outer:
        for (int i = from; i <= to - w.length; i++) {
            for (int k = 0; k < w.length; k++) {
                if (body[i + k] != w[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
