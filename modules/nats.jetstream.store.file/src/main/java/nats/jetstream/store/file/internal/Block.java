package nats.jetstream.store.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One message block file: its records' sequence range and live count, and, while it is written, the tail
 * of bytes not yet handed to the operating system. Offsets are logical: positions in the block's record
 * stream, which are file positions for a plain block and positions in the decompressed stream for a
 * compressed one.
 *
 * <p>Fields without a note are guarded by the engine's write lock (changes) and read lock (reads); the
 * flusher touches only the write-side fields, under {@link FileStorage}'s flush lock.
 */
final class Block {

    private static final AtomicInteger IDS = new AtomicInteger();

    /** A range of bytes holding one record, and the key of the file it came from. */
    record Region(byte[] bytes, int offset, int length, Crypto.Key key) {
    }

    /** Where a compressed block's frames are. */
    record Frames(long[] rawStart, int[] rawLength, long[] fileOffset, int[] storedLength, boolean sealed) {

        int find(long offset) {
            int low = 0;
            int high = rawStart.length - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                if (rawStart[mid] + rawLength[mid] <= offset) {
                    low = mid + 1;
                } else if (rawStart[mid] > offset) {
                    high = mid - 1;
                } else {
                    return mid;
                }
            }
            return -1;
        }
    }

    /** The file a block is read from; replaced whole when a sealed block is compressed. */
    record Storage(FileChannel channel, BlockHeader header, Crypto crypto, Crypto.Key key, Frames frames,
            int cacheId) {
    }

    final long index;
    final Path path;
    /** Held while the block's file is rewritten (compression, erase) or deleted. */
    final java.util.concurrent.locks.ReentrantLock maintenance = new java.util.concurrent.locks.ReentrantLock();
    volatile Storage storage;

    long firstSeq;
    long lastSeq;
    int live;
    final LongList tombstones = new LongList();
    boolean sealed;
    boolean pendingDelete;
    volatile boolean deleted;

    // Write side: [tailBase, appendEnd) is in `tail`; [0, writtenEnd) is in the file.
    byte[] tail;
    long tailBase;
    volatile long appendEnd;
    volatile long writtenEnd;
    boolean flushing;
    /**
     * How far the file holds bytes the flusher wrote (records, then zeros written ahead of them): overwriting
     * zeros changes no file size, so a data sync needs no journal commit. Flusher only.
     */
    long preallocatedEnd;
    boolean directorySynced;
    boolean syncedAfterWrite = true;

    Block(long index, Path path, FileChannel channel, BlockHeader header, Crypto crypto, Crypto.Key key,
            Frames frames) {
        this.index = index;
        this.path = path;
        this.storage = new Storage(channel, header, crypto, key, frames, IDS.incrementAndGet());
    }

    /** A new cache id, for a rewritten file whose chunks differ from the old one's. */
    static int newCacheId() {
        return IDS.incrementAndGet();
    }

    BlockHeader header() {
        return storage.header();
    }

    Crypto.Key key() {
        return storage.key();
    }

    boolean compressed() {
        return storage.frames() != null;
    }

    /** Records a MESSAGE or SKIP record's sequences in this block. */
    void noteSequences(long first, long last) {
        if (firstSeq == 0) {
            firstSeq = first;
        }
        lastSeq = Math.max(lastSeq, last);
    }

    /** Whether every byte appended has been written to the file. */
    boolean fullyWritten() {
        return writtenEnd >= appendEnd;
    }

    /**
     * The record at logical {@code offset}, from the unwritten tail, the cache or the file; {@code null} if
     * the block holds no complete record there (the file was cut).
     */
    Region read(long offset, ReadCache cache) throws IOException {
        Storage current = storage;
        byte[] tailBytes = tail;
        if (tailBytes != null && current.frames() == null && offset >= tailBase && offset < appendEnd) {
            int at = (int) (offset - tailBase);
            int length = RecordFormat.length(tailBytes, at);
            return new Region(tailBytes, at, length, current.key());
        }
        try {
            return current.frames() == null ? readPlain(current, offset, cache) : readFrame(current, offset, cache);
        } catch (ClosedChannelException e) {
            if (storage != current && !deleted) {
                return read(offset, cache); // compressed meanwhile: read the new file
            }
            throw e;
        }
    }

    private Region readPlain(Storage current, long offset, ReadCache cache) throws IOException {
        long chunkNo = offset / ReadCache.CHUNK;
        long chunkStart = chunkNo * ReadCache.CHUNK;
        long key = ReadCache.key(current.cacheId(), chunkNo);
        byte[] chunk = cache.get(key);
        int at = (int) (offset - chunkStart);
        if (chunk == null || chunk.length < at + RecordFormat.HEADER) {
            long end = Math.min(chunkStart + ReadCache.CHUNK, fileEnd(current));
            if (end <= chunkStart) {
                return null;
            }
            chunk = readFully(current.channel(), chunkStart, (int) (end - chunkStart));
            if (chunk == null) {
                return null;
            }
            cache.put(key, chunk);
        }
        if (chunk.length >= at + RecordFormat.HEADER) {
            int length = RecordFormat.length(chunk, at);
            if (length >= RecordFormat.MIN_LENGTH && at + (long) length <= chunk.length) {
                return new Region(chunk, at, length, current.key());
            }
        }
        // The record crosses the chunk's end (or its length is damaged): read it on its own.
        byte[] header = readFully(current.channel(), offset, RecordFormat.HEADER);
        if (header == null) {
            return null;
        }
        int length = RecordFormat.length(header, 0);
        if (length < RecordFormat.MIN_LENGTH || length > RecordFormat.MAX_LENGTH) {
            return new Region(header, 0, RecordFormat.HEADER, current.key());
        }
        byte[] record = readFully(current.channel(), offset, length);
        return record == null ? null : new Region(record, 0, length, current.key());
    }

    private long fileEnd(Storage current) throws IOException {
        return tail != null || !sealed ? writtenEnd : current.channel().size();
    }

    private Region readFrame(Storage current, long offset, ReadCache cache) throws IOException {
        Frames frames = current.frames();
        int frame = frames.find(offset);
        if (frame < 0) {
            return null;
        }
        long key = ReadCache.key(current.cacheId(), frame);
        byte[] raw = cache.get(key);
        if (raw == null) {
            raw = Compression.readFrame(current, frame);
            if (raw == null) {
                return null;
            }
            cache.put(key, raw);
        }
        int at = (int) (offset - frames.rawStart()[frame]);
        if (at + RecordFormat.HEADER > raw.length) {
            return null;
        }
        int length = RecordFormat.length(raw, at);
        if (length < RecordFormat.MIN_LENGTH || at + (long) length > raw.length) {
            return new Region(raw, at, Math.min(RecordFormat.HEADER, raw.length - at), current.key());
        }
        return new Region(raw, at, length, current.key());
    }

    /** Reads exactly {@code length} bytes at {@code position}; {@code null} if the file ends first. */
    static byte[] readFully(FileChannel channel, long position, int length) throws IOException {
        byte[] bytes = new byte[length];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                return null;
            }
        }
        return bytes;
    }

    @Override
    public String toString() {
        return path.getFileName().toString();
    }
}
