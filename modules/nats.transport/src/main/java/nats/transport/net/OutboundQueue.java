package nats.transport.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import nats.api.net.Connection;

/**
 * The write side of a connection between servers (a route, a gateway, a leaf node): producers on any thread
 * append frames into one pending buffer, and one writer thread swaps it out and writes it, so many frames
 * leave in one write. Appending is allocation-free: a producer {@linkplain #begin begins} a frame under the
 * lock, {@linkplain #put puts} its pieces and {@linkplain #end ends} it. Pending bytes beyond the limit refuse
 * further frames (the owner closes the connection as a slow consumer).
 */
public final class OutboundQueue {

    private static final int INITIAL_SIZE = 4096;
    private static final byte[] DIGITS = "0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition dataReady = lock.newCondition();
    private final long maxPending;
    private byte[] pending = new byte[INITIAL_SIZE];
    private int length;
    private byte[] spare = new byte[INITIAL_SIZE];
    private int inFlight;
    /** Read without the lock by {@link #signal()}: a producer takes the lock only when the writer sleeps. */
    private volatile boolean writerWaiting;
    private boolean closing;
    private boolean overLimit;
    private volatile long writeStartedNanos;
    /** True while the writer or an inline writer owns the socket's write side; changed under the lock. */
    private volatile boolean writing;
    private long frames;
    private long bytes;

    /** @param maxPending bytes queued or being written beyond which frames are refused */
    public OutboundQueue(long maxPending) {
        this.maxPending = maxPending;
    }

    /**
     * Locks the queue for one frame of at most {@code maxLength} bytes. On true the caller must put the frame
     * and call {@link #end}; on false (closed, or over the pending limit) nothing is held.
     */
    public boolean begin(int maxLength) {
        lock.lock();
        if (closing) {
            lock.unlock();
            return false;
        }
        if ((long) length + inFlight + maxLength > maxPending) {
            overLimit = true;
            lock.unlock();
            return false;
        }
        if (length + maxLength > pending.length) {
            int size = pending.length;
            while (size < length + maxLength) {
                size *= 2;
            }
            pending = Arrays.copyOf(pending, size);
        }
        return true;
    }

    public void put(byte[] src, int off, int len) {
        System.arraycopy(src, off, pending, length, len);
        length += len;
    }

    public void put(byte[] src) {
        put(src, 0, src.length);
    }

    public void put(byte b) {
        pending[length++] = b;
    }

    /** Puts a non-negative number in ASCII decimal (at most 19 bytes). */
    public void putDecimal(long value) {
        // Messages of one stream tend to repeat their sizes: keep the last number's text.
        if (value != lastDecimal) {
            lastDecimal = value;
            lastDecimalLength = 0;
            if (value == 0) {
                lastDecimalAscii[lastDecimalLength++] = '0';
            } else {
                int digits = 0;
                for (long v = value; v > 0; v /= 10) {
                    digits++;
                }
                for (int i = digits - 1; i >= 0; i--, value /= 10) {
                    lastDecimalAscii[i] = DIGITS[(int) (value % 10)];
                }
                lastDecimalLength = digits;
            }
        }
        System.arraycopy(lastDecimalAscii, 0, pending, length, lastDecimalLength);
        length += lastDecimalLength;
    }

    /** The last number {@link #putDecimal} wrote, as text; guarded by the lock like the buffer. */
    private long lastDecimal = -1;
    private final byte[] lastDecimalAscii = new byte[20];
    private int lastDecimalLength;

    /** Ends a frame begun with {@link #begin}; {@code message} counts it as a message for monitoring. */
    public void end(boolean message, int payloadBytes) {
        if (message) {
            frames++;
            bytes += payloadBytes;
        }
        lock.unlock();
    }

    /** Appends a whole protocol line (INFO, PING, RS+ ...) and wakes the writer. */
    public boolean append(byte[] line) {
        if (!begin(line.length)) {
            return false;
        }
        try {
            put(line);
        } finally {
            end(false, 0);
        }
        signal();
        return true;
    }

    /**
     * Wakes the writer if it sleeps while data waits. Without the lock when it does not sleep: a writer that
     * has not yet gone to sleep sees the data under the lock before it would.
     */
    public void signal() {
        if (!writerWaiting) {
            return;
        }
        lock.lock();
        try {
            if (writerWaiting && length > 0) {
                dataReady.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether a frame was refused because the pending limit was reached. */
    public boolean isOverLimit() {
        return overLimit;
    }

    /** Bytes queued or being written. */
    public long pendingBytes() {
        lock.lock();
        try {
            return (long) length + inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Messages queued so far (frames ended as messages). */
    public long messages() {
        lock.lock();
        try {
            return frames;
        } finally {
            lock.unlock();
        }
    }

    /** Payload bytes of the messages queued so far. */
    public long messageBytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a write has been blocked for longer than {@code nanos}. */
    public boolean writeStalledFor(long nanos) {
        return writing && System.nanoTime() - writeStartedNanos > nanos;
    }

    /** Refuses further frames; the writer writes what is queued, then returns. */
    public void close() {
        lock.lock();
        try {
            closing = true;
            dataReady.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The writer loop: writes until {@link #close()} and the queue is drained.
     *
     * @throws IOException when a write fails
     */
    public void writeLoop(Connection connection) throws IOException {
        byte[] written = null;
        int writtenLength = 0;
        while (true) {
            byte[] toWrite;
            int n;
            lockForWriter();
            try {
                if (written != null) {
                    // The last write's bookkeeping, in the same lock as taking the next batch.
                    release(written, writtenLength);
                    written = null;
                }
                while ((length == 0 && !closing) || writing) {
                    writerWaiting = true;
                    try {
                        dataReady.await(1, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } finally {
                        writerWaiting = false;
                    }
                }
                if (length == 0) {
                    return;
                }
                toWrite = take();
                n = inFlight;
            } finally {
                lock.unlock();
            }
            connection.write(ByteBuffer.wrap(toWrite, 0, n));
            written = toWrite;
            writtenLength = n;
        }
    }

    /**
     * The writer spins for the lock instead of parking on it: producers hold it for one frame, and a parked
     * writer would cost every producer's unlock a wake-up.
     */
    private void lockForWriter() {
        for (int i = 0; i < 512; i++) {
            if (lock.tryLock()) {
                return;
            }
            Thread.onSpinWait();
        }
        lock.lock();
    }

    /**
     * Writes what is queued on the caller's thread, when that is small and nobody is writing: a publisher's
     * reader then hands a short batch to the socket itself instead of waking the writer, as Go's readers flush
     * in place. Larger batches, or a write under way, are left to the writer.
     *
     * @return false when the writer should be signalled instead
     * @throws IOException when the write fails (the owner closes the connection)
     */
    public boolean writeInline(Connection connection, int limit) throws IOException {
        byte[] toWrite;
        int n;
        lock.lock();
        try {
            if (writing || closing || length == 0 || length > limit) {
                return false;
            }
            toWrite = take();
            n = inFlight;
        } finally {
            lock.unlock();
        }
        try {
            connection.write(ByteBuffer.wrap(toWrite, 0, n));
        } finally {
            written(toWrite, n);
        }
        return true;
    }

    /** Takes the pending batch for writing; under the lock. */
    private byte[] take() {
        byte[] toWrite = pending;
        inFlight = length;
        pending = spare;
        length = 0;
        writeStartedNanos = System.nanoTime();
        writing = true;
        return toWrite;
    }

    /** After an inline write: the buffer becomes the spare, and a writer waiting for the socket is told it is free. */
    private void written(byte[] buffer, int n) {
        lockForWriter();
        try {
            release(buffer, n);
            if (writerWaiting && (length > 0 || closing)) {
                dataReady.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends a write: nobody owns the socket's write side, and the buffer becomes the spare. Under the lock. */
    private void release(byte[] buffer, int n) {
        writing = false;
        inFlight = 0;
        // Keep a large buffer only while it is needed.
        spare = buffer.length > 1 << 20 && n < buffer.length / 4 ? new byte[INITIAL_SIZE] : buffer;
    }
}
