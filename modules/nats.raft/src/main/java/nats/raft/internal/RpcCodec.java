package nats.raft.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nats.raft.internal.Rpc.Append;
import nats.raft.internal.Rpc.AppendResponse;
import nats.raft.internal.Rpc.InstallSnapshot;
import nats.raft.internal.Rpc.SnapshotResponse;
import nats.raft.internal.Rpc.TimeoutNow;
import nats.raft.internal.Rpc.VoteRequest;
import nats.raft.internal.Rpc.VoteResponse;

/**
 * Binary frames of {@link Rpc}: u8 kind, u64 term, u8 sender length, sender (UTF-8), then the kind's fields,
 * all little-endian (see docs/raft.md). Malformed frames are refused with {@link IllegalArgumentException}.
 */
final class RpcCodec {

    static final int VOTE_REQUEST = 1;
    static final int VOTE_RESPONSE = 2;
    static final int APPEND = 3;
    static final int APPEND_RESPONSE = 4;
    static final int INSTALL_SNAPSHOT = 5;
    static final int SNAPSHOT_RESPONSE = 6;
    static final int TIMEOUT_NOW = 7;

    private RpcCodec() {
    }

    static int kind(Rpc rpc) {
        return switch (rpc) {
            case VoteRequest r -> VOTE_REQUEST;
            case VoteResponse r -> VOTE_RESPONSE;
            case Append r -> APPEND;
            case AppendResponse r -> APPEND_RESPONSE;
            case InstallSnapshot r -> INSTALL_SNAPSHOT;
            case SnapshotResponse r -> SNAPSHOT_RESPONSE;
            case TimeoutNow r -> TIMEOUT_NOW;
        };
    }

    static byte[] encode(Rpc rpc) {
        byte[] from = rpc.from().getBytes(StandardCharsets.UTF_8);
        Writer w = new Writer(64 + from.length + bodySize(rpc));
        w.u8(kind(rpc)).u64(rpc.term()).u8(from.length).bytes(from);
        switch (rpc) {
            case VoteRequest r -> w.u64(r.lastIndex()).u64(r.lastTerm()).u8((r.preVote() ? 1 : 0) | (r.transfer() ? 2 : 0));
            case VoteResponse r -> w.u8((r.granted() ? 1 : 0) | (r.preVote() ? 2 : 0));
            case Append r -> {
                w.u64(r.prevIndex()).u64(r.prevTerm()).u64(r.commit()).u64(r.leaderLast()).u64(r.seq())
                        .u32(r.entries().size());
                for (LogEntry e : r.entries()) {
                    w.u64(e.term()).u8(e.type().code).u32(e.data().length).bytes(e.data());
                }
            }
            case AppendResponse r -> w.u8(r.success() ? 1 : 0).u64(r.index()).u64(r.seq());
            case InstallSnapshot r -> w.u64(r.lastIndex()).u64(r.lastTerm()).u64(r.offset()).u64(r.total())
                    .u32(r.chunk().length).bytes(r.chunk());
            case SnapshotResponse r -> w.u64(r.lastIndex()).u64(r.received()).u8(r.done() ? 1 : 0);
            case TimeoutNow r -> { }
        }
        return w.done();
    }

    private static int bodySize(Rpc rpc) {
        return switch (rpc) {
            case Append r -> {
                int size = 0;
                for (LogEntry e : r.entries()) {
                    size += 13 + e.data().length;
                }
                yield size;
            }
            case InstallSnapshot r -> r.chunk().length;
            default -> 0;
        };
    }

    static Rpc decode(byte[] frame) {
        return decode(frame, 0, frame.length);
    }

    /** Decodes the frame in {@code buffer[offset, offset + length)}; the RPC copies what it keeps. */
    static Rpc decode(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("RPC frame outside its buffer");
        }
        try {
            Reader r = new Reader(buffer, offset, offset + length);
            int kind = r.u8();
            long term = r.u64();
            String from = new String(r.bytes(r.u8()), StandardCharsets.UTF_8);
            Rpc rpc = switch (kind) {
                case VOTE_REQUEST -> {
                    long lastIndex = r.u64();
                    long lastTerm = r.u64();
                    int flags = r.u8();
                    yield new VoteRequest(term, from, lastIndex, lastTerm, (flags & 1) != 0, (flags & 2) != 0);
                }
                case VOTE_RESPONSE -> {
                    int flags = r.u8();
                    yield new VoteResponse(term, from, (flags & 1) != 0, (flags & 2) != 0);
                }
                case APPEND -> decodeAppend(r, term, from);
                case APPEND_RESPONSE -> new AppendResponse(term, from, r.u8() == 1, r.u64(), r.u64());
                case INSTALL_SNAPSHOT -> new InstallSnapshot(term, from, r.u64(), r.u64(), r.u64(), r.u64(),
                        r.bytes(r.u32()));
                case SNAPSHOT_RESPONSE -> new SnapshotResponse(term, from, r.u64(), r.u64(), r.u8() == 1);
                case TIMEOUT_NOW -> new TimeoutNow(term, from);
                default -> throw new IllegalArgumentException("unknown RPC kind " + kind);
            };
            if (r.remaining() != 0) {
                throw new IllegalArgumentException("RPC frame has " + r.remaining() + " trailing bytes");
            }
            return rpc;
        } catch (IndexOutOfBoundsException | NegativeArraySizeException cut) {
            throw new IllegalArgumentException("RPC frame cut short (" + length + " bytes)", cut);
        }
    }

    private static Append decodeAppend(Reader r, long term, String from) {
        long prevIndex = r.u64();
        long prevTerm = r.u64();
        long commit = r.u64();
        long leaderLast = r.u64();
        long seq = r.u64();
        int count = r.u32();
        if (count < 0 || count > r.remaining() / 13) {
            throw new IllegalArgumentException("RPC frame claims " + count + " entries");
        }
        List<LogEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long entryTerm = r.u64();
            EntryType type = EntryType.of(r.u8());
            entries.add(new LogEntry(prevIndex + 1 + i, entryTerm, type, r.bytes(r.u32())));
        }
        return new Append(term, from, prevIndex, prevTerm, commit, leaderLast, seq, entries);
    }

    private static final class Writer {
        private final byte[] b;
        private int at;

        Writer(int size) {
            b = new byte[size];
        }

        Writer u8(int v) {
            b[at++] = (byte) v;
            return this;
        }

        Writer u32(int v) {
            Bytes.putInt(b, at, v);
            at += 4;
            return this;
        }

        Writer u64(long v) {
            Bytes.putLong(b, at, v);
            at += 8;
            return this;
        }

        Writer bytes(byte[] v) {
            System.arraycopy(v, 0, b, at, v.length);
            at += v.length;
            return this;
        }

        byte[] done() {
            return at == b.length ? b : java.util.Arrays.copyOf(b, at);
        }
    }

    private static final class Reader {
        private final byte[] b;
        private final int end;
        private int at;

        Reader(byte[] b, int from, int end) {
            this.b = b;
            this.at = from;
            this.end = end;
        }

        int remaining() {
            return end - at;
        }

        int u8() {
            if (at >= end) {
                throw new IndexOutOfBoundsException();
            }
            return Byte.toUnsignedInt(b[at++]);
        }

        int u32() {
            if (remaining() < 4) {
                throw new IndexOutOfBoundsException();
            }
            int v = Bytes.getInt(b, at);
            at += 4;
            return v;
        }

        long u64() {
            if (remaining() < 8) {
                throw new IndexOutOfBoundsException();
            }
            long v = Bytes.getLong(b, at);
            at += 8;
            return v;
        }

        byte[] bytes(int len) {
            if (len < 0 || len > remaining()) {
                throw new IndexOutOfBoundsException();
            }
            byte[] v = java.util.Arrays.copyOfRange(b, at, at + len);
            at += len;
            return v;
        }
    }
}
