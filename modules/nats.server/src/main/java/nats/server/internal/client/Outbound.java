package nats.server.internal.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import nats.server.internal.routing.RoutedMessage;

/**
 * The write side of a connection: producers append frames into a pending buffer under a lock, and one
 * flusher thread swaps it out and writes it, so many frames leave in one write. Pending bytes beyond the
 * limit make the connection a slow consumer.
 */
final class Outbound {

    private static final int INITIAL_SIZE = 512;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] MSG = {'M', 'S', 'G', ' '};
    private static final byte[] HMSG = {'H', 'M', 'S', 'G', ' '};

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition dataReady = lock.newCondition();
    private final long maxPending;

    private byte[] pending = new byte[INITIAL_SIZE];
    private int pendingLength;
    private byte[] spare = new byte[INITIAL_SIZE];
    private int inFlight;
    private boolean flusherWaiting;
    private boolean closing;
    private boolean slowConsumer;

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
    boolean appendMessage(byte[] sid, RoutedMessage m) {
        int lineLength = (m.hasHeaders() ? HMSG.length + m.headerAsciiLength() + 1 : MSG.length)
                + m.subjectLength + 1 + sid.length + 1 + (m.hasReply() ? m.replyLength + 1 : 0)
                + m.totalAsciiLength() + 2;
        int frameLength = lineLength + m.dataLength + 2;
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
            if (m.hasHeaders()) {
                put(HMSG, 0, HMSG.length);
            } else {
                put(MSG, 0, MSG.length);
            }
            put(m.subject, m.subjectOffset, m.subjectLength);
            pending[pendingLength++] = ' ';
            put(sid, 0, sid.length);
            pending[pendingLength++] = ' ';
            if (m.hasReply()) {
                put(m.reply, m.replyOffset, m.replyLength);
                pending[pendingLength++] = ' ';
            }
            if (m.hasHeaders()) {
                put(m.headerAscii(), 0, m.headerAsciiLength());
                pending[pendingLength++] = ' ';
            }
            put(m.totalAscii(), 0, m.totalAsciiLength());
            put(CRLF, 0, 2);
            put(m.data, m.dataOffset, m.dataLength);
            put(CRLF, 0, 2);
            return true;
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

    /** Wakes the flusher if it sleeps while data waits. */
    void signal() {
        lock.lock();
        try {
            if (flusherWaiting && pendingLength > 0) {
                dataReady.signal();
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
        } finally {
            lock.unlock();
        }
    }

    /** The flusher loop: runs until {@link #close()} and the queue is drained, or a write fails. */
    void flushLoop(SocketChannel channel) throws IOException {
        while (true) {
            byte[] toWrite;
            int length;
            lock.lock();
            try {
                while (pendingLength == 0 && !closing) {
                    flusherWaiting = true;
                    try {
                        dataReady.await(1, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } finally {
                        flusherWaiting = false;
                    }
                }
                if (pendingLength == 0) {
                    return;
                }
                toWrite = pending;
                length = pendingLength;
                pending = spare.length >= INITIAL_SIZE ? spare : new byte[INITIAL_SIZE];
                pendingLength = 0;
                inFlight = length;
            } finally {
                lock.unlock();
            }
            ByteBuffer buffer = ByteBuffer.wrap(toWrite, 0, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            lock.lock();
            try {
                inFlight = 0;
                // Keep a large buffer only while it is needed, so idle connections stay small.
                spare = toWrite.length > 64 * 1024 && length < toWrite.length / 4 ? new byte[INITIAL_SIZE] : toWrite;
            } finally {
                lock.unlock();
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
