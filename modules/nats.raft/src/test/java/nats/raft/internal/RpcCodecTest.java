package nats.raft.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The binary RPC frames: every kind round-trips; cut, padded and random frames are refused, never crash. */
class RpcCodecTest {

    private static final List<Rpc> SAMPLES = List.of(
            new Rpc.VoteRequest(7, "n1", 100, 6, true, false),
            new Rpc.VoteRequest(8, "n1", 100, 6, false, true),
            new Rpc.VoteResponse(8, "n2", true, false),
            new Rpc.Append(8, "n1", 99, 6, 97, 101, 12, List.of(
                    new LogEntry(100, 6, EntryType.NORMAL, new byte[] {1, 2}),
                    new LogEntry(101, 8, EntryType.NOOP, new byte[0]))),
            new Rpc.Append(8, "leader-with-a-long-name", 0, 0, 0, 0, 0, List.of()),
            new Rpc.AppendResponse(8, "n3", false, 42, 12),
            new Rpc.InstallSnapshot(9, "n1", 500, 7, 1024, 4096, new byte[] {9, 8, 7}),
            new Rpc.SnapshotResponse(9, "n2", 500, 1027, false),
            new Rpc.TimeoutNow(9, "n1"));

    @Test
    void everyKindRoundTrips() {
        for (Rpc rpc : SAMPLES) {
            Rpc back = RpcCodec.decode(RpcCodec.encode(rpc));
            if (rpc instanceof Rpc.InstallSnapshot s) {
                Rpc.InstallSnapshot b = (Rpc.InstallSnapshot) back;
                assertEquals(s.offset(), b.offset(), "expected the offset");
                assertArrayEquals(s.chunk(), b.chunk(), "expected the chunk");
            } else {
                assertEquals(rpc, back, "expected " + rpc + " to survive encoding");
            }
        }
    }

    @Test
    void appendFrameLayout() {
        byte[] frame = RpcCodec.encode(new Rpc.Append(2, "a", 5, 1, 4, 6, 3,
                List.of(new LogEntry(6, 2, EntryType.NORMAL, new byte[] {(byte) 0xAB}))));
        assertEquals(RpcCodec.APPEND, frame[0], "byte 0: kind");
        assertEquals(2, Bytes.getLong(frame, 1), "bytes 1..9: term");
        assertEquals(1, frame[9], "byte 9: sender length");
        assertEquals('a', frame[10], "byte 10: sender");
        assertEquals(5, Bytes.getLong(frame, 11), "prev index");
        assertEquals(1, Bytes.getLong(frame, 19), "prev term");
        assertEquals(4, Bytes.getLong(frame, 27), "commit");
        assertEquals(6, Bytes.getLong(frame, 35), "leader's last index");
        assertEquals(3, Bytes.getLong(frame, 43), "read sequence");
        assertEquals(1, Bytes.getInt(frame, 51), "entry count");
        assertEquals(2, Bytes.getLong(frame, 55), "entry term");
        assertEquals(0, frame[63], "entry type");
        assertEquals(1, Bytes.getInt(frame, 64), "entry length");
        assertEquals((byte) 0xAB, frame[68], "entry data");
        assertEquals(69, frame.length, "nothing after the last entry");
    }

    @Test
    void cutOrPaddedFramesAreRefused() {
        for (Rpc rpc : SAMPLES) {
            byte[] frame = RpcCodec.encode(rpc);
            for (int len = 0; len < frame.length; len++) {
                byte[] cut = Arrays.copyOf(frame, len);
                assertThrows(IllegalArgumentException.class, () -> RpcCodec.decode(cut),
                        "expected a frame of " + rpc + " cut to " + len + " bytes refused");
            }
            byte[] padded = Arrays.copyOf(frame, frame.length + 1);
            assertThrows(IllegalArgumentException.class, () -> RpcCodec.decode(padded), "expected trailing bytes refused");
        }
    }

    @Test
    void framesDecodeFromASliceOfALargerBufferAndNeverReadPastIt() {
        for (Rpc rpc : SAMPLES) {
            byte[] frame = RpcCodec.encode(rpc);
            byte[] buffer = new byte[frame.length + 20];
            Arrays.fill(buffer, (byte) 0x5A); // bytes around the frame that a decoder reading past it would take
            System.arraycopy(frame, 0, buffer, 7, frame.length);
            assertEquals(RpcCodec.encode(RpcCodec.decode(frame)).length, frame.length, "expected the copy to decode");
            assertArrayEquals(frame, RpcCodec.encode(RpcCodec.decode(buffer, 7, frame.length)),
                    "expected " + rpc + " decoded from the middle of a buffer as from its own array");
            for (int len = 0; len < frame.length; len++) {
                int cut = len;
                assertThrows(IllegalArgumentException.class, () -> RpcCodec.decode(buffer, 7, cut),
                        "expected " + rpc + " cut to " + cut + " bytes refused though the buffer goes on");
            }
            assertThrows(IllegalArgumentException.class, () -> RpcCodec.decode(buffer, 7, frame.length + 1),
                    "expected a byte after the frame refused as trailing");
            assertThrows(IllegalArgumentException.class, () -> RpcCodec.decode(buffer, 7, buffer.length),
                    "expected a slice past the buffer's end refused");
        }
    }

    @Test
    void randomBytesNeverCrashTheDecoder() {
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            byte[] frame = RpcCodec.encode(SAMPLES.get(random.nextInt(SAMPLES.size())));
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
            }
            try {
                RpcCodec.decode(frame);
            } catch (IllegalArgumentException refused) {
                // the only acceptable failure
            }
        }
    }
}
