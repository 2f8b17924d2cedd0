package nats.jetstream.store.file.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import nats.jetstream.store.StoreException;

/**
 * Rewrites of sealed blocks: overwriting an erased message in place, and compressing a block once it is
 * synced. A block's {@link Block#maintenance} lock keeps the two (and deletion) apart.
 */
final class Maintenance {

    private Maintenance() {
    }

    /**
     * Overwrites the message at {@code offset} with random bytes, keeping its length and sequence, as an
     * ERASED record. The tombstone or floor written before makes the removal durable first, so a crash
     * in between leaves a deleted message, never a half-erased live one. Engine write lock held.
     */
    static void erase(FileStorage storage, Block block, long offset, long sequence) {
        storage.flusher.syncNow();
        block.maintenance.lock();
        try {
            if (block.deleted) {
                return;
            }
            if (block.compressed()) {
                rewriteCompressed(storage, block, offset, sequence);
                return;
            }
            Block.Region region = block.read(offset, storage.cache);
            if (region == null || !RecordFormat.headerValid(region.bytes(), region.offset())
                    || RecordFormat.sequence(region.bytes(), region.offset()) != sequence) {
                return; // damaged already: nothing readable to erase
            }
            int length = region.length();
            byte[] record = erasedRecord(region.bytes(), region.offset(), length, sequence);
            FileChannel channel = block.storage.channel();
            ByteBuffer buffer = ByteBuffer.wrap(record);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
            channel.force(false);
            storage.flushLock.lock();
            try {
                byte[] tail = block.tail;
                if (tail != null && offset >= block.tailBase && offset + length <= block.tailBase + tail.length) {
                    System.arraycopy(record, 0, tail, (int) (offset - block.tailBase), length);
                }
            } finally {
                storage.flushLock.unlock();
            }
            storage.cache.invalidate(block.storage.cacheId());
        } catch (IOException e) {
            throw storage.fail("erasing message " + sequence + " in " + block + " failed", e);
        } finally {
            block.maintenance.unlock();
        }
    }

    private static byte[] erasedRecord(byte[] bytes, int at, int length, long sequence) {
        byte[] record = FileStorage.randomBytes(length);
        RecordFormat.putHeader(record, 0, RecordFormat.ERASED, (byte) 0, length, sequence,
                RecordFormat.timestamp(bytes, at));
        RecordFormat.putTrailer(record, 0, length);
        return record;
    }

    /** Erases inside a compressed block: decompress, overwrite, compress into a new file. */
    private static void rewriteCompressed(FileStorage storage, Block block, long offset, long sequence)
            throws IOException {
        byte[] raw = decompressAll(block);
        if (raw == null) {
            return;
        }
        int at = (int) offset;
        if (at + RecordFormat.HEADER > raw.length || !RecordFormat.headerValid(raw, at)) {
            return;
        }
        int length = RecordFormat.length(raw, at);
        System.arraycopy(erasedRecord(raw, at, length, sequence), 0, raw, at, length);
        writeCompressed(storage, block, raw, 0);
    }

    /** The raw record stream of a compressed block, as logical offsets address it; null if damaged. */
    private static byte[] decompressAll(Block block) throws IOException {
        Block.Frames frames = block.storage.frames();
        int n = frames.rawStart().length;
        long end = n == 0 ? BlockHeader.SIZE : frames.rawStart()[n - 1] + frames.rawLength()[n - 1];
        byte[] raw = new byte[(int) end];
        for (int i = 0; i < n; i++) {
            byte[] frame = Compression.readFrame(block.storage, i);
            if (frame == null) {
                return null;
            }
            System.arraycopy(frame, 0, raw, (int) frames.rawStart()[i], frame.length);
        }
        return raw;
    }

    /**
     * Compresses a sealed, synced block on a background thread. Records of an encrypted block are opened and
     * the frames sealed with a new block key instead. A block with any damage is left as it is.
     */
    static void compress(FileStorage storage, Block block) {
        block.maintenance.lock();
        try {
            if (block.deleted || block.compressed() || storage.isClosed()) {
                return;
            }
            FileChannel channel = block.storage.channel();
            long size = channel.size();
            byte[] bytes = Block.readFully(channel, 0, (int) size);
            if (bytes == null) {
                return;
            }
            byte[] raw = plainRecords(storage, block, bytes);
            if (raw == null) {
                storage.logger.log(System.Logger.Level.WARNING, "JetStream stream ''{0}'': {1} has damaged records;"
                        + " it is left uncompressed", storage.name, block);
                return;
            }
            writeCompressed(storage, block, raw, size);
        } catch (IOException | UncheckedIOException e) {
            storage.logger.log(System.Logger.Level.WARNING, "JetStream stream ''{0}'': compressing {1} failed: {2}",
                    storage.name, block, e.toString());
        } catch (StoreException e) {
            storage.logger.log(System.Logger.Level.WARNING, "JetStream stream ''{0}'': compressing {1} failed: {2}",
                    storage.name, block, e.getMessage());
        } finally {
            block.maintenance.unlock();
        }
    }

    /** The block's records with every message opened (plaintext), at their original offsets; null if damaged. */
    private static byte[] plainRecords(FileStorage storage, Block block, byte[] bytes) {
        byte[] raw = bytes.clone();
        int position = BlockHeader.SIZE;
        while (position < raw.length) {
            if (raw.length - position < RecordFormat.MIN_LENGTH || !RecordFormat.headerValid(raw, position)) {
                return null;
            }
            int length = RecordFormat.length(raw, position);
            if (position + (long) length > raw.length || !RecordFormat.trailerValid(raw, position, length)) {
                return null;
            }
            if (RecordFormat.type(raw, position) == RecordFormat.MESSAGE
                    && (RecordFormat.flags(raw, position) & RecordFormat.ENCRYPTED) != 0) {
                MessageCodec.Body body = MessageCodec.decode(raw, position, storage.crypto, block.key(), position);
                if (body == null) {
                    return null;
                }
                // Same length: the plaintext is shorter by the tag, which stays as padding inside the record.
                byte flags = (byte) (RecordFormat.flags(raw, position) & ~RecordFormat.ENCRYPTED
                        | RecordFormat.PADDED);
                RecordFormat.putHeader(raw, position, RecordFormat.MESSAGE, flags, length,
                        RecordFormat.sequence(raw, position), RecordFormat.timestamp(raw, position));
                int bodyStart = position + RecordFormat.HEADER;
                System.arraycopy(body.bytes(), body.offset(), raw, bodyStart, body.bytes().length - body.offset());
                int plainEnd = bodyStart + body.bytes().length - body.offset();
                java.util.Arrays.fill(raw, plainEnd, position + length - RecordFormat.TRAILER, (byte) 0);
                RecordFormat.putTrailer(raw, position, length);
            }
            position += length;
        }
        return raw;
    }

    /** Writes {@code raw} (records at their logical offsets) as a compressed block and swaps it in. */
    private static void writeCompressed(FileStorage storage, Block block, byte[] raw, long originalSize)
            throws IOException {
        BlockHeader old = block.header();
        Crypto.Key key = null;
        byte[] salt = new byte[16];
        int flags = BlockHeader.COMPRESSED;
        if (storage.crypto != null) {
            salt = Crypto.newSalt();
            key = storage.crypto.blockKey(salt);
            flags |= BlockHeader.ENCRYPTED;
        }
        BlockHeader header = old.withFlags(flags, salt, key == null ? 0 : (int) key.check());
        Path tmp = block.path.resolveSibling(block.path.getFileName() + ".tmp");
        LongList rawStarts = new LongList();
        LongList rawLengths = new LongList();
        LongList fileOffsets = new LongList();
        LongList storedLengths = new LongList();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] headerBytes = new byte[BlockHeader.SIZE];
            header.write(headerBytes, 0);
            long position = writeAll(out, headerBytes, 0);
            int start = BlockHeader.SIZE;
            while (start < raw.length) {
                int end = start;
                while (end < raw.length) {
                    int length = RecordFormat.length(raw, end);
                    if (end > start && end + length - start > Compression.FRAME_RAW) {
                        break;
                    }
                    end += length;
                }
                byte[] frame = Compression.frame(raw, start, end - start, start, storage.crypto, key, position);
                rawStarts.add(start);
                rawLengths.add(end - start);
                fileOffsets.add(position);
                storedLengths.add(frame.length - Compression.HEADER);
                position = writeAll(out, frame, position);
                start = end;
            }
            out.force(true);
        }
        if (block.deleted || storage.isClosed()) {
            Files.deleteIfExists(tmp);
            return;
        }
        try {
            Files.move(tmp, block.path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, block.path, StandardCopyOption.REPLACE_EXISTING);
        }
        AtomicFile.syncDirectory(block.path.getParent());
        int n = rawStarts.size();
        int[] rawLength = new int[n];
        int[] storedLength = new int[n];
        for (int i = 0; i < n; i++) {
            rawLength[i] = (int) rawLengths.get(i);
            storedLength[i] = (int) storedLengths.get(i);
        }
        Block.Frames frames = new Block.Frames(rawStarts.toArray(), rawLength, fileOffsets.toArray(), storedLength,
                key != null);
        FileChannel channel = FileChannel.open(block.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Block.Storage previous = block.storage;
        block.storage = new Block.Storage(channel, header, storage.crypto, key, frames, Block.newCacheId());
        previous.channel().close();
        storage.cache.invalidate(previous.cacheId());
        if (originalSize > 0) {
            storage.logger.log(System.Logger.Level.DEBUG, "JetStream stream ''{0}'': compressed {1} from {2} to {3}"
                    + " bytes", storage.name, block, originalSize, channel.size());
        }
    }

    private static long writeAll(FileChannel channel, byte[] bytes, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        return position;
    }
}
