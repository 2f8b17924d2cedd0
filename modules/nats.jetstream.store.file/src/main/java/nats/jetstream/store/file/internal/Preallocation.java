package nats.jetstream.store.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Zeros written ahead of the records of the block being appended to, so that a data sync after an append
 * overwrites allocated, already sized space. An append that grows a file changes its size, and on ext4 (as on
 * most journaling file systems) {@code fdatasync} must then commit the journal, which costs about a third of
 * the sync on this project's disks and makes it wait for every other writer's metadata on the same file
 * system. Writing real zeros is the only portable way: space reserved with {@code fallocate} is "unwritten"
 * and its first write changes metadata again.
 *
 * <p>The zeros go ahead in chunks that double from {@link #FIRST_CHUNK} to {@link #MAX_CHUNK} (a stream with
 * few messages keeps a small file), never beyond the block size; the round that writes them pays one sync
 * with a journal commit. A sealed block is cut back to its records. Recovery reads a run of zeros up to the
 * end of a block as its end (see {@link BlockScanner}). Flusher thread only.
 */
final class Preallocation {

    static final int FIRST_CHUNK = 64 * 1024;
    static final int MAX_CHUNK = 1024 * 1024;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(MAX_CHUNK).asReadOnlyBuffer();

    private Preallocation() {
    }

    /**
     * Makes sure zeros follow {@code end} in {@code block}'s file, after the round wrote its records up to
     * {@code end}. A block that cannot grow (its records reach the block size) is left as it is.
     */
    static void ahead(Block block, long end, long blockSize) throws IOException {
        long from = Math.max(block.preallocatedEnd, end);
        if (block.preallocatedEnd > end || from >= blockSize) {
            block.preallocatedEnd = Math.max(block.preallocatedEnd, end);
            return;
        }
        long chunk = Math.clamp(from, FIRST_CHUNK, MAX_CHUNK);
        long to = Math.min(blockSize, from + chunk);
        FileChannel channel = block.storage.channel();
        ByteBuffer zeros = ZEROS.duplicate();
        long position = from;
        while (position < to) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - position));
            position += channel.write(zeros, position);
        }
        block.preallocatedEnd = to;
    }

    /** Cuts a sealed block, all of whose records are written, back to its last record. */
    static void trim(Block block) throws IOException {
        if (block.preallocatedEnd > block.writtenEnd && !block.deleted) {
            block.storage.channel().truncate(block.writtenEnd);
            block.preallocatedEnd = block.writtenEnd;
        }
    }

    /** Whether {@code bytes[from, end)} holds nothing but zeros (space written ahead, never used). */
    static boolean zeros(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
