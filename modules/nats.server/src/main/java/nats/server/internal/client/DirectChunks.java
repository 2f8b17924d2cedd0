package nats.server.internal.client;

import java.nio.ByteBuffer;

/**
 * Off-heap chunks for output that waits for a slow reader. A full 64 KiB chunk of a connection's output is
 * copied into one of these and the heap chunk is reused for the next frames, so a consumer that falls behind
 * holds its backlog outside the Java heap: the garbage collector never copies it (a young collection copies
 * every live heap chunk, which made 100 stalled subscribers cost more CPU in collections than in deliveries),
 * the heap stays small, and the socket writes it without the JDK's copy of heap buffers into a temporary direct
 * one. Idle chunks are kept for reuse up to a small bound; beyond {@link #limit} bytes in all (or when the JVM
 * refuses direct memory) callers keep their output on the heap as before.
 */
final class DirectChunks {

    static final int SIZE = 64 * 1024;
    /** Idle chunks kept for reuse: 16 MiB. */
    private static final int KEEP = 256;

    static final DirectChunks SHARED = new DirectChunks(Runtime.getRuntime().maxMemory() / 2);

    private final long limit;
    private final ByteBuffer[] idle = new ByteBuffer[KEEP];
    private int idleCount;
    /** Bytes of chunks handed out or idle (dropped ones no longer count). Guarded by this. */
    private long reserved;

    DirectChunks(long limit) {
        this.limit = limit;
    }

    /** A cleared chunk of {@link #SIZE} bytes, or null when the limit is reached or the JVM has no direct memory. */
    ByteBuffer take() {
        synchronized (this) {
            if (idleCount > 0) {
                ByteBuffer chunk = idle[--idleCount];
                idle[idleCount] = null;
                return chunk.clear();
            }
            if (reserved + SIZE > limit) {
                return null;
            }
            reserved += SIZE;
        }
        try {
            return ByteBuffer.allocateDirect(SIZE);
        } catch (OutOfMemoryError e) {
            synchronized (this) {
                reserved -= SIZE;
            }
            return null;
        }
    }

    /** Returns a chunk from {@link #take()}; one that is not kept is freed by its cleaner after a collection. */
    synchronized void give(ByteBuffer chunk) {
        if (idleCount < KEEP) {
            idle[idleCount++] = chunk;
        } else {
            reserved -= SIZE;
        }
    }

    /** Bytes handed out or kept idle. */
    synchronized long reserved() {
        return reserved;
    }

    synchronized int idle() {
        return idleCount;
    }
}
