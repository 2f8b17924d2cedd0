package nats.server.internal.client;

import java.nio.ByteBuffer;

import nats.api.net.Connection;

/**
 * The read side of one connection, for every protocol the server speaks: it reads into a buffer that grows
 * when reads fill it and shrinks when they stay small (like the Go server's), hands each read's bytes to a
 * {@link Reader}, and moves itself to a platform thread while the connection is busy (or its processing blocks
 * often, as a synchronous JetStream publisher's does on the disk sync) and back to a virtual thread when it goes
 * quiet (see {@link PlatformThreads}). Between two reads nothing of the loop's state
 * lives on its stack but the buffer, so the loop simply resumes on the other thread.
 */
public final class ReadLoop {

    private static final int MAX_READ_BUFFER = 64 * 1024;
    private static final int MIN_READ_BUFFER = 512;

    /** What consumes the bytes. */
    public interface Reader {

        /** The bytes of one read; the buffer is reused. Throwing ends the loop. */
        void onBytes(byte[] buffer, int offset, int length) throws Exception;

        /** Called after each read's bytes were processed (flush what they produced). */
        default void afterRead() {
        }

        /**
         * The loop is about to continue on a platform thread ({@code toPlatform}) or a virtual one; called on the
         * current reader thread, between two reads. Returning false keeps the loop where it is for now.
         */
        default boolean beforeMove(boolean toPlatform) {
            return true;
        }

        /** Whether the connection was closed meanwhile, so the loop stops. */
        boolean stopped();

        /**
         * The loop ended: {@code cause} is null at the end of the stream, else what a read or
         * {@link #onBytes} threw. Called once, on the reader's thread.
         */
        void ended(Throwable cause);
    }

    /** The connection read now: a client's transport may change once, when TLS replaces the plain socket. */
    private final java.util.function.Supplier<Connection> connection;
    private final Reader reader;
    private final String threadName;
    private final PlatformThreads.Activity activity = new PlatformThreads.Activity();
    private volatile Thread thread;

    public ReadLoop(Connection connection, Reader reader, String threadName) {
        this(() -> connection, reader, threadName);
    }

    public ReadLoop(java.util.function.Supplier<Connection> connection, Reader reader, String threadName) {
        this.connection = connection;
        this.reader = reader;
        this.threadName = threadName;
    }

    /** Runs the loop on the calling (virtual) thread until the connection ends or the loop moves away. */
    public void run() {
        readFrom(ByteBuffer.allocate(MIN_READ_BUFFER));
    }

    /** The thread reading now. */
    public Thread thread() {
        return thread;
    }

    /** Whether the calling thread is this connection's reader. */
    public boolean isReaderThread() {
        return Thread.currentThread() == thread;
    }

    private void readFrom(ByteBuffer start) {
        thread = Thread.currentThread();
        ByteBuffer buffer = start;
        Connection in = connection.get();
        boolean onPlatform = !Thread.currentThread().isVirtual();
        try {
            while (!reader.stopped()) {
                buffer.clear();
                int n = in.read(buffer);
                if (n < 0) {
                    reader.ended(null);
                    return;
                }
                long started = System.nanoTime();
                try {
                    reader.onBytes(buffer.array(), 0, n);
                } finally {
                    reader.afterRead();
                }
                buffer = resize(buffer, n);
                long now = System.nanoTime();
                boolean blocked = now - started >= PlatformThreads.BLOCKED_NANOS;
                if (activity.shouldMove(onPlatform, now, blocked) && moveTo(!onPlatform, buffer)) {
                    return;
                }
            }
        } catch (Exception e) {
            reader.ended(e);
        } finally {
            if (onPlatform) {
                PlatformThreads.SHARED.release();
            }
        }
    }

    /** Continues reading on a thread of the other kind, when the budget allows a platform thread. */
    private boolean moveTo(boolean platform, ByteBuffer buffer) {
        if (platform && !PlatformThreads.SHARED.tryAcquire()) {
            return false;
        }
        if (!reader.beforeMove(platform)) {
            if (platform) {
                PlatformThreads.SHARED.release();
            }
            return false;
        }
        try {
            Thread next = PlatformThreads.unstartedOther(!platform, threadName, () -> readFrom(buffer));
            thread = next;
            next.start();
        } catch (OutOfMemoryError | RuntimeException e) {
            // No thread to be had: stay where we are.
            thread = Thread.currentThread();
            if (platform) {
                PlatformThreads.SHARED.release();
            }
            reader.beforeMove(!platform);
            return false;
        }
        return true;
    }

    /** Grows the read buffer when reads fill it and shrinks it when they stay small, like the Go server. */
    private static ByteBuffer resize(ByteBuffer buffer, int lastRead) {
        int capacity = buffer.capacity();
        if (lastRead == capacity && capacity < MAX_READ_BUFFER) {
            return ByteBuffer.allocate(capacity * 2);
        }
        if (lastRead < capacity / 4 && capacity > MIN_READ_BUFFER) {
            return ByteBuffer.allocate(capacity / 2);
        }
        return buffer;
    }
}
