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
 * The write side of a connection: producers append frames into a pending buffer under a lock, and one
 * flusher thread swaps it out and writes it, so many frames leave in one write. Pending bytes beyond the
 * limit make the connection a slow consumer.
 */
final class Outbound {

    private static final int INITIAL_SIZE = 512;
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

    private byte[] pending = new byte[INITIAL_SIZE];
    private int pendingLength;
    private byte[] spare = new byte[INITIAL_SIZE];
    private int inFlight;
    private boolean flusherWaiting;
    /** True while the flusher or an inline writer owns the socket's write side. */
    private boolean writing;
    /** When the current write began (System.nanoTime), for the write deadline; meaningful while writing. */
    private volatile long writeStartedNanos;
    private boolean closing;
    private boolean slowConsumer;
    /** Messages and payload bytes queued for the client, counted under the lock for monitoring. */
    private long deliveredMessages;
    private long deliveredBytes;

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
            ensure(bytes.length);
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
            if ((long) pendingLength + inFlight + frameLength > maxPending) {
                slowConsumer = true;
                return false;
            }
            ensure(frameLength);
            if (withHeaders) {
                put(HMSG, 0, HMSG.length);
            } else {
                put(MSG, 0, MSG.length);
            }
            put(m.frameSubject(), m.frameSubjectOffset(), m.frameSubjectLength());
            pending[pendingLength++] = ' ';
            put(sid, 0, sid.length);
            pending[pendingLength++] = ' ';
            if (m.hasReply()) {
                put(m.reply, m.replyOffset, m.replyLength);
                pending[pendingLength++] = ' ';
            }
            if (withHeaders) {
                put(m.headerAscii(), 0, m.headerAsciiLength());
                pending[pendingLength++] = ' ';
            }
            put(sizeAscii, 0, sizeAsciiLength);
            put(CRLF, 0, 2);
            put(m.data, dataOffset, dataLength);
            put(CRLF, 0, 2);
            deliveredMessages++;
            deliveredBytes += dataLength;
            return true;
        } finally {
            lock.unlock();
        }
    }

    long deliveredMessages() {
        lock.lock();
        try {
            return deliveredMessages;
        } finally {
            lock.unlock();
        }
    }

    long deliveredBytes() {
        lock.lock();
        try {
            return deliveredBytes;
        } finally {
            lock.unlock();
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
        if ((long) pendingLength + inFlight <= maxPending / 2) {
            return;
        }
        lock.lock();
        try {
            long pendingBytes = (long) pendingLength + inFlight;
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
            while (remaining > 0 && !closing && (long) pendingLength + inFlight > half) {
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
            return writing && System.nanoTime() - writeStartedNanos > deadlineNanos;
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
            return (long) pendingLength + inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held: wakes a sleeping flusher when data waits and nobody is writing. */
    private void wakeFlusherLocked() {
        if (flusherWaiting && pendingLength > 0 && !writing) {
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
        byte[] toWrite;
        int length;
        lock.lock();
        try {
            if (writing || closing || pendingLength == 0 || pendingLength > INLINE_LIMIT) {
                wakeFlusherLocked();
                return;
            }
            writing = true;
            writeStartedNanos = System.nanoTime();
            toWrite = pending;
            length = pendingLength;
            pending = spare;
            pendingLength = 0;
            inFlight = length;
        } finally {
            lock.unlock();
        }
        boolean failed = false;
        try {
            transport.write(ByteBuffer.wrap(toWrite, 0, length));
        } catch (IOException e) {
            failed = true;
        } finally {
            finishWrite(toWrite, length);
        }
        if (failed) {
            close();
        }
    }

    private void finishWrite(byte[] written, int length) {
        lock.lock();
        try {
            inFlight = 0;
            writing = false;
            // Keep a large buffer only while it is needed, so idle connections stay small.
            spare = written.length > 64 * 1024 && length < written.length / 4 ? new byte[INITIAL_SIZE] : written;
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
            byte[] toWrite;
            int length;
            lock.lock();
            try {
                while ((pendingLength == 0 && !closing) || writing) {
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
                    if (pendingLength == 0 && !closing && !writing && moveAway.getAsBoolean()) {
                        return false;
                    }
                }
                if (pendingLength == 0) {
                    return true;
                }
                writing = true;
                writeStartedNanos = System.nanoTime();
                toWrite = pending;
                length = pendingLength;
                pending = spare;
                pendingLength = 0;
                inFlight = length;
            } finally {
                lock.unlock();
            }
            try {
                transport.write(ByteBuffer.wrap(toWrite, 0, length));
            } finally {
                finishWrite(toWrite, length);
            }
            // The next thread takes over whatever was queued meanwhile: nobody owns the write side now.
            if (moveAway.getAsBoolean()) {
                return false;
            }
        }
    }

    private void ensure(int extra) {
        int needed = pendingLength + extra;
        if (needed > pending.length) {
            int size = pending.length;
            while (size < needed) {
                size *= 2;
            }
            pending = java.util.Arrays.copyOf(pending, size);
        }
    }

    private void put(byte[] src, int off, int len) {
        System.arraycopy(src, off, pending, pendingLength, len);
        pendingLength += len;
    }
}
