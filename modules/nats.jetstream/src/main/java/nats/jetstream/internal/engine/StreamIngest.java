package nats.jetstream.internal.engine;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import nats.api.messaging.DirectHandler;
import nats.api.messaging.InboundMessage;
import nats.api.messaging.MessagePublisher;
import nats.jetstream.internal.model.ApiError;
import nats.jetstream.internal.model.JsErrors;

/**
 * A stream's single writer. Publishers' threads hand messages over as copies through a bounded queue
 * ({@link #onMessage}); the agent thread stores them in batches under the stream's write lock, then sends the
 * publish acks of every message the store reports durable (group commit) and flushes them in one go.
 */
final class StreamIngest implements DirectHandler, Runnable {

    /** Messages the queue may hold before publishers are slowed down. */
    private static final int MAX_BACKLOG = 32 * 1024;
    /** Messages stored per hold of the write lock, so API operations get their turn. */
    private static final int BATCH = 256;
    /** How long a publisher waits for room before its message is refused. */
    private static final long MAX_STALL_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** A message as handed over: copies of what the publisher's buffers held. */
    record Inbound(String subject, byte[] reply, byte[] headers, byte[] payload) {
    }

    private final Stream stream;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger backlog = new AtomicInteger();
    private final PendingAcks acks = new PendingAcks();
    private final StreamWriter writer;
    private volatile Thread thread;
    private volatile boolean parked;
    private volatile boolean stopped;
    private volatile long durable;
    private MessagePublisher publisher;

    StreamIngest(Stream stream) {
        this.stream = stream;
        this.writer = new StreamWriter(stream, this);
    }

    StreamWriter writer() {
        return writer;
    }

    void start() {
        thread = Thread.ofVirtual().name("jetstream-stream-" + stream.name()).start(this);
    }

    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The store reports every message up to {@code sequence} durable. */
    void durableThrough(long sequence) {
        durable = sequence;
        wake();
    }

    /** Runs {@code task} on the writer thread, after the messages queued before it. */
    void submit(Runnable task) {
        queue.offer(task);
        wake();
    }

    private void wake() {
        if (parked) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    @Override
    public boolean onMessage(InboundMessage m) {
        if (stopped) {
            return false;
        }
        if (backlog.incrementAndGet() > MAX_BACKLOG && !waitForRoom()) {
            backlog.decrementAndGet();
            return false;
        }
        byte[] reply = m.replyLength() == 0 ? null
                : java.util.Arrays.copyOfRange(m.replyArray(), m.replyOffset(), m.replyOffset() + m.replyLength());
        int h = m.headerLength();
        byte[] data = m.dataArray();
        int off = m.dataOffset();
        byte[] headers = h == 0 ? StreamWriter.NO_BYTES : java.util.Arrays.copyOfRange(data, off, off + h);
        byte[] payload = java.util.Arrays.copyOfRange(data, off + h, off + m.dataLength());
        String subject = new String(m.subjectArray(), m.subjectOffset(), m.subjectLength(), StandardCharsets.UTF_8);
        queue.offer(new Inbound(subject, reply, headers, payload));
        wake();
        return true;
    }

    /** A fast producer waits for the writer a little, as Go stalls a producer ahead of a slow consumer. */
    private boolean waitForRoom() {
        long deadline = System.nanoTime() + MAX_STALL_NANOS;
        while (backlog.get() > MAX_BACKLOG && !stopped) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            wake();
            LockSupport.parkNanos(50_000);
        }
        return !stopped;
    }

    /** Queues a message that did not come through a subscription (mirrors, sources). */
    void offer(Inbound message) {
        backlog.incrementAndGet();
        queue.offer(message);
        wake();
    }

    int backlog() {
        return backlog.get();
    }

    @Override
    public void run() {
        publisher = stream.account().connection().publisher();
        while (true) {
            int done = drain();
            sendDurableAcks();
            publisher.flush();
            if (done == 0) {
                if (stopped && queue.isEmpty()) {
                    break;
                }
                parked = true;
                if (queue.isEmpty() && !acksReady() && !stopped) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(200));
                }
                parked = false;
                if (!acks.isEmpty() && !acksReady()) {
                    // Nothing new came while parked: make sure the store is not waiting for more to sync.
                    durable = Math.max(durable, stream.store().durableSequence());
                }
            }
        }
        sendDurableAcks();
        publisher.flush();
    }

    private int drain() {
        int n = 0;
        stream.writeLock().lock();
        try {
            Object item;
            while (n < BATCH && (item = queue.poll()) != null) {
                n++;
                if (item instanceof Inbound m) {
                    backlog.decrementAndGet();
                    try {
                        writer.store(m);
                    } catch (RuntimeException e) {
                        stream.account().js().log().log(System.Logger.Level.WARNING,
                                "JetStream failed to process a message on stream ''{0} > {1}'': {2}",
                                stream.account().name(), stream.name(), e.toString());
                        if (m.reply() != null) {
                            sendError(m.reply(), ApiError.of(JsErrors.STREAM_STORE_FAILED, e.toString()));
                        }
                    }
                } else if (item instanceof Runnable task) {
                    task.run();
                }
            }
        } finally {
            stream.writeLock().unlock();
        }
        return n;
    }

    private boolean acksReady() {
        return !acks.isEmpty() && acks.firstSequence() <= Math.max(durable, 0);
    }

    /** An ack for {@code sequence}, sent once the store reports it durable. */
    void ackWhenDurable(long sequence, byte[] reply, boolean duplicate) {
        acks.add(sequence, reply, duplicate);
    }

    private void sendDurableAcks() {
        if (acks.isEmpty()) {
            return;
        }
        long through = Math.max(durable, stream.store().durableSequence());
        while (!acks.isEmpty() && acks.firstSequence() <= through) {
            byte[] body = stream.pubAck(acks.firstSequence(), acks.firstDuplicate());
            publisher.publish(acks.firstReply(), null, body, 0, 0, body.length);
            acks.removeFirst();
        }
    }

    /** Sends an error response at once (it does not wait for durability). */
    void sendError(byte[] reply, ApiError error) {
        byte[] body = stream.pubAckError(error);
        publisher.publish(reply, null, body, 0, 0, body.length);
    }

    /** Publishes a message from the writer thread (republish). */
    void publish(byte[] subject, byte[] headers, byte[] payload) {
        if (headers.length == 0) {
            publisher.publish(subject, null, payload, 0, 0, payload.length);
            return;
        }
        byte[] data = new byte[headers.length + payload.length];
        System.arraycopy(headers, 0, data, 0, headers.length);
        System.arraycopy(payload, 0, data, headers.length, payload.length);
        publisher.publish(subject, null, data, 0, headers.length, data.length);
    }
}
