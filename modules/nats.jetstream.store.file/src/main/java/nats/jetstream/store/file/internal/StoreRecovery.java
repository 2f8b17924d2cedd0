package nats.jetstream.store.file.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;
import nats.jetstream.store.VerifyReport.Damage;
import nats.jetstream.store.VerifyReport.FileKind;
import nats.jetstream.store.support.RecoverySink;

/**
 * Rebuilds a stream from its files: reads the metadata and high-water mark, walks every block checking
 * every record, and tells a {@link RecoverySink} what it finds. It changes no file, so the offline verifier
 * runs the same code. What it finds damaged or missing is collected as {@link Damage} with the sequences it
 * cost, and logged once.
 */
final class StoreRecovery {

    static final String META = "meta.dat";
    static final String HWM = "hwm";
    static final String BLOCKS = "msgs";
    static final String BLOCK_SUFFIX = ".blk";

    /** Everything recovery learnt. */
    static final class Result {
        StreamMeta meta;
        final List<Block> blocks = new ArrayList<>();
        final List<Damage> damage = new ArrayList<>();
        long epoch;
        long floor;
        long maxSequence;
        long maxTimestamp;
        long messages;
        long bytes;
        long files;
        long firstSequence;
        long nextBlockIndex = 1;
        /** Sequences of torn, never acknowledged writes: used up, and to be tombstoned. */
        final LongList torn = new LongList();
    }

    /** A range of sequences found missing, with where and why. */
    private record Lost(long first, long last, String file, long offset, String reason) {
    }

    private final Path directory;
    private final Crypto crypto;
    private final System.Logger logger;
    private final String stream;
    private final boolean readOnly;
    private final BlockScanner scanner = new BlockScanner();

    StoreRecovery(Path directory, Crypto crypto, System.Logger logger, String stream, boolean readOnly) {
        this.directory = directory;
        this.crypto = crypto;
        this.logger = logger;
        this.stream = stream;
        this.readOnly = readOnly;
    }

    /** Recovers into {@code sink}. */
    Result run(RecoverySink sink) throws IOException {
        Result result = new Result();
        result.meta = readMeta(result);
        HighWaterMark.Value mark = readMark(result);
        List<Path> files = blockFiles();
        result.files = files.size() + 2;
        List<BlockHeader> headers = new ArrayList<>();
        long epoch = result.meta == null ? 0 : result.meta.epoch();
        for (Path file : files) {
            BlockHeader header = readHeader(file);
            headers.add(header);
            if (header != null && header != UNWRITTEN) {
                epoch = Math.max(epoch, header.epoch());
            }
        }
        result.epoch = epoch;
        Truncations truncations = new Truncations(result.meta, headers);
        long floor = result.meta == null ? 0 : result.meta.floor();
        for (BlockHeader header : headers) {
            if (header != null && header != UNWRITTEN) {
                long cap = truncations.threshold(header.epoch());
                floor = Math.max(floor, Math.min(header.floor(), afterThreshold(cap)));
                result.maxSequence = Math.max(result.maxSequence, Math.min(header.lastSequence(), cap));
            }
        }
        Walk walk = new Walk(result, sink, epoch, truncations, mark);
        for (int i = 0; i < files.size(); i++) {
            walk.block(files.get(i), headers.get(i), i == files.size() - 1);
        }
        walk.finish(floor);
        return result;
    }

    // --- metadata ---------------------------------------------------------------------------------------

    private StreamMeta readMeta(Result result) throws IOException {
        AtomicFile.Content content = AtomicFile.read(directory.resolve(META), crypto, "stream metadata");
        if (content instanceof AtomicFile.Damaged damaged) {
            damage(result, new Damage(META, FileKind.METADATA, -1, 0, 0, 0,
                    "stream metadata damaged (" + damaged.reason() + "); using what the blocks record"));
            return null;
        }
        if (content instanceof AtomicFile.Intact intact) {
            StreamMeta meta = StreamMeta.decode(intact.payload());
            if (meta == null) {
                damage(result, new Damage(META, FileKind.METADATA, -1, 0, 0, 0, "stream metadata unreadable"));
            }
            return meta;
        }
        return null;
    }

    private HighWaterMark.Value readMark(Result result) throws IOException {
        Path file = directory.resolve(HWM);
        if (!Files.exists(file)) {
            return new HighWaterMark.Value(0, 0, 0, false);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            HighWaterMark.Value value = readSlots(channel, size);
            if (value.damaged()) {
                damage(result, new Damage(HWM, FileKind.METADATA, -1, 0, 0, 0,
                        "high-water mark slot damaged; the other slot and the blocks still bound the sequence"));
            }
            return value;
        }
    }

    private static HighWaterMark.Value readSlots(FileChannel channel, long size) throws IOException {
        byte[] bytes = Block.readFully(channel, 0, (int) Math.min(size, 64));
        if (bytes == null) {
            bytes = new byte[0];
        }
        return HighWaterMark.parse(bytes);
    }

    private List<Path> blockFiles() throws IOException {
        Path blocks = directory.resolve(BLOCKS);
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(blocks)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(blocks, "*" + BLOCK_SUFFIX)) {
            for (Path file : stream) {
                if (blockIndex(file) > 0) {
                    files.add(file);
                }
            }
        }
        files.sort((a, b) -> Long.compare(blockIndex(a), blockIndex(b)));
        return files;
    }

    static long blockIndex(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(BLOCK_SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, name.length() - BLOCK_SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Block header of a file never written to (shorter than a header): nothing was ever acknowledged in it. */
    private static final BlockHeader UNWRITTEN = new BlockHeader(0, 0, 0, 0, 0, 0, new byte[16], 0);

    private static BlockHeader readHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] bytes = Block.readFully(channel, 0, BlockHeader.SIZE);
            return bytes == null ? UNWRITTEN : BlockHeader.read(bytes, 0);
        }
    }

    /**
     * What every truncate left: records of a block written before a truncate, above the sequence it left,
     * are void. From the metadata, or, if that is damaged, from the first block of each later epoch (whose
     * header records the last sequence when it was created, right after the truncate).
     */
    private static final class Truncations {
        private final List<long[]> points = new ArrayList<>();

        Truncations(StreamMeta meta, List<BlockHeader> headers) {
            if (meta != null) {
                points.addAll(meta.truncates());
            }
            for (BlockHeader header : headers) {
                if (header != null && header != UNWRITTEN && header.epoch() > 0
                        && points.stream().noneMatch(p -> p[0] == header.epoch())) {
                    points.add(new long[] {header.epoch(), header.lastSequence()});
                }
            }
        }

        /** The highest sequence a record written in {@code epoch} may still have. */
        long threshold(long epoch) {
            long threshold = Long.MAX_VALUE;
            for (long[] point : points) {
                if (point[0] > epoch) {
                    threshold = Math.min(threshold, point[1]);
                }
            }
            return threshold;
        }
    }

    /** The floor a truncation point allows (everything above it is void, so no floor beyond it + 1). */
    private static long afterThreshold(long threshold) {
        return threshold == Long.MAX_VALUE ? Long.MAX_VALUE : threshold + 1;
    }

    private String relative(Path file) {
        return directory.relativize(file).toString();
    }

    private void damage(Result result, Damage damage) {
        result.damage.add(damage);
        if (!readOnly) {
            logger.log(System.Logger.Level.ERROR, "JetStream stream ''{0}'': {1}", stream, damage);
        }
    }

    /** The walk over all blocks, in order, feeding the sink. */
    private final class Walk implements BlockScanner.Visitor {
        private final Result result;
        private final RecoverySink sink;
        private final long epoch;
        private final Truncations truncations;
        private long threshold = Long.MAX_VALUE;
        private final HighWaterMark.Value mark;
        private final LongList tombstones = new LongList();
        private final List<Lost> lost = new ArrayList<>();
        private long floor;
        private long lastFed;
        private long pendingFrom;
        private String pendingFile;
        private long pendingOffset;
        private String pendingReason;
        private Block block;
        private String file;
        private boolean lastBlock;

        Walk(Result result, RecoverySink sink, long epoch, Truncations truncations, HighWaterMark.Value mark) {
            this.result = result;
            this.sink = sink;
            this.epoch = epoch;
            this.truncations = truncations;
            this.mark = mark;
        }

        void block(Path path, BlockHeader header, boolean last) throws IOException {
            this.file = relative(path);
            this.lastBlock = last;
            long index = blockIndex(path);
            result.nextBlockIndex = Math.max(result.nextBlockIndex, index + 1);
            Crypto.Key key = null;
            if (header == UNWRITTEN) {
                // Created but never written (a crash right after a block roll): nothing was acknowledged
                // in it; any sequences it should have held are accounted by the gap they leave.
                header = null;
                result.blocks.add(new Block(index, path, FileChannel.open(path, StandardOpenOption.READ),
                        UNWRITTEN, crypto, null, null));
                if (readOnly) {
                    result.blocks.get(result.blocks.size() - 1).storage.channel().close();
                }
                result.blocks.get(result.blocks.size() - 1).sealed = true;
                return;
            } else if (header == null) {
                damage(result, new Damage(file, FileKind.BLOCK, 0, 0, 0, 0,
                        "block header damaged; records are read on their own checksums"));
            } else if (header.encrypted()) {
                if (crypto == null) {
                    throw new StoreException(Kind.WRONG_KEY, "stream '" + stream + "' is encrypted ("
                            + file + ") but no encryption key is configured");
                }
                key = crypto.blockKey(header.salt());
                if ((int) key.check() != header.keyCheck()) {
                    throw Crypto.wrongKey("stream '" + stream + "' (" + file + ")");
                }
            }
            FileChannel channel = FileChannel.open(path, readOnly
                    ? new StandardOpenOption[] {StandardOpenOption.READ}
                    : new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE});
            BlockHeader effective = header != null ? header
                    : new BlockHeader(0, 0, index, 0, 0, 0, new byte[16], 0);
            block = new Block(index, path, channel, effective, crypto, key, null);
            block.sealed = true;
            threshold = header == null ? Long.MAX_VALUE : truncations.threshold(header.epoch());
            boolean ok = false;
            try {
                BlockScanner.Result scan = scanner.scan(channel, header, crypto, key, this);
                if (scan.frames() != null) {
                    block.storage = new Block.Storage(channel, effective, crypto, key, scan.frames(),
                            Block.newCacheId());
                }
                long end = scan.logicalEnd();
                if (scan.zeroTail() && !readOnly) {
                    channel.truncate(end); // zeros written ahead of records that never came
                }
                block.appendEnd = end;
                block.writtenEnd = end;
                ok = true;
            } finally {
                if (readOnly || !ok) {
                    channel.close();
                }
            }
            result.blocks.add(block);
        }

        // --- visitor ------------------------------------------------------------------------------------

        @Override
        public void record(byte[] bytes, int offset, int length, long logicalOffset) {
            byte type = RecordFormat.type(bytes, offset);
            long sequence = RecordFormat.sequence(bytes, offset);
            long timestamp = RecordFormat.timestamp(bytes, offset);
            switch (type) {
                case RecordFormat.MESSAGE -> message(bytes, offset, length, logicalOffset, sequence, timestamp);
                case RecordFormat.SKIP -> {
                    long count = MessageCodec.skipCount(bytes, offset);
                    if (!isVoid(sequence) && count > 0) {
                        sequenceSeen(sequence, Math.min(sequence + count - 1, threshold), timestamp);
                    }
                }
                case RecordFormat.TOMBSTONE -> {
                    if (!isVoid(sequence)) {
                        tombstones.add(sequence);
                        block.tombstones.add(sequence);
                    }
                }
                case RecordFormat.ERASED -> {
                    if (!isVoid(sequence)) {
                        sequenceSeen(sequence, sequence, timestamp);
                        tombstones.add(sequence);
                    }
                }
                case RecordFormat.FLOOR -> floor = Math.max(floor, Math.min(sequence, afterThreshold(threshold)));
                default -> {
                }
            }
        }

        private void message(byte[] bytes, int offset, int length, long logicalOffset, long sequence,
                long timestamp) {
            if (isVoid(sequence)) {
                return;
            }
            if (sequence <= lastFed) {
                damage(result, new Damage(file, FileKind.BLOCK, logicalOffset, sequence, sequence, 0,
                        "message " + sequence + " out of order after " + lastFed + "; ignored"));
                return;
            }
            MessageCodec.Body body = MessageCodec.decode(bytes, offset, crypto, block.key(), logicalOffset);
            if (body == null) {
                lostRange(sequence, sequence, logicalOffset, "message failed authentication or is malformed");
                sequenceSeen(sequence, sequence, timestamp);
                return;
            }
            sequenceSeen(sequence, sequence, timestamp);
            sink.message(sequence, timestamp, body.subject(), body.headersLength(), body.payloadLength(),
                    body.ttl(), block.index << 32 | logicalOffset, null);
            result.messages++;
            result.bytes += length;
            if (result.firstSequence == 0) {
                result.firstSequence = sequence;
            }
        }

        /** A MESSAGE or SKIP record's sequences were found: resolve any pending gap before them. */
        private void sequenceSeen(long first, long last, long timestamp) {
            if (pendingFrom > 0 && first > pendingFrom) {
                lost.add(new Lost(pendingFrom, first - 1, pendingFile, pendingOffset, pendingReason));
            }
            pendingFrom = 0;
            block.noteSequences(first, last);
            lastFed = Math.max(lastFed, last);
            if (last > result.maxSequence) {
                result.maxSequence = last;
                result.maxTimestamp = timestamp;
            }
        }

        private boolean isVoid(long sequence) {
            return sequence > threshold;
        }

        @Override
        public void damagedRecord(byte[] bytes, int offset, long logicalOffset, boolean cut) {
            byte type = RecordFormat.type(bytes, offset);
            long sequence = RecordFormat.sequence(bytes, offset);
            switch (type) {
                case RecordFormat.MESSAGE -> {
                    if (isVoid(sequence)) {
                        return;
                    }
                    if (sequence > mark.sequence() && mark.epoch() == epoch) {
                        // Above the high-water mark: written by a flush that never completed (a kill or power
                        // loss mid-write), so never reported durable to anyone.
                        logger.log(System.Logger.Level.INFO, "JetStream stream ''{0}'': {1} holds a torn write of"
                                + " message {2}, never acknowledged; ignored", stream, file, sequence);
                        result.torn.add(sequence);
                        tombstones.add(sequence);
                        sequenceSeen(sequence, sequence, RecordFormat.timestamp(bytes, offset));
                        return;
                    }
                    lostRange(sequence, sequence, logicalOffset, cut ? "message cut short" : "message checksum mismatch");
                    sequenceSeen(sequence, sequence, RecordFormat.timestamp(bytes, offset));
                    if (cut) {
                        pending(logicalOffset, "block cut short after message " + sequence);
                    }
                }
                case RecordFormat.TOMBSTONE, RecordFormat.ERASED -> {
                    if (!isVoid(sequence)) {
                        tombstones.add(sequence);
                        block.tombstones.add(sequence);
                    }
                }
                case RecordFormat.FLOOR -> floor = Math.max(floor, Math.min(sequence, afterThreshold(threshold)));
                default -> {
                    // A damaged SKIP costs no message; its sequences are accounted by later records or the mark.
                }
            }
        }

        @Override
        public void garbage(long fileOffset, long length, boolean atEnd) {
            if (atEnd && lastBlock) {
                pending(fileOffset, "unreadable bytes at the end (" + length + " bytes)");
                return;
            }
            pending(fileOffset, "unreadable bytes (" + length + " bytes)");
        }

        private void pending(long offset, String reason) {
            if (pendingFrom == 0) {
                pendingFrom = lastFed + 1;
                pendingFile = file;
                pendingOffset = offset;
                pendingReason = reason;
            }
        }

        private void lostRange(long first, long last, long offset, String reason) {
            lost.add(new Lost(first, last, file, offset, reason));
        }

        // --- the end ------------------------------------------------------------------------------------

        void finish(long headerFloor) {
            floor = Math.max(floor, headerFloor);
            long markSequence = mark.epoch() == epoch ? mark.sequence() : 0;
            long last = Math.max(result.maxSequence, Math.max(floor - 1, 0));
            if (pendingFrom > 0) {
                if (markSequence >= pendingFrom) {
                    lost.add(new Lost(pendingFrom, markSequence, pendingFile, pendingOffset, pendingReason));
                } else {
                    logger.log(System.Logger.Level.INFO, "JetStream stream ''{0}'': {1} ends with a torn write,"
                            + " never acknowledged; ignored", stream, pendingFile);
                }
            } else if (markSequence > last) {
                Path lastFile = result.blocks.isEmpty() ? directory.resolve(BLOCKS)
                        : result.blocks.get(result.blocks.size() - 1).path;
                lost.add(new Lost(last + 1, markSequence, relative(lastFile), -1,
                        "messages missing at the end of the stream (last block truncated or removed)"));
            }
            last = Math.max(last, markSequence);
            result.maxSequence = last;
            result.floor = floor;
            long[] deleted = tombstones.toArray();
            Arrays.sort(deleted);
            for (long sequence : deleted) {
                sink.deleted(sequence);
            }
            if (floor > 0) {
                sink.floor(floor);
            }
            sink.last(last, result.maxTimestamp);
            for (Lost range : lost) {
                reportLost(range, deleted);
            }
        }

        /** Reports a lost range, leaving out sequences that were deleted anyway. */
        private void reportLost(Lost range, long[] deleted) {
            long first = Math.max(range.first(), floor);
            long count = 0;
            long runStart = -1;
            for (long sequence = first; sequence <= range.last(); sequence++) {
                boolean gone = Arrays.binarySearch(deleted, sequence) >= 0;
                if (!gone) {
                    count++;
                    if (runStart < 0) {
                        runStart = sequence;
                    }
                }
                if ((gone || sequence == range.last()) && runStart >= 0) {
                    long runEnd = gone ? sequence - 1 : sequence;
                    sink.lost(runStart, runEnd, 0);
                    runStart = -1;
                }
            }
            if (count > 0) {
                damage(result, new Damage(range.file(), FileKind.BLOCK, range.offset(), first, range.last(), count,
                        range.reason()));
            }
        }
    }
}
