package nats.server.internal.client;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import nats.api.net.Connection;
import nats.server.internal.routing.RoutedMessage;

/**
 * The write side of a connection: producers append frames under this object's monitor into a chunk, and one
 * flusher thread takes every queued chunk and writes them with one gathering write, so many frames leave in one
 * system call. Like the Go server's outbound queue, chunks start small and grow with the traffic (512 B to
 * 64 KiB), a slow consumer holds only what is really pending (full 64 KiB chunks move off the heap, see
 * {@link DirectChunks}), and an idle connection keeps at most one small chunk. Pending bytes beyond the limit
 * make the connection a slow consumer.
 *
 * <p>A fan-out to hundreds of subscribers is bound by cache misses, one set per subscriber and message, so
 * the state one append touches lives in this object: its monitor (not a separate lock and its synchronizer),
 * the chunk being filled and its length (not a list of chunks). The flusher sleeps with
 * {@link LockSupport#parkNanos} and is woken with one {@link LockSupport#unpark} after the producer has left
 * the monitor, so it never wakes only to wait for the monitor.
 */
final class Outbound {

    private static final int MIN_CHUNK = 512;
    private static final int MAX_CHUNK = DirectChunks.SIZE;
    private static final long STALL_MIN_NANOS = 100_000_000L;
    private static final long STALL_MAX_NANOS = 1_000_000_000L;
    /** An idle flusher wakes this often (to give back its kept chunk and let its thread kind change). */
    private static final long IDLE_NANOS = 1_000_000_000L;
    /** Largest output a publisher's reader writes itself instead of waking the flusher. */
    private static final int INLINE_LIMIT = 4 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] MSG = {'M', 'S', 'G', ' '};
    private static final byte[] HMSG = {'H', 'M', 'S', 'G', ' '};
    private static final Thread[] NO_THREADS = {};

    private final long maxPending;
    private final DirectChunks directChunks;

    // Everything below is guarded by this object's monitor unless said otherwise.
    /** The chunk being filled; null until the first frame after a write took it. */
    private byte[] tail;
    private int tailLength;
    /** Filled chunks queued before {@link #tail}, oldest first. */
    private ChunkList queued = new ChunkList();
    /** The chunks being written; swapped with {@link #queued} by the writer. Owned by the writer. */
    private ChunkList writing = new ChunkList();
    /** One chunk kept for the next frames after a write, so a steady stream allocates nothing. */
    private byte[] spare;
    /** The size new chunks get: doubles while chunks fill, halves while writes stay small (Go's out.sz). */
    private int chunkSize = MIN_CHUNK;
    private long pendingLength;
    private long inFlight;
    /** The flusher while it sleeps waiting for output; null otherwise (and once a producer has woken it). */
    private Thread parkedFlusher;
    /** True while the flusher or an inline writer owns the socket's write side. */
    private boolean writingNow;
    /** Set when a write begun by another thread is left unfinished for the flusher to complete. */
    private boolean handedOff;
    /** Whether the socket is in non-blocking mode, so that other threads may write to it (see below). */
    private boolean nonBlockingWrites;
    /** When the current write began (System.nanoTime), for the write deadline; meaningful while writing. */
    private long writeStartedNanos;
    private boolean closing;
    private volatile boolean slowConsumer;
    /** Producers held by the fast-producer stall until the pending bytes drain below half the limit. */
    private Thread[] stalled = NO_THREADS;
    private int stalledCount;
    /** Messages and payload bytes queued for the client, counted under the monitor for monitoring. */
    private long deliveredMessages;
    private long deliveredBytes;

    Outbound(long maxPending) {
        this(maxPending, DirectChunks.SHARED);
    }

    Outbound(long maxPending, DirectChunks directChunks) {
        this.maxPending = maxPending;
        this.directChunks = directChunks;
    }

    /** Appends a protocol line (INFO, PONG, +OK, -ERR ...). Returns false if the connection is closing. */
    synchronized boolean appendProtocol(byte[] bytes) {
        if (closing) {
            return false;
        }
        if (tail == null || tail.length - tailLength < bytes.length) {
            newTail(0, bytes.length);
        }
        put(bytes, 0, bytes.length);
        return true;
    }

    /**
     * Appends {@code MSG subject sid [reply] size\r\npayload\r\n} (or HMSG). Returns false when closing or
     * when the pending limit is exceeded, in which case {@link #isSlowConsumer()} turns true.
     */
    boolean appendMessage(byte[] sid, RoutedMessage m, boolean stripHeaders) {
        return appendMessage(sid, m, stripHeaders, 0);
    }

    /**
     * As {@link #appendMessage(byte[], RoutedMessage, boolean)}, leaving out the first {@code replySkip} bytes of
     * the reply subject (a gateway's {@code _GR_.} prefix, which clients do not see).
     */
    boolean appendMessage(byte[] sid, RoutedMessage m, boolean stripHeaders, int replySkip) {
        boolean withHeaders = m.hasHeaders() && !stripHeaders;
        // A subscriber that did not ask for headers gets the payload alone, as a MSG.
        boolean whole = withHeaders || !m.hasHeaders();
        int dataOffset = whole ? m.dataOffset : m.dataOffset + m.headerSize;
        int dataLength = whole ? m.dataLength : m.dataLength - m.headerSize;
        byte[] sizeAscii = whole ? m.totalAscii() : m.payloadAscii();
        int sizeAsciiLength = whole ? m.totalAsciiLength() : m.payloadAsciiLength();
        int lineLength = (withHeaders ? HMSG.length + m.headerAsciiLength() + 1 : MSG.length)
                + m.frameSubjectLength() + 1 + sid.length + 1 + (m.hasReply() ? m.replyLength - replySkip + 1 : 0)
                + sizeAsciiLength + 2;
        int frameLength = lineLength + dataLength + 2;
        synchronized (this) {
            if (closing) {
                return false;
            }
            if (pendingLength + inFlight + frameLength > maxPending) {
                slowConsumer = true;
                return false;
            }
            if (tail == null || tail.length - tailLength < lineLength) {
                // The line goes in one piece; the payload may span chunks.
                newTail(lineLength, frameLength);
            }
            byte[] t = tail;
            int at = tailLength;
            if (withHeaders) {
                System.arraycopy(HMSG, 0, t, at, HMSG.length);
                at += HMSG.length;
            } else {
                System.arraycopy(MSG, 0, t, at, MSG.length);
                at += MSG.length;
            }
            System.arraycopy(m.frameSubject(), m.frameSubjectOffset(), t, at, m.frameSubjectLength());
            at += m.frameSubjectLength();
            t[at++] = ' ';
            System.arraycopy(sid, 0, t, at, sid.length);
            at += sid.length;
            t[at++] = ' ';
            if (m.hasReply()) {
                System.arraycopy(m.reply, m.replyOffset + replySkip, t, at, m.replyLength - replySkip);
                at += m.replyLength - replySkip;
                t[at++] = ' ';
            }
            if (withHeaders) {
                System.arraycopy(m.headerAscii(), 0, t, at, m.headerAsciiLength());
                at += m.headerAsciiLength();
                t[at++] = ' ';
            }
            System.arraycopy(sizeAscii, 0, t, at, sizeAsciiLength);
            at += sizeAsciiLength;
            t[at++] = '\r';
            t[at++] = '\n';
            if (t.length - at >= dataLength + 2) {
                // The whole frame fits (the common case): one copy and no chunk-spanning loop.
                System.arraycopy(m.data, dataOffset, t, at, dataLength);
                at += dataLength;
                t[at++] = '\r';
                t[at++] = '\n';
                tailLength = at;
                pendingLength += frameLength;
            } else {
                tailLength = at;
                pendingLength += lineLength;
                put(m.data, dataOffset, dataLength);
                put(CRLF, 0, 2);
            }
            deliveredMessages++;
            deliveredBytes += dataLength;
            return true;
        }
    }

    /**
     * Messages queued so far, read without the monitor: monitoring walks every connection (a scrape of 10,000
     * connections took 30,000 lock round trips, most of its cost), and a count a moment old is as good. An
     * opaque read never tears a long; the writer's plain stores under the monitor do not tear on the 64-bit
     * platforms the image targets.
     */
    long deliveredMessages() {
        return (long) DELIVERED_MESSAGES.getOpaque(this);
    }

    /** Payload bytes queued so far, read without the monitor (see {@link #deliveredMessages()}). */
    long deliveredBytes() {
        return (long) DELIVERED_BYTES.getOpaque(this);
    }

    private static final VarHandle DELIVERED_MESSAGES;
    private static final VarHandle DELIVERED_BYTES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            DELIVERED_MESSAGES = lookup.findVarHandle(Outbound.class, "deliveredMessages", long.class);
            DELIVERED_BYTES = lookup.findVarHandle(Outbound.class, "deliveredBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Fast-producer stall, as in the Go server: a producer about to queue for a consumer that is more
     * than half-way to its pending limit waits until the consumer drains below half, for at most
     * 100 ms plus 100 ms per further tenth of the limit (1 s at the limit). This slows a fast
     * publisher to the pace of its consumers instead of cutting off consumers that merely lag.
     */
    void awaitIfStalled() throws InterruptedException {
        // Unlocked first look (a stale value only shifts when stalling starts): the common case of a
        // consumer that keeps up costs no monitor.
        long half = maxPending / 2;
        if (pendingLength + inFlight <= half) {
            return;
        }
        long deadline;
        Thread flusher;
        synchronized (this) {
            long pendingBytes = pendingLength + inFlight;
            if (pendingBytes <= half || closing) {
                return;
            }
            long ttl = STALL_MIN_NANOS;
            if (pendingBytes >= maxPending) {
                ttl = STALL_MAX_NANOS;
            } else {
                ttl += STALL_MIN_NANOS * ((pendingBytes - half) / Math.max(1, half / 10));
            }
            deadline = System.nanoTime() + ttl;
            flusher = flusherToWake();
        }
        LockSupport.unpark(flusher);
        Thread me = Thread.currentThread();
        try {
            while (true) {
                long remaining;
                synchronized (this) {
                    remaining = deadline - System.nanoTime();
                    if (remaining <= 0 || closing || pendingLength + inFlight <= half) {
                        return;
                    }
                    addStalled(me);
                }
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            synchronized (this) {
                removeStalled(me);
            }
        }
    }

    private void addStalled(Thread producer) {
        for (int i = 0; i < stalledCount; i++) {
            if (stalled[i] == producer) {
                return;
            }
        }
        if (stalledCount == stalled.length) {
            stalled = Arrays.copyOf(stalled, Math.max(4, stalledCount * 2));
        }
        stalled[stalledCount++] = producer;
    }

    private void removeStalled(Thread producer) {
        for (int i = 0; i < stalledCount; i++) {
            if (stalled[i] == producer) {
                stalled[i] = stalled[--stalledCount];
                stalled[stalledCount] = null;
                return;
            }
        }
    }

    /** With the monitor held: the stalled producers to release now (they take themselves off the list). */
    private Thread[] stalledToRelease() {
        if (stalledCount == 0 || (!closing && pendingLength + inFlight > maxPending / 2)) {
            return NO_THREADS;
        }
        return Arrays.copyOf(stalled, stalledCount);
    }

    private static void unparkAll(Thread[] threads) {
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }

    /** Whether a write has been blocked for longer than {@code deadlineNanos}. */
    synchronized boolean writeStalled(long deadlineNanos) {
        return writingNow && System.nanoTime() - writeStartedNanos > deadlineNanos;
    }

    boolean isSlowConsumer() {
        return slowConsumer;
    }

    /** Bytes queued or being written. */
    synchronized long pendingBytes() {
        return pendingLength + inFlight;
    }

    /**
     * With the monitor held: the sleeping flusher if it has work now (output while nobody writes, or the
     * close), taken off {@link #parkedFlusher} so that it is woken once; the caller unparks it after leaving
     * the monitor. Null when there is nothing to do.
     */
    private Thread flusherToWake() {
        Thread flusher = parkedFlusher;
        if (flusher != null && (closing || (pendingLength > 0 && !writingNow))) {
            parkedFlusher = null;
            return flusher;
        }
        return null;
    }

    /** Wakes the flusher if it sleeps while data waits. */
    void signal() {
        Thread flusher;
        synchronized (this) {
            flusher = flusherToWake();
        }
        LockSupport.unpark(flusher);
    }

    /**
     * Writes small pending output on the caller's thread when nobody else is writing. Only a connection's
     * own reader calls this (for its own output): a reader must never block on another client's socket,
     * or one stuck client would stall every publisher that sends to it. Larger output, or output while a
     * write is under way, is left to the flusher.
     */
    void flushInlineOrSignal(Connection transport) {
        Thread flusher = null;
        boolean took = false;
        synchronized (this) {
            if (writingNow || closing || pendingLength == 0 || pendingLength > INLINE_LIMIT) {
                flusher = flusherToWake();
            } else {
                takeForWriting();
                took = true;
            }
        }
        if (!took) {
            LockSupport.unpark(flusher);
            return;
        }
        boolean failed = false;
        try {
            writeTaken(transport);
        } catch (IOException e) {
            failed = true;
        } finally {
            finishWrite();
        }
        if (failed) {
            close();
        }
    }

    /** A socket write that never blocks: writes what the socket takes now and says if that was all. */
    interface NonBlockingWrite {
        boolean tryWrite(ByteBuffer[] srcs, int offset, int length) throws IOException;
    }

    /** A change of the socket's blocking mode, run while no write is under way. */
    interface ModeChange {
        void run() throws IOException;
    }

    /**
     * Runs {@code change} (the socket's switch to or from non-blocking mode) while owning the write side, so
     * that no write is under way meanwhile, and records the new mode. Returns false, running nothing, while a
     * write is under way or the connection is closing, or if the change failed.
     */
    boolean switchMode(boolean nonBlocking, ModeChange change) {
        synchronized (this) {
            if (writingNow || closing) {
                return false;
            }
            writingNow = true;
        }
        boolean changed = false;
        try {
            change.run();
            changed = true;
        } catch (IOException e) {
            // The socket keeps its mode; the caller stays where it is.
        } finally {
            Thread flusher;
            Thread[] released;
            synchronized (this) {
                writingNow = false;
                if (changed) {
                    nonBlockingWrites = nonBlocking;
                }
                flusher = flusherToWake();
                released = stalledToRelease();
            }
            LockSupport.unpark(flusher);
            unparkAll(released);
        }
        return changed;
    }

    /**
     * Called by a thread that is not this connection's reader (another connection's reader at the end of its
     * read batch): when the socket is in non-blocking mode, nobody writes and little is pending, writes it now
     * without blocking, so a request or a reply leaves without waking this connection's flusher (each wake-up
     * is a futex call and a context switch, most of a small message's cost). What the socket does not take at
     * once is left to the flusher; a full socket therefore never holds up the caller. Otherwise wakes the
     * flusher as {@link #signal()} does.
     */
    void flushFromElsewhere(NonBlockingWrite socket) {
        Thread flusher = null;
        boolean took = false;
        synchronized (this) {
            if (!nonBlockingWrites || writingNow || closing || pendingLength == 0 || pendingLength > INLINE_LIMIT) {
                flusher = flusherToWake();
            } else {
                takeForWriting();
                took = true;
            }
        }
        if (!took) {
            LockSupport.unpark(flusher);
            return;
        }
        boolean done;
        try {
            ChunkList w = writing;
            done = socket.tryWrite(w.prepare(), 0, w.count);
        } catch (IOException e) {
            finishWrite();
            close();
            return;
        }
        if (done) {
            finishWrite();
            return;
        }
        synchronized (this) {
            // The write side stays owned (writingNow) and passes to the flusher with the rest of the buffers.
            handedOff = true;
            flusher = parkedFlusher;
            parkedFlusher = null;
        }
        LockSupport.unpark(flusher);
    }

    /** With the monitor held: the queued chunks and the tail become the ones being written. */
    private void takeForWriting() {
        writingNow = true;
        writeStartedNanos = System.nanoTime();
        if (tail != null && tailLength > 0) {
            queued.add(tail, null, tailLength);
        } else if (tail != null && spare == null) {
            spare = tail;
        }
        tail = null;
        tailLength = 0;
        ChunkList taken = queued;
        queued = writing;
        writing = taken;
        inFlight = pendingLength;
        pendingLength = 0;
    }

    /** Writes the taken chunks with one gathering write; without the monitor. */
    private void writeTaken(Connection transport) throws IOException {
        ChunkList w = writing;
        transport.write(w.prepare(), 0, w.count);
    }

    private void finishWrite() {
        Thread flusher;
        Thread[] released;
        synchronized (this) {
            ChunkList w = writing;
            long written = inFlight;
            // Keep one chunk for the next frames, of the size the traffic asks for; let the rest go.
            if (written < chunkSize / 4 && chunkSize > MIN_CHUNK) {
                chunkSize /= 2;
            }
            byte[] last = w.lastArray();
            if (spare == null && last != null && last.length == chunkSize) {
                spare = last;
            }
            w.clear(directChunks);
            inFlight = 0;
            writingNow = false;
            flusher = flusherToWake();
            released = stalledToRelease();
        }
        LockSupport.unpark(flusher);
        unparkAll(released);
    }

    /** Stops accepting frames; the flusher writes what is queued, then returns. */
    void close() {
        Thread flusher;
        Thread[] released;
        synchronized (this) {
            closing = true;
            flusher = flusherToWake();
            released = stalledToRelease();
        }
        LockSupport.unpark(flusher);
        unparkAll(released);
    }

    /**
     * Called once the flusher has ended for good (the connection is closed): drops what was never written
     * and gives its off-heap chunks back.
     */
    void discard() {
        synchronized (this) {
            closing = true;
            queued.clear(directChunks);
            tail = null;
            tailLength = 0;
            spare = null;
            pendingLength = 0;
        }
    }

    /**
     * The flusher loop: runs until {@link #close()} and the queue is drained, or a write fails (true), or
     * until {@code moveAway} says after a wake-up that the loop should continue on another thread (false).
     */
    boolean flushLoop(Connection transport, BooleanSupplier moveAway) throws IOException {
        Thread me = Thread.currentThread();
        while (true) {
            boolean sleep;
            boolean resume = false;
            synchronized (this) {
                if (handedOff) {
                    handedOff = false;
                    resume = true;
                    sleep = false;
                } else {
                    sleep = (pendingLength == 0 && !closing) || writingNow;
                    if (sleep) {
                        parkedFlusher = me;
                    } else if (pendingLength == 0) {
                        return true;
                    } else {
                        takeForWriting();
                    }
                }
            }
            if (sleep) {
                long parkedAt = System.nanoTime();
                LockSupport.parkNanos(this, IDLE_NANOS);
                if (Thread.interrupted()) {
                    me.interrupt();
                    return true;
                }
                boolean idle;
                synchronized (this) {
                    parkedFlusher = null;
                    idle = pendingLength == 0 && !closing && !writingNow;
                    if (idle && System.nanoTime() - parkedAt >= IDLE_NANOS) {
                        // Idle for a second: give the kept chunk back, so idle connections stay small.
                        spare = null;
                    }
                }
                // Idle wake-ups count too, so an idle platform flusher goes back to a virtual one.
                if (idle && moveAway.getAsBoolean()) {
                    return false;
                }
                continue;
            }
            try {
                if (resume) {
                    // The rest of a write another thread began: the buffers' positions say what is left.
                    ChunkList w = writing;
                    transport.write(w.buffers, 0, w.count);
                } else {
                    writeTaken(transport);
                }
            } finally {
                finishWrite();
            }
            // The next thread takes over whatever was queued meanwhile: nobody owns the write side now.
            if (moveAway.getAsBoolean()) {
                return false;
            }
        }
    }

    /**
     * With the monitor held: queues the filled tail and starts a new one with room for {@code minRoom} bytes
     * in one piece, of the traffic's size or big enough for {@code wanted} bytes. A full 64 KiB tail means
     * the consumer is behind: its bytes move to an off-heap chunk and the array is filled again.
     */
    private void newTail(int minRoom, int wanted) {
        byte[] full = tail;
        if (full != null) {
            // The tail filled before a write took it: the traffic wants bigger chunks.
            if (chunkSize < MAX_CHUNK) {
                chunkSize *= 2;
            }
            if (tailLength > 0) {
                if (full.length == MAX_CHUNK && minRoom <= MAX_CHUNK) {
                    ByteBuffer offHeap = directChunks.take();
                    if (offHeap != null) {
                        offHeap.put(0, full, 0, tailLength);
                        queued.add(null, offHeap, tailLength);
                        tailLength = 0;
                        return;
                    }
                }
                queued.add(full, null, tailLength);
            } else if (spare == null) {
                spare = full;
            }
        }
        int size = Math.max(Math.max(chunkSize, Math.min(wanted, MAX_CHUNK)), minRoom);
        byte[] chunk;
        if (spare != null && spare.length >= size) {
            chunk = spare;
            spare = null;
        } else {
            chunk = new byte[size];
        }
        tail = chunk;
        tailLength = 0;
    }

    /** With the monitor held: appends bytes, spanning chunks as needed, and counts them pending. */
    private void put(byte[] src, int off, int len) {
        pendingLength += len;
        while (len > 0) {
            int room = tail == null ? 0 : tail.length - tailLength;
            if (room == 0) {
                newTail(0, len);
                room = tail.length - tailLength;
            }
            int n = Math.min(room, len);
            System.arraycopy(src, off, tail, tailLength, n);
            tailLength += n;
            off += n;
            len -= n;
        }
    }
}
