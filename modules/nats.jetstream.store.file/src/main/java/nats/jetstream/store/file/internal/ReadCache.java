package nats.jetstream.store.file.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded cache of block chunks (32 KiB of a plain block, or one decompressed frame), least recently used
 * out first. Split in segments so concurrent readers rarely wait for each other. Keys are a block's cache id
 * and the chunk's number.
 */
final class ReadCache {

    static final int CHUNK = 32 * 1024;
    private static final int SEGMENTS = 16;

    private final Segment[] segments = new Segment[SEGMENTS];
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    ReadCache(long capacityBytes) {
        long perSegment = Math.max(CHUNK * 2L, capacityBytes / SEGMENTS);
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment(perSegment);
        }
    }

    static long key(int blockId, long chunk) {
        return (long) blockId << 32 | (chunk & 0xFFFFFFFFL);
    }

    /** The cached chunk, or {@code null}. */
    byte[] get(long key) {
        byte[] chunk = segment(key).get(key);
        if (chunk != null) {
            hits.incrementAndGet();
        } else {
            misses.incrementAndGet();
        }
        return chunk;
    }

    void put(long key, byte[] chunk) {
        segment(key).put(key, chunk);
    }

    /** Drops every chunk of block {@code blockId} (rewritten or deleted). */
    void invalidate(int blockId) {
        for (Segment segment : segments) {
            segment.removeBlock(blockId);
        }
    }

    long hits() {
        return hits.get();
    }

    long misses() {
        return misses.get();
    }

    private Segment segment(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return segments[(int) (h >>> 60)];
    }

    private static final class Segment {
        private final ReentrantLock lock = new ReentrantLock();
        private final long capacity;
        private long bytes;
        private final LinkedHashMap<Long, byte[]> map = new LinkedHashMap<>(64, 0.75f, true);

        Segment(long capacity) {
            this.capacity = capacity;
        }

        byte[] get(long key) {
            lock.lock();
            try {
                return map.get(key);
            } finally {
                lock.unlock();
            }
        }

        void put(long key, byte[] chunk) {
            lock.lock();
            try {
                byte[] old = map.put(key, chunk);
                bytes += chunk.length - (old == null ? 0 : old.length);
                var it = map.entrySet().iterator();
                while (bytes > capacity && it.hasNext()) {
                    Map.Entry<Long, byte[]> eldest = it.next();
                    bytes -= eldest.getValue().length;
                    it.remove();
                }
            } finally {
                lock.unlock();
            }
        }

        void removeBlock(int blockId) {
            lock.lock();
            try {
                var it = map.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<Long, byte[]> entry = it.next();
                    if ((int) (entry.getKey() >>> 32) == blockId) {
                        bytes -= entry.getValue().length;
                        it.remove();
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
