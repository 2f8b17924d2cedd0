package nats.jetstream.store.file.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import nats.jetstream.store.Compression;
import nats.jetstream.store.DurabilityListener;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.support.ConsumerPersistence;
import nats.jetstream.store.support.IndexView;
import nats.jetstream.store.support.MessageStorage;
import nats.jetstream.store.support.RecoverySink;

/**
 * Message bytes in append-only block files ({@code msgs/NNNNNNNNNN.blk}). The writer encodes each record
 * into the active block's tail buffer (no system call); the {@link Flusher} thread writes what accumulated
 * with one call, syncs it, and reports it durable, so concurrent appends share one {@code fsync}.
 *
 * <p>Called by the engine under its write lock (changes) or read lock (reads); the flusher and background
 * maintenance meet the writer under {@link #flushLock}.
 */
public final class FileStorage implements MessageStorage {

    static final long DEFAULT_BLOCK_SIZE = 8L * 1024 * 1024;
    static final long DEFAULT_CACHE = 16L * 1024 * 1024;
    /** Unwritten bytes allowed in memory before the writer waits for the flusher. */
    static final long MAX_UNWRITTEN = 32L * 1024 * 1024;
    private static final int INITIAL_TAIL = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    final Path directory;
    final Path blocksDirectory;
    private final Path consumersDirectory;
    final StoreContext context;
    final System.Logger logger;
    final Crypto crypto;
    final String name;
    private volatile StreamConfig config;
    private final long blockSizeSetting;

    final List<Block> blocks = new ArrayList<>();
    Block active;
    final ReentrantLock flushLock = new ReentrantLock();
    final ReadCache cache;
    HighWaterMark mark;
    StreamMeta meta;
    long epoch;
    long floor;
    long lastSequence;
    private long nextBlockIndex = 1;
    private IndexView index;
    private Block lastFound;

    /** Highest message sequence appended; the flusher reads it before the bytes it covers. */
    volatile long appendedSeq;
    /** Bytes appended and written over the store's life: unequal means the flusher has work. */
    volatile long appendedBytes;
    volatile long writtenBytes;
    volatile StoreException failure;
    volatile DurabilityListener listener;
    final AtomicLong syncs = new AtomicLong();
    final AtomicLong bytesWritten = new AtomicLong();
    /** Damage found outside message records (consumer state files). */
    private final AtomicLong otherDamage = new AtomicLong();
    final Flusher flusher;
    private volatile boolean closed;

    public FileStorage(StreamConfig config, StoreContext context) {
        this.directory = context.requireDirectory();
        this.blocksDirectory = directory.resolve(StoreRecovery.BLOCKS);
        this.consumersDirectory = directory.resolve("obs");
        this.context = context;
        this.logger = context.logger();
        this.crypto = context.encryption().map(Crypto::new).orElse(null);
        this.name = config.name();
        this.config = config;
        this.blockSizeSetting = context.blockSize();
        this.cache = new ReadCache(context.readCacheBytes() > 0 ? context.readCacheBytes() : DEFAULT_CACHE);
        this.flusher = new Flusher(this, context.durability());
        if (config.compression() == Compression.S2) {
            nats.jetstream.store.file.internal.Compression.requireAvailable();
        }
    }

    // --- recovery -----------------------------------------------------------------------------------------

    @Override
    public void configure(StreamConfig newConfig) {
        if (newConfig.compression() == Compression.S2) {
            nats.jetstream.store.file.internal.Compression.requireAvailable();
        }
        this.config = newConfig;
    }

    @Override
    public void recover(RecoverySink sink, IndexView view) {
        this.index = view;
        try {
            Files.createDirectories(blocksDirectory);
            deleteLeftovers();
            StoreRecovery.Result result = new StoreRecovery(directory, crypto, logger, name, false).run(sink);
            blocks.addAll(result.blocks);
            epoch = result.epoch;
            floor = result.floor;
            lastSequence = result.maxSequence;
            nextBlockIndex = result.nextBlockIndex;
            appendedSeq = result.maxSequence;
            meta = result.meta != null ? result.meta
                    : new StreamMeta(now(), epoch, floor, name, java.util.List.of());
            if (result.meta == null) {
                AtomicFile.write(directory.resolve(StoreRecovery.META), meta.encode(), crypto);
            }
            mark = HighWaterMark.open(directory.resolve(StoreRecovery.HWM));
            mark.read();
            mark.reset(lastSequence, epoch);
            flusher.recovered(lastSequence);
            // New writes always go to a new block: a torn tail stays where it is, and no record offset (the
            // encryption nonce) is ever written twice.
            active = newBlock();
            // Torn writes keep their sequence used; a tombstone stops later recoveries taking them for damage.
            for (int i = 0; i < result.torn.size(); i++) {
                marker(RecordFormat.TOMBSTONE, result.torn.get(i), 0);
            }
            for (Block block : List.copyOf(blocks)) {
                maybeDelete(block);
            }
            flusher.start();
        } catch (IOException e) {
            closeChannels();
            throw new StoreException(Kind.IO, "opening stream '" + name + "' in " + directory + " failed: " + e, e);
        } catch (RuntimeException e) {
            closeChannels();
            throw e;
        }
    }

    private void deleteLeftovers() throws IOException {
        for (Path dir : List.of(directory, blocksDirectory)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.tmp")) {
                for (Path tmp : stream) {
                    Files.deleteIfExists(tmp);
                }
            }
        }
    }

    // --- writing ------------------------------------------------------------------------------------------

    @Override
    public String storageType() {
        return "file";
    }

    @Override
    public boolean usesReferences() {
        return false;
    }

    /** Go's file store counts the record it writes: 22 + subject + payload + 8, plus 4 + headers if any. */
    @Override
    public long messageSize(int subjectLength, int headersLength, int payloadLength) {
        return headersLength == 0 ? 30L + subjectLength + payloadLength
                : 34L + subjectLength + headersLength + payloadLength;
    }

    @Override
    public long maxRecordSize() {
        return RecordFormat.MAX_LENGTH - 1024;
    }

    @Override
    public void write(long sequence, long timestamp, String subject, byte[] headers, byte[] payload, long ttl,
            Slot slot) {
        checkWritable();
        if (sequence <= lastSequence) {
            // The engine and the files disagree (an error interrupted an earlier append): never write a
            // sequence twice; refuse until the stream is reopened and recovered.
            throw fail("refusing to write sequence " + sequence + " at or below " + lastSequence,
                    new IllegalStateException("sequence reuse"));
        }
        int subjectLength = MessageCodec.subjectLength(subject);
        int length = MessageCodec.messageLength(subjectLength, headers.length, payload.length, ttl, crypto != null);
        Block block = room(length);
        long offset = block.appendEnd;
        MessageCodec.writeMessage(block.tail, (int) (offset - block.tailBase), sequence, timestamp, subject,
                subjectLength, headers, payload, ttl, crypto, block.key(), offset);
        block.noteSequences(sequence, sequence);
        lastSequence = sequence;
        publish(block, offset + length, length);
        appendedSeq = sequence;
        slot.location = block.index << 32 | offset;
    }

    @Override
    public void appended(long sequence) {
        flusher.wakeForAppend();
    }

    private void marker(byte type, long sequence, long count) {
        checkWritable();
        int length = MessageCodec.markerLength(type);
        Block block = room(length);
        long offset = block.appendEnd;
        MessageCodec.writeMarker(block.tail, (int) (offset - block.tailBase), type, sequence, now(), count);
        if (type == RecordFormat.SKIP) {
            block.noteSequences(sequence, sequence + count - 1);
        } else if (type == RecordFormat.TOMBSTONE) {
            block.tombstones.add(sequence);
        }
        publish(block, offset + length, length);
        // A marker made by a writer that runs its own round (a KV put's tombstone) wakes nobody either.
        flusher.wakeForAppend();
    }

    /** Publishes appended bytes to the flusher: the bytes first, then the end (volatile). */
    private void publish(Block block, long end, int length) {
        block.appendEnd = end;
        appendedBytes += length;
    }

    /** The active block with room for {@code length} more bytes in its tail buffer. */
    private Block room(int length) {
        Block block = active;
        if (block.appendEnd + length > blockSize() && block.appendEnd > BlockHeader.SIZE) {
            roll();
            block = active;
        }
        if (appendedBytes - writtenBytes + length > MAX_UNWRITTEN) {
            flusher.waitForRoom(MAX_UNWRITTEN / 2);
            checkWritable();
        }
        if (block.appendEnd + length - block.tailBase > block.tail.length) {
            makeRoom(block, length);
        }
        return block;
    }

    /** Drops written bytes from the tail buffer, or grows it; never touches an array being flushed. */
    private void makeRoom(Block block, int length) {
        flushLock.lock();
        try {
            long keepFrom = block.writtenEnd;
            int keep = (int) (block.appendEnd - keepFrom);
            int capacity = block.tail.length;
            while (keep + length > capacity - capacity / 4) {
                capacity *= 2;
            }
            byte[] target = block.flushing || capacity != block.tail.length ? new byte[capacity] : block.tail;
            System.arraycopy(block.tail, (int) (keepFrom - block.tailBase), target, 0, keep);
            block.tail = target;
            block.tailBase = keepFrom;
        } finally {
            flushLock.unlock();
        }
    }

    long blockSize() {
        if (blockSizeSetting > 0) {
            return blockSizeSetting;
        }
        long maxBytes = config.maxBytes();
        if (maxBytes > 0) {
            return Math.max(256L * 1024, Math.min(DEFAULT_BLOCK_SIZE, maxBytes / 4));
        }
        return DEFAULT_BLOCK_SIZE;
    }

    /** Seals the active block and starts a new one. */
    private void roll() {
        Block old = active;
        old.sealed = true;
        active = newBlock();
        for (Block block : blocks) {
            if (block != active && block.sealed && block.tail != null && block.fullyWritten() && !block.flushing) {
                block.tail = null; // readers go to the file (and the cache) from now on
            }
        }
        if (config.compression() == Compression.S2) {
            flusher.afterWritten(old, () -> Maintenance.compress(this, old));
        }
        maybeDelete(old);
    }

    private Block newBlock() {
        long blockIndex = nextBlockIndex++;
        Path path = blocksDirectory.resolve(String.format("%010d", blockIndex) + StoreRecovery.BLOCK_SUFFIX);
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            byte[] salt = new byte[16];
            Crypto.Key key = null;
            int flags = 0;
            if (crypto != null) {
                salt = Crypto.newSalt();
                key = crypto.blockKey(salt);
                flags = BlockHeader.ENCRYPTED;
            }
            BlockHeader header = new BlockHeader(flags, crypto == null ? 0 : crypto.code(), blockIndex, epoch,
                    floor, lastSequence, salt, key == null ? 0 : (int) key.check());
            Block block = new Block(blockIndex, path, channel, header, crypto, key, null);
            block.tail = new byte[INITIAL_TAIL];
            header.write(block.tail, 0);
            block.appendEnd = BlockHeader.SIZE;
            appendedBytes += BlockHeader.SIZE;
            blocks.add(block);
            flusher.added(block);
            return block;
        } catch (IOException e) {
            throw fail("creating block " + path + " failed", e);
        }
    }

    private void checkWritable() {
        StoreException failed = failure;
        if (failed != null) {
            throw new StoreException(Kind.IO, failed.getMessage(), failed);
        }
        if (closed) {
            throw new StoreException(Kind.CLOSED);
        }
    }

    StoreException fail(String what, Exception cause) {
        StoreException failed = new StoreException(Kind.IO, "stream '" + name + "': " + what + ": " + cause, cause);
        if (failure == null) {
            failure = failed;
            logger.log(System.Logger.Level.ERROR, "JetStream stream ''{0}'': {1} ({2}); the stream refuses"
                    + " writes from now on", name, what, cause.toString());
        }
        return failed;
    }

    // --- removing -----------------------------------------------------------------------------------------

    @Override
    public void removed(long sequence, long location, Object reference, boolean erase, long newFirst) {
        if (newFirst > 0) {
            floor = Math.max(floor, newFirst);
            marker(RecordFormat.FLOOR, newFirst, 0);
        } else {
            marker(RecordFormat.TOMBSTONE, sequence, 0);
        }
        Block block = findBlock(location >>> 32);
        if (block == null) {
            return;
        }
        if (erase) {
            Maintenance.erase(this, block, location & 0xFFFFFFFFL, sequence);
        }
        maybeDelete(block);
    }

    @Override
    public void removedBelow(long firstSequence) {
        if (firstSequence > floor) {
            floor = firstSequence;
        }
        lastSequence = Math.max(lastSequence, firstSequence - 1);
        marker(RecordFormat.FLOOR, firstSequence, 0);
        if (active.firstSeq > 0 && active.lastSeq < firstSequence) {
            roll(); // the old active block holds nothing live now and can go
        }
        meta = meta.withFloor(firstSequence);
        writeMeta();
        for (Block block : List.copyOf(blocks)) {
            maybeDelete(block);
        }
    }

    @Override
    public void truncated(long last, long lastTimestamp) {
        flusher.syncNow();
        checkWritable();
        epoch++;
        meta = meta.withTruncate(epoch, last);
        writeMeta();
        lastSequence = last;
        floor = Math.min(floor, last + 1);
        appendedSeq = last;
        try {
            mark.reset(last, epoch);
        } catch (IOException e) {
            throw fail("writing the high-water mark failed", e);
        }
        flusher.truncated(last);
        for (Block block : blocks) {
            // What these blocks hold above the truncation point is void now.
            if (block.firstSeq > last) {
                block.firstSeq = 0;
                block.lastSeq = 0;
            } else if (block.lastSeq > last) {
                block.lastSeq = last;
            }
        }
        active.sealed = true;
        Block old = active;
        active = newBlock();
        maybeDelete(old);
        for (Block block : List.copyOf(blocks)) {
            maybeDelete(block);
        }
    }

    @Override
    public void skipped(long first, long count, long timestamp) {
        marker(RecordFormat.SKIP, first, count);
        lastSequence = first + count - 1;
        appendedSeq = lastSequence;
    }

    /** Deletes {@code block}'s file if nothing in it is needed any more. Engine write lock held. */
    void maybeDelete(Block block) {
        if (block == active || block.deleted) {
            return;
        }
        if (block.firstSeq > 0 && index.countBetween(block.firstSeq, block.lastSeq) > 0) {
            return;
        }
        if (tombstonesNeeded(block)) {
            return;
        }
        blocks.remove(block);
        block.deleted = true;
        if (lastFound == block) {
            lastFound = null;
        }
        cache.invalidate(block.storage.cacheId());
        flusher.delete(block);
        // Newer blocks kept only for tombstones pointing here may go now.
        for (Block other : List.copyOf(blocks)) {
            if (other != active && other.firstSeq == 0 && !other.deleted && other.tombstones.size() > 0
                    && !tombstonesNeeded(other)) {
                maybeDelete(other);
            }
        }
    }

    /** Whether {@code block} holds a tombstone for a message still in another block's file. */
    private boolean tombstonesNeeded(Block block) {
        LongList tombstones = block.tombstones;
        for (int i = 0; i < tombstones.size(); i++) {
            long target = tombstones.get(i);
            if (target < floor) {
                continue;
            }
            for (Block other : blocks) {
                if (other != block && other.firstSeq > 0 && other.firstSeq <= target && target <= other.lastSeq) {
                    return true;
                }
            }
        }
        return false;
    }

    // --- reading ------------------------------------------------------------------------------------------

    @Override
    public StoredMessage read(long sequence, long timestamp, long location, Object reference, String subject) {
        Block block = findBlock(location >>> 32);
        long offset = location & 0xFFFFFFFFL;
        if (block == null) {
            damaged(null, offset, sequence, "its block is missing");
            return null;
        }
        Block.Region region;
        try {
            region = block.read(offset, cache);
        } catch (IOException e) {
            throw new StoreException(Kind.IO, "reading message " + sequence + " of stream '" + name + "' from "
                    + block + " failed: " + e, e);
        }
        if (region == null) {
            damaged(block, offset, sequence, "the file ends before it");
            return null;
        }
        byte[] bytes = region.bytes();
        int at = region.offset();
        if (region.length() < RecordFormat.MIN_LENGTH || !RecordFormat.headerValid(bytes, at)
                || RecordFormat.length(bytes, at) != region.length()
                || !RecordFormat.trailerValid(bytes, at, region.length())) {
            damaged(block, offset, sequence, "checksum mismatch");
            return null;
        }
        if (RecordFormat.type(bytes, at) != RecordFormat.MESSAGE || RecordFormat.sequence(bytes, at) != sequence) {
            damaged(block, offset, sequence, "another record is stored there");
            return null;
        }
        MessageCodec.Body body = MessageCodec.decode(bytes, at, crypto, region.key(), offset);
        if (body == null) {
            damaged(block, offset, sequence, "it fails authentication");
            return null;
        }
        return new StoredMessage(subject, body.headers(), body.payload(), sequence, RecordFormat.timestamp(bytes, at));
    }

    private void damaged(Block block, long offset, long sequence, String reason) {
        logger.log(System.Logger.Level.ERROR, "JetStream stream ''{0}'': message {1} in {2} at offset {3} is"
                + " damaged ({4}); it is reported as lost", name, sequence,
                block == null ? "a missing block" : StoreRecovery.BLOCKS + "/" + block, offset, reason);
    }

    @Override
    public long ttl(long sequence, long location, Object reference) {
        Block block = findBlock(location >>> 32);
        if (block == null) {
            return 0;
        }
        try {
            Block.Region region = block.read(location & 0xFFFFFFFFL, cache);
            if (region == null || !RecordFormat.headerValid(region.bytes(), region.offset())) {
                return 0;
            }
            MessageCodec.Body body = MessageCodec.decode(region.bytes(), region.offset(), crypto, region.key(),
                    location & 0xFFFFFFFFL);
            return body == null ? 0 : body.ttl();
        } catch (IOException e) {
            return 0;
        }
    }

    Block findBlock(long blockIndex) {
        Block last = lastFound;
        if (last != null && last.index == blockIndex) {
            return last;
        }
        int low = 0;
        int high = blocks.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            Block block = blocks.get(mid);
            if (block.index < blockIndex) {
                low = mid + 1;
            } else if (block.index > blockIndex) {
                high = mid - 1;
            } else {
                lastFound = block;
                return block;
            }
        }
        return null;
    }

    // --- durability ---------------------------------------------------------------------------------------

    @Override
    public void setDurabilityListener(DurabilityListener value) {
        listener = value;
    }

    @Override
    public long durableSequence() {
        return flusher.durable();
    }

    @Override
    public void sync() {
        flusher.syncNow();
        checkWritable();
    }

    @Override
    public void deferFlushToCaller() {
        flusher.deferToCaller();
    }

    @Override
    public void flushSoon() {
        flusher.wakeDeferred();
    }

    @Override
    public boolean flushOnCaller() {
        return failure == null && flusher.flushOnCaller();
    }

    // --- metadata and consumers ---------------------------------------------------------------------------

    private void writeMeta() {
        try {
            AtomicFile.write(directory.resolve(StoreRecovery.META), meta.encode(), crypto);
        } catch (IOException e) {
            throw fail("writing stream metadata failed", e);
        }
    }

    @Override
    public void writeMetadata(byte[] metadata) {
        try {
            AtomicFile.write(directory.resolve(StreamFiles.USER_META), metadata, crypto);
        } catch (IOException e) {
            throw new StoreException(Kind.IO, "writing metadata of stream '" + name + "' failed: " + e, e);
        }
    }

    @Override
    public Optional<byte[]> metadata() {
        return StreamFiles.readUserMetadata(directory, crypto, logger, name);
    }

    @Override
    public ConsumerPersistence consumer(String consumer) {
        return new FileConsumer(consumersDirectory.resolve(StreamFiles.encodeName(consumer)), consumer, crypto,
                flusher.always(), logger, otherDamage::incrementAndGet);
    }

    @Override
    public List<String> consumerNames() {
        return StreamFiles.consumerNames(consumersDirectory);
    }

    @Override
    public void addStats(long[] stats) {
        stats[0] += syncs.get();
        stats[1] += bytesWritten.get();
        stats[2] += cache.hits();
        stats[3] += cache.misses();
        stats[4] += otherDamage.get();
    }

    // --- lifecycle ----------------------------------------------------------------------------------------

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flusher.stop();
        } finally {
            closed = true;
            awaitMaintenance();
            closeChannels();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Waits for rewrites in progress (they see {@link #closed} and stop before replacing a file). */
    private void awaitMaintenance() {
        for (Block block : blocks) {
            block.maintenance.lock();
            block.maintenance.unlock();
        }
    }

    @Override
    public void delete() {
        if (!closed) {
            try {
                flusher.stop();
            } catch (RuntimeException e) {
                // deleting anyway
            }
            closed = true;
            awaitMaintenance();
            closeChannels();
        }
        StreamFiles.deleteTree(directory);
    }

    private void closeChannels() {
        for (Block block : blocks) {
            try {
                block.storage.channel().close();
            } catch (IOException e) {
                // closing
            }
        }
        if (mark != null) {
            try {
                mark.close();
            } catch (IOException e) {
                // closing
            }
        }
    }


    long now() {
        java.time.Instant instant = context.clock().instant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
