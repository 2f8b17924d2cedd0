package nats.server.internal.client;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An ordered list of an {@link Outbound}'s filled chunks (heap arrays, or off-heap chunks from
 * {@link DirectChunks}) with their lengths, reused from write to write. Used under the outbound's monitor, or
 * by its one writer.
 */
final class ChunkList {

    byte[][] arrays = new byte[4][];
    ByteBuffer[] direct = new ByteBuffer[4];
    int[] lengths = new int[4];
    ByteBuffer[] buffers = new ByteBuffer[4];
    int count;

    void add(byte[] array, ByteBuffer directChunk, int length) {
        if (count == arrays.length) {
            arrays = Arrays.copyOf(arrays, count * 2);
            direct = Arrays.copyOf(direct, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
            buffers = Arrays.copyOf(buffers, count * 2);
        }
        arrays[count] = array;
        direct[count] = directChunk;
        lengths[count] = length;
        count++;
    }

    /** The buffers to write, each positioned at its chunk's start and limited to its length. */
    ByteBuffer[] prepare() {
        for (int i = 0; i < count; i++) {
            buffers[i] = arrays[i] != null ? ByteBuffer.wrap(arrays[i], 0, lengths[i])
                    : direct[i].clear().limit(lengths[i]);
        }
        return buffers;
    }

    /** The last heap chunk, or null. */
    byte[] lastArray() {
        return count == 0 ? null : arrays[count - 1];
    }

    /** Empties the list, giving off-heap chunks back to {@code pool}. */
    void clear(DirectChunks pool) {
        for (int i = 0; i < count; i++) {
            if (direct[i] != null) {
                pool.give(direct[i]);
            }
        }
        forget();
    }

    private void forget() {
        for (int i = 0; i < count; i++) {
            arrays[i] = null;
            direct[i] = null;
            buffers[i] = null;
        }
        count = 0;
    }
}
