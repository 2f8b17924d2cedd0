package nats.jetstream.store.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a whole block and walks its records, checking both checksums of each. After damage it looks for the
 * next intact record (magic byte, header checksum, whole-record checksum) and carries on, so one bad byte
 * costs one record, not the rest of the block. Compressed blocks are walked frame by frame.
 */
final class BlockScanner {

    /** What the walk finds, in file order. */
    interface Visitor {
        /** An intact record at {@code logicalOffset}. */
        void record(byte[] bytes, int offset, int length, long logicalOffset);

        /**
         * A record whose header is intact (its type and sequence can be trusted) but whose body is damaged,
         * or which the file cuts short ({@code cut}).
         */
        void damagedRecord(byte[] bytes, int offset, long logicalOffset, boolean cut);

        /** Bytes at {@code fileOffset} holding nothing recognisable; {@code atEnd} when nothing valid follows. */
        void garbage(long fileOffset, long length, boolean atEnd);
    }

    /**
     * What the walk learnt about the block; {@code zeroTail} when nothing but zeros (written ahead by
     * {@link Preallocation}) follows the last intact record.
     */
    record Result(long logicalEnd, Block.Frames frames, boolean zeroTail) {
    }

    private byte[] buffer = new byte[0];

    /** Walks {@code channel}'s records after the header; {@code header} may be null if it was damaged. */
    Result scan(FileChannel channel, BlockHeader header, Crypto crypto, Crypto.Key key, Visitor visitor)
            throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException("block of " + size + " bytes is too large");
        }
        int length = (int) size;
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, 1 << 20)];
        }
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
        while (target.hasRemaining()) {
            if (channel.read(target, target.position()) < 0) {
                break;
            }
        }
        int end = target.position();
        if (header != null && header.compressed()) {
            return scanFrames(buffer, end, crypto, key, visitor);
        }
        int start = Math.min(end, BlockHeader.SIZE);
        long validEnd = walk(buffer, start, end, 0, visitor, true);
        return new Result(validEnd, null, validEnd < end && Preallocation.zeros(buffer, (int) validEnd, end));
    }

    /**
     * Walks records in {@code bytes[start, end)}; logical offsets are file offsets plus {@code base}.
     * Returns the logical end of the last intact record.
     */
    static long walk(byte[] bytes, int start, int end, long base, Visitor visitor, boolean reportGarbage) {
        int position = start;
        long validEnd = base + start;
        while (position < end) {
            if (end - position < RecordFormat.HEADER || !RecordFormat.headerValid(bytes, position)) {
                if (Preallocation.zeros(bytes, position, end)) {
                    return validEnd; // space written ahead of the records: the block's end, not damage
                }
                int next = resync(bytes, position + 1, end);
                if (reportGarbage) {
                    visitor.garbage(base + position, (next < 0 ? end : next) - position, next < 0);
                }
                if (next < 0) {
                    return validEnd;
                }
                position = next;
                continue;
            }
            int length = RecordFormat.length(bytes, position);
            if (position + (long) length > end) {
                int next = resync(bytes, position + 1, end);
                if (next < 0) {
                    visitor.damagedRecord(bytes, position, base + position, true);
                    return validEnd;
                }
                // A valid header whose length runs into later intact records: it lies.
                if (reportGarbage) {
                    visitor.garbage(base + position, next - position, false);
                }
                position = next;
                continue;
            }
            if (RecordFormat.trailerValid(bytes, position, length)) {
                visitor.record(bytes, position, length, base + position);
                position += length;
                validEnd = base + position;
                continue;
            }
            // Header intact, body damaged: its length is trustworthy, so the next record follows it.
            visitor.damagedRecord(bytes, position, base + position, false);
            int after = position + length;
            if (after >= end || startsRecord(bytes, after, end)) {
                position = after;
                continue;
            }
            if (Preallocation.zeros(bytes, after, end)) {
                return validEnd;
            }
            int next = resync(bytes, after, end);
            if (reportGarbage) {
                visitor.garbage(base + after, (next < 0 ? end : next) - after, next < 0);
            }
            if (next < 0) {
                return validEnd;
            }
            position = next;
        }
        return validEnd;
    }

    private static boolean startsRecord(byte[] bytes, int position, int end) {
        if (end - position < RecordFormat.HEADER || !RecordFormat.headerValid(bytes, position)) {
            return false;
        }
        int length = RecordFormat.length(bytes, position);
        return position + (long) length <= end && RecordFormat.trailerValid(bytes, position, length);
    }

    /** The next position at or after {@code from} where an intact record starts, or -1. */
    static int resync(byte[] bytes, int from, int end) {
        for (int position = from; position + RecordFormat.MIN_LENGTH <= end; position++) {
            if (bytes[position] == RecordFormat.MAGIC && startsRecord(bytes, position, end)) {
                return position;
            }
        }
        return -1;
    }

    private static Result scanFrames(byte[] bytes, int end, Crypto crypto, Crypto.Key key, Visitor visitor) {
        LongList rawStarts = new LongList();
        LongList rawLengths = new LongList();
        LongList fileOffsets = new LongList();
        LongList storedLengths = new LongList();
        int position = BlockHeader.SIZE;
        long logicalEnd = 0;
        boolean sealed = false;
        while (position < end) {
            if (end - position >= Compression.HEADER && Compression.headerValid(bytes, position)) {
                int stored = RecordFormat.getInt(bytes, position + 16);
                long rawStart = RecordFormat.getLong(bytes, position + 8);
                byte[] raw = position + (long) Compression.HEADER + stored <= end
                        ? Compression.decode(bytes, position, crypto, key, position) : null;
                if (raw != null) {
                    sealed |= (bytes[position + 2] & 1) != 0;
                    rawStarts.add(rawStart);
                    rawLengths.add(raw.length);
                    fileOffsets.add(position);
                    storedLengths.add(stored);
                    long frameEnd = walk(raw, 0, raw.length, rawStart, visitor, true);
                    logicalEnd = Math.max(logicalEnd, frameEnd);
                    position += Compression.HEADER + stored;
                    continue;
                }
            }
            int next = nextFrame(bytes, position + 1, end);
            visitor.garbage(position, (next < 0 ? end : next) - position, next < 0);
            if (next < 0) {
                break;
            }
            position = next;
        }
        int n = rawStarts.size();
        long[] starts = rawStarts.toArray();
        int[] rawLength = new int[n];
        long[] offsets = fileOffsets.toArray();
        int[] storedLength = new int[n];
        for (int i = 0; i < n; i++) {
            rawLength[i] = (int) rawLengths.get(i);
            storedLength[i] = (int) storedLengths.get(i);
        }
        return new Result(logicalEnd, new Block.Frames(starts, rawLength, offsets, storedLength, sealed), false);
    }

    private static int nextFrame(byte[] bytes, int from, int end) {
        for (int position = from; position + Compression.HEADER <= end; position++) {
            if (bytes[position] == Compression.MAGIC && Compression.headerValid(bytes, position)) {
                return position;
            }
        }
        return -1;
    }
}
