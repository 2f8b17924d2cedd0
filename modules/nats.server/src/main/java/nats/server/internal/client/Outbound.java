package nats.server.internal.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import nats.api.net.Connection;
import nats.server.internal.routing.RoutedMessage;

/**
 * The write side of a connection: producers append frames under a lock into a queue of chunks, and one flusher
 * thread takes the whole queue and writes it with one gathering write, so many frames leave in one system call.
 * Like the Go server's outbound queue, chunks start small and grow with the traffic (512 B to 64 KiB), a slow
 * consumer holds only what is really pending (never a doubled copy of it), and an idle connection keeps at most
 * one small chunk. Pending bytes beyond the limit make the connection a slow consumer.
 */
final class Outbound {

    private static final int MIN_CHUNK = 512;
    private static final int MAX_CHUNK = 64 * 1024;
    private static final long STALL_MIN_NANOS = 100_000_000L;
    private static final long STALL_MAX_NANOS = 1_000_000_000L;
    /** Largest output a publisher's reader writes itself instead of waking the flusher. */
    private static final int INLINE_LIMIT = 4 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] MSG = {'M', 'S', 'G', ' '};
    private static final byte[] HMSG = {'H', 'M', 'S', 'G', ' '};

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition dataReady = lock.newCondition();
    /** Signalled when pending output falls below half the limit, releasing stalled producers. */
    private final Condition drained = lock.newCondition();
    private final long maxPending;

    /** Queued chunks, oldest first; the last one is being filled. Guarded by the lock. */
    private Chunks queued = new Chunks();
    /** The chunks being written; swapped with {@link #queued} by the writer. Owned by the writer. */
    private Chunks writing = new Chunks();
    /** One chunk kept for the next frames after a write, so a steady stream allocates nothing. */
    private byte[] spare;
    /** The size new chunks get: doubles while chunks fill, halves while writes stay small (Go's out.sz). */
    private int chunkSize = MIN_CHUNK;
    private long pendingLength;
    private long inFlight;
    private boolean flusherWaiting;
    /** True while the flusher or an inline writer owns the socket's write side. */
    private boolean writingNow;
    /** When the current write began (System.nanoTime), for the write deadline; meaningful while writing. */
    private volatile long writeStartedNanos;
    private boolean closing;
    private boolean slowConsumer;
    /** Messages and payload bytes queued for the client, counted under the lock for monitoring. */
    private long deliveredMessages;
    private long deliveredBytes;

    /** An ordered list of filled chunks with their lengths, reused from write to write. */
    private static final class Chunks {
        byte[][] arrays = new byte[4][];
        int[] lengths = new int[4];
        ByteBuffer[] buffers = new ByteBuffer[4];
        int count;

        byte[] last() {
            return arrays[count - 1];
        }

        int lastRoom() {
            return count == 0 ? 0 : arrays[count - 1].length - lengths[count - 1];
        }

        void add(byte[] chunk) {
            if (count == arrays.length) {
                arrays = java.util.Arrays.copyOf(arrays, count * 2);
                lengths = java.util.Arrays.copyOf(lengths, count * 2);
                buffers = java.util.Arrays.copyOf(buffers, count * 2);
            }
            arrays[count] = chunk;
            lengths[count] = 0;
            count++;
        }

        void clear() {
            for (int i = 0; i < count; i++) {
                arrays[i] = null;
                buffers[i] = null;
            }
            count = 0;
        }
    }

    Outbound(long maxPending) {
        this.maxPending = maxPending;
    }

    /** Appends a protocol line (INFO, PONG, +OK, -ERR ...). Returns false if the connection is closing. */
    boolean appendProtocol(byte[] bytes) {
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            put(bytes, 0, bytes.length);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends {@code MSG subject sid [reply] size\r\npayload\r\n} (or HMSG). Returns false when closing or
     * when the pending limit is exceeded, in which case {@link #isSlowConsumer()} turns true.
     */
    boolean appendMessage(byte[] sid, RoutedMessage m, boolean stripHeaders) {
        boolean withHeaders = m.hasHeaders() && !stripHeaders;
        // A subscriber that did not ask for headers gets the payload alone, as a MSG.
        int dataOffset = withHeaders || !m.hasHeaders() ? m.dataOffset : m.dataOffset + m.headerSize;
        int dataLength = withHeaders || !m.hasHeaders() ? m.dataLength : m.dataLength - m.headerSize;
        byte[] sizeAscii = withHeaders || !m.hasHeaders() ? m.totalAscii() : m.payloadAscii();
        int sizeAsciiLength = withHeaders || !m.hasHeaders() ? m.totalAsciiLength() : m.payloadAsciiLength();
        int lineLength = (withHeaders ? HMSG.length + m.headerAsciiLength() + 1 : MSG.length)
                + m.frameSubjectLength() + 1 + sid.length + 1 + (m.hasReply() ? m.replyLength + 1 : 0)
                + sizeAsciiLength + 2;
        int frameLength = lineLength + dataLength + 2;
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            if (pendingLength + inFlight + frameLength > maxPending) {
                slowConsumer = true;
                return false;
            }
            if (queued.lastRoom() < lineLength) {
                // The line goes in one piece; the payload may span chunks.
                newChunk(frameLength);
            }
            putInLast(withHeaders ? HMSG : MSG, 0, withHeaders ? HMSG.length : MSG.length);
            putInLast(m.frameSubject(), m.frameSubjectOffset(), m.frameSubjectLength());
            putByteInLast((byte) ' ');
            putInLast(sid, 0, sid.length);
            putByteInLast((byte) ' ');
            if (m.hasReply()) {
                putInLast(m.reply, m.replyOffset, m.replyLength);
                putByteInLast((byte) ' ');
            }
            if (withHeaders) {
                putInLast(m.headerAscii(), 0, m.headerAsciiLength());
                putByteInLast((byte) ' ');
            }
            putInLast(sizeAscii, 0, sizeAsciiLength);
            putInLast(CRLF, 0, 2);
            pendingLength += lineLength;
            put(m.data, dataOffset, dataLength);
            put(CRLF, 0, 2);
            deliveredMessages++;
            deliveredBytes += dataLength;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Messages queued so far, read without the lock: monitoring walks every connection (a scrape of 10,000
     * connections took 30,000 lock round trips, most of its cost), and a count a moment old is as good. An
     * opaque read never tears a long; the writer's plain stores under the lock do not tear on the 64-bit
     * platforms the image targets.
     */
    long deliveredMessages() {
        return (long) DELIVERED_MESSAGES.getOpaque(this);
    }

    /** Payload bytes queued so far, read without the lock (see {@link #deliveredMessages()}). */
    long deliveredBytes() {
        return (long) DELIVERED_BYTES.getOpaque(this);
    }

    private static final java.lang.invoke.VarHandle DELIVERED_MESSAGES;
    private static final java.lang.invoke.VarHandle DELIVERED_BYTES;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup lookup = java.lang.invoke.MethodHandles.lookup();
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
        // consumer that keeps up costs no lock.
        if (pendingLength + inFlight <= maxPending / 2) {
            return;
        }
        lock.lock();
        try {
            long pendingBytes = pendingLength + inFlight;
            long half = maxPending / 2;
            if (pendingBytes <= half || closing) {
                return;
            }
            long ttl = STALL_MIN_NANOS;
            if (pendingBytes >= maxPending) {
                ttl = STALL_MAX_NANOS;
            } else {
                ttl += STALL_MIN_NANOS * ((pendingBytes - half) / Math.max(1, half / 10));
            }
            wakeFlusherLocked();
            long remaining = ttl;
            while (remaining > 0 && !closing && pendingLength + inFlight > half) {
                remaining = drained.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether a write has been blocked for longer than {@code deadlineNanos}. */
    boolean writeStalled(long deadlineNanos) {
        lock.lock();
        try {
            return writingNow && System.nanoTime() - writeStartedNanos > deadlineNanos;
        } finally {
            lock.unlock();
        }
    }

    boolean isSlowConsumer() {
        return slowConsumer;
    }

    /** Bytes queued or being written. */
    long pendingBytes() {
        lock.lock();
        try {
            return pendingLength + inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held: wakes a sleeping flusher when data waits and nobody is writing. */
    private void wakeFlusherLocked() {
        if (flusherWaiting && pendingLength > 0 && !writingNow) {
            dataReady.signal();
        }
    }

    /** Wakes the flusher if it sleeps while data waits. */
    void signal() {
        lock.lock();
        try {
            wakeFlusherLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes small pending output on the caller's thread when nobody else is writing. Only a connection's
     * own reader calls this (for its own output): a reader must never block on another client's socket,
     * or one stuck client would stall every publisher that sends to it. Larger output, or output while a
     * write is under way, is left to the flusher.
     */
    void flushInlineOrSignal(Connection transport) {
        lock.lock();
        try {
            if (writingNow || closing || pendingLength == 0 || pendingLength > INLINE_LIMIT) {
                wakeFlusherLocked();
                return;
            }
            takeForWriting();
        } finally {
            lock.unlock();
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

    /** With the lock held: the queued chunks become the ones being written. */
    private void takeForWriting() {
        writingNow = true;
        writeStartedNanos = System.nanoTime();
        Chunks taken = queued;
        queued = writing;
        writing = taken;
        inFlight = pendingLength;
        pendingLength = 0;
    }

    /** Writes the taken chunks with one gathering write; without the lock. */
    private void writeTaken(Connection transport) throws IOException {
        Chunks w = writing;
        for (int i = 0; i < w.count; i++) {
            w.buffers[i] = ByteBuffer.wrap(w.arrays[i], 0, w.lengths[i]);
        }
        transport.write(w.buffers, 0, w.count);
    }

    private void finishWrite() {
        lock.lock();
        try {
            Chunks w = writing;
            long written = inFlight;
            // Keep one chunk for the next frames, of the size the traffic asks for; let the rest go.
            if (written < chunkSize / 4 && chunkSize > MIN_CHUNK) {
                chunkSize /= 2;
            }
            if (w.count > 0 && spare == null && w.last().length == chunkSize) {
                spare = w.last();
            }
            w.clear();
            inFlight = 0;
            writingNow = false;
            if (pendingLength > 0 || closing) {
                dataReady.signal();
            }
            if (pendingLength <= maxPending / 2) {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting frames; the flusher writes what is queued, then returns. */
    void close() {
        lock.lock();
        try {
            closing = true;
            dataReady.signal();
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The flusher loop: runs until {@link #close()} and the queue is drained, or a write fails (true), or
     * until {@code moveAway} says after a wake-up that the loop should continue on another thread (false).
     */
    boolean flushLoop(Connection transport, BooleanSupplier moveAway) throws IOException {
        while (true) {
            lock.lock();
            try {
                while ((pendingLength == 0 && !closing) || writingNow) {
                    flusherWaiting = true;
                    try {
                        dataReady.await(1, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return true;
                    } finally {
                        flusherWaiting = false;
                    }
                    // Idle wake-ups count too, so an idle platform flusher goes back to a virtual one.
                    if (pendingLength == 0 && !closing && !writingNow && moveAway.getAsBoolean()) {
                        return false;
                    }
                    if (pendingLength == 0 && !closing && !writingNow) {
                        // Idle for a second: give the kept chunk back, so idle connections stay small.
                        spare = null;
                    }
                }
                if (pendingLength == 0) {
                    return true;
                }
                takeForWriting();
            } finally {
                lock.unlock();
            }
            try {
                writeTaken(transport);
            } finally {
                finishWrite();
            }
            // The next thread takes over whatever was queued meanwhile: nobody owns the write side now.
            if (moveAway.getAsBoolean()) {
                return false;
            }
        }
    }

    /** With the lock held: starts a chunk big enough for {@code needed} bytes, at the traffic's size or more. */
    private void newChunk(int needed) {
        if (queued.count > 0 && chunkSize < MAX_CHUNK) {
            // Chunks fill before a write takes them: the traffic wants bigger ones.
            chunkSize *= 2;
        }
        byte[] chunk;
        if (spare != null && spare.length >= needed && spare.length >= chunkSize) {
            chunk = spare;
            spare = null;
        } else {
            chunk = new byte[Math.max(chunkSize, Math.min(needed, MAX_CHUNK))];
        }
        queued.add(chunk);
    }

    /** With the lock held: appends bytes, spanning chunks as needed, and counts them pending. */
    private void put(byte[] src, int off, int len) {
        pendingLength += len;
        while (len > 0) {
            int room = queued.lastRoom();
            if (room == 0) {
                newChunk(len);
                room = queued.lastRoom();
            }
            int n = Math.min(room, len);
            putInLast(src, off, n);
            off += n;
            len -= n;
        }
    }

    /** With the lock held: copies into the last chunk, which has room (not counted pending). */
    private void putInLast(byte[] src, int off, int len) {
        int at = queued.count - 1;
        System.arraycopy(src, off, queued.arrays[at], queued.lengths[at], len);
        queued.lengths[at] += len;
    }

    private void putByteInLast(byte b) {
        int at = queued.count - 1;
        queued.arrays[at][queued.lengths[at]++] = b;
    }
}
