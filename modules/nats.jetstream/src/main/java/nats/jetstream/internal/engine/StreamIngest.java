package nats.jetstream.internal.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import nats.api.messaging.DirectHandler;
import nats.api.messaging.InboundMessage;
import nats.api.messaging.JetStreamTrace;
import nats.api.messaging.MessageTrace;
import nats.api.messaging.MessagePublisher;
import nats.jetstream.internal.model.ApiError;
import nats.jetstream.internal.model.JsErrors;

/**
 * A stream's writer. A message is stored on the publisher's own thread when nothing is queued and the write
 * lock is free (a lone publisher pays no hand-off); otherwise it is copied into a bounded queue that the agent
 * thread drains in batches under the write lock, in arrival order. Publish acks wait for the store to report
 * their message durable (group commit): whichever thread learns of durability (the store's flusher, or the
 * writer for a memory store) sends every ready ack in one batch. After storing, the writer (at the end of the
 * publisher's batch, or of the agent's) asks a file store to sync on its own thread when no sync is running
 * ({@code flushOnCaller}), so a lone synchronous publisher's ack needs no thread hand-off at all.
 */
final class StreamIngest implements DirectHandler.Batched, Runnable {

    /** Messages the queue may hold before publishers are slowed down. */
    private static final int MAX_BACKLOG = 32 * 1024;
    /** Messages stored per hold of the write lock, so API operations get their turn. */
    private static final int BATCH = 256;
    /** How long a publisher waits for room before its message is refused. */
    private static final long MAX_STALL_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int ACK_BATCH = 256;
    /**
     * A publisher batch of at most this many directly stored messages is synced on the publisher's thread; a
     * larger one by the flusher, so that reading and storing the next messages overlaps the sync.
     */
    private static final int INLINE_SYNC_MAX = 8;

    /** A message as handed over: copies of what the publisher's buffers held. */
    record Inbound(String subject, byte[] reply, byte[] headers, byte[] payload, JetStreamTrace trace,
                   boolean traceOnly) {

        Inbound(String subject, byte[] reply, byte[] headers, byte[] payload) {
            this(subject, reply, headers, payload, null, false);
        }

        /** The same message under another subject (the stream's subject transform). */
        Inbound withSubject(String mapped) {
            return new Inbound(mapped, reply, headers, payload, trace, traceOnly);
        }
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
    private final boolean memory;
    /** Acks are ready for the agent to send (memory stores). */
    private volatile boolean ackWork;
    /** Messages stored on publishers' threads since a batch last ended (a hint: publishers may interleave). */
    private int directSinceBatchEnd;

    /** The ack sender: one at a time, using one publisher; others leave a note and go. */
    private final ReentrantLock ackLock = new ReentrantLock();
    private final AtomicBoolean ackRecheck = new AtomicBoolean();
    private MessagePublisher ackPublisher;
    private final long[] ackSeqs = new long[ACK_BATCH];
    private final byte[][] ackReplies = new byte[ACK_BATCH][];
    private final boolean[] ackDuplicates = new boolean[ACK_BATCH];
    /** The last subject stored and its String (immutable, so racing publishers see either one whole). */
    private LastSubject lastSubject;

    /** A publisher mostly repeats its subject (an MQTT client its topic): decoded once, not per message. */
    private record LastSubject(byte[] bytes, String subject) {
    }

    StreamIngest(Stream stream) {
        this.stream = stream;
        this.writer = new StreamWriter(stream, this);
        this.memory = stream.store().storageType().equals(nats.jetstream.store.StoreProvider.MEMORY);
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

    /**
     * The store reports every message up to {@code sequence} durable. A file store calls from its flusher, once
     * per sync: the acks go out from there, one batch per sync. A memory store calls from the appending thread
     * for every message: the agent sends those acks, so a burst of them leaves in few writes.
     */
    void durableThrough(long sequence) {
        if (sequence > durable) {
            durable = sequence;
        }
        if (memory) {
            ackWork = true;
            wake();
        } else {
            sendReadyAcks();
        }
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
        byte[] reply = m.replyLength() == 0 ? null
                : Arrays.copyOfRange(m.replyArray(), m.replyOffset(), m.replyOffset() + m.replyLength());
        int h = m.headerLength();
        byte[] data = m.dataArray();
        int off = m.dataOffset();
        byte[] headers = h == 0 ? StreamWriter.NO_BYTES : Arrays.copyOfRange(data, off, off + h);
        byte[] payload = Arrays.copyOfRange(data, off + h, off + m.dataLength());
        String subject = subject(m);
        MessageTrace trace = m.trace();
        Inbound inbound = trace == null ? new Inbound(subject, reply, headers, payload)
                : traced(subject, reply, headers, payload, trace);
        // Nothing queued and the writer idle: store here, in order, without waking anyone.
        if (queue.isEmpty() && stream.writeLock().tryLock()) {
            boolean stored = false;
            try {
                if (queue.isEmpty()) {
                    if (!memory) {
                        stream.store().deferFlushToCaller();
                    }
                    storeOne(inbound);
                    directSinceBatchEnd++;
                    stored = true;
                }
            } finally {
                stream.writeLock().unlock();
            }
            if (stored) {
                // A file store syncs at the end of this publisher's batch (endOfBatch), on this thread.
                return true;
            }
        }
        if (backlog.incrementAndGet() > MAX_BACKLOG && !waitForRoom()) {
            backlog.decrementAndGet();
            return false;
        }
        queue.offer(inbound);
        wake();
        return true;
    }

    /**
     * A traced message (Go 2.11): the stream's entry is added now and completed by the writer. A message that is
     * stored has its trace headers switched off in the stored copy, as Go does, so that its deliveries to
     * consumers do not start traces of their own.
     */
    private String subject(InboundMessage m) {
        byte[] s = m.subjectArray();
        int from = m.subjectOffset();
        int to = from + m.subjectLength();
        LastSubject last = lastSubject;
        if (last != null && Arrays.equals(last.bytes(), 0, last.bytes().length, s, from, to)) {
            return last.subject();
        }
        String subject = new String(s, from, to - from, StandardCharsets.UTF_8);
        lastSubject = new LastSubject(Arrays.copyOfRange(s, from, to), subject);
        return subject;
    }

    private Inbound traced(String subject, byte[] reply, byte[] headers, byte[] payload, MessageTrace trace) {
        JetStreamTrace entry = trace.jetStream(stream.name());
        if (!trace.traceOnly()) {
            Headers.disableTrace(headers);
        }
        return new Inbound(subject, reply, headers, payload, entry, trace.traceOnly());
    }

    /** Trace-only messages come here too: the writer checks them and reports, and stores nothing. */
    @Override
    public boolean acceptsTraceOnly() {
        return true;
    }

    /**
     * The publisher's batch (one read of its socket) is over: a file store syncs what this thread stored
     * directly, here, once for the whole batch, unless a sync is running already (which then covers it). The
     * acks then leave from this thread, written inline to the publisher's socket when it is this reader's own
     * client. Then the acks of duplicates, whose messages are durable already: nothing else would send them.
     */
    @Override
    public void endOfBatch() {
        if (!memory && !stopped) {
            int stored = directSinceBatchEnd;
            directSinceBatchEnd = 0;
            if (stored <= INLINE_SYNC_MAX) {
                stream.store().flushOnCaller();
            } else {
                // A pipelining publisher: its next messages are better stored while the flusher syncs these.
                stream.store().flushSoon();
            }
            sendReadyAcks();
        }
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

    /** Queues a message that did not come through a subscription (sources). */
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
        while (true) {
            ackWork = false;
            int done = drain();
            if (done > 0 && !memory) {
                // The flusher syncs this batch while the agent stores the next (a queue means publishers are
                // pipelining; a lone synchronous publisher is stored and synced on its own thread instead).
                stream.store().flushSoon();
            }
            sendReadyAcks();
            if (done > 0) {
                continue;
            }
            if (stopped && queue.isEmpty()) {
                break;
            }
            parked = true;
            if (queue.isEmpty() && !ackWork && !stopped) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(200));
            }
            parked = false;
            // A store that syncs on its own schedule may have made more durable meanwhile.
            long d = stream.store().durableSequence();
            if (d > durable) {
                durableThrough(d);
            }
        }
        sendReadyAcks();
    }

    private int drain() {
        int n = 0;
        stream.writeLock().lock();
        try {
            if (!memory) {
                stream.store().deferFlushToCaller();
            }
            Object item;
            while (n < BATCH && (item = queue.poll()) != null) {
                n++;
                if (item instanceof Inbound m) {
                    backlog.decrementAndGet();
                    storeOne(m);
                } else if (item instanceof Runnable task) {
                    task.run();
                }
            }
        } finally {
            stream.writeLock().unlock();
        }
        return n;
    }

    /** Stores one message under the write lock; a failure answers the publisher rather than killing the writer. */
    private void storeOne(Inbound m) {
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
    }

    /** An ack for {@code sequence}, sent once the store reports it durable. Write lock held. */
    void ackWhenDurable(long sequence, byte[] reply, boolean duplicate) {
        acks.add(sequence, reply, duplicate);
    }

    /**
     * Sends every ack whose message is durable. One thread sends at a time; a thread that finds the sender busy
     * leaves a note, and the sender looks again before it leaves, so no ready ack is left behind.
     */
    private void sendReadyAcks() {
        while (true) {
            if (!acks.readyThrough(durableNow())) {
                return;
            }
            if (!ackLock.tryLock()) {
                ackRecheck.set(true);
                if (ackLock.isLocked()) {
                    return;
                }
                continue;
            }
            try {
                ackRecheck.set(false);
                // Read durability only now, after the note was cleared: a note left before this point is
                // covered by what is read here.
                MessagePublisher p = publisher();
                int n;
                while ((n = acks.takeReady(durableNow(), ackSeqs, ackReplies, ackDuplicates)) > 0) {
                    for (int i = 0; i < n; i++) {
                        byte[] body = stream.pubAck(ackSeqs[i], ackDuplicates[i]);
                        p.publish(ackReplies[i], null, body, 0, 0, body.length);
                        ackReplies[i] = null;
                    }
                }
                p.flush();
            } finally {
                ackLock.unlock();
            }
            if (!ackRecheck.get()) {
                return;
            }
        }
    }

    private long durableNow() {
        return Math.max(durable, stream.store().durableSequence());
    }

    private MessagePublisher publisher() {
        MessagePublisher p = ackPublisher;
        if (p == null) {
            p = stream.account().connection().publisher();
            ackPublisher = p;
        }
        return p;
    }

    /** Sends an error response at once (it does not wait for durability). */
    void sendError(byte[] reply, ApiError error) {
        byte[] body = stream.pubAckError(error);
        ackLock.lock();
        try {
            MessagePublisher p = publisher();
            p.publish(reply, null, body, 0, 0, body.length);
            p.flush();
        } finally {
            ackLock.unlock();
        }
    }

    /** Publishes a message for the writer (republish). */
    void publish(byte[] subject, byte[] headers, byte[] payload) {
        byte[] data = payload;
        if (headers.length > 0) {
            data = new byte[headers.length + payload.length];
            System.arraycopy(headers, 0, data, 0, headers.length);
            System.arraycopy(payload, 0, data, headers.length, payload.length);
        }
        ackLock.lock();
        try {
            MessagePublisher p = publisher();
            p.publish(subject, null, data, 0, headers.length, data.length);
            p.flush();
        } finally {
            ackLock.unlock();
        }
    }
}
