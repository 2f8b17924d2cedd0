package nats.jetstream.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import nats.jetstream.store.StoredMessage;
import org.junit.jupiter.api.Test;

/** The catch-up answer and the stream snapshot encodings: round trips, and damage refused rather than stored. */
class CatchUpCodecTest {

    private static final List<StoredMessage> MESSAGES = List.of(
            new StoredMessage("a.b", "NATS/1.0\r\nX: 1\r\n\r\n".getBytes(StandardCharsets.UTF_8),
                    "one".getBytes(StandardCharsets.UTF_8), 5, 1_700_000_000_123_456_789L),
            new StoredMessage("ü.é", new byte[0], new byte[70_000], 9, 1_700_000_001_000_000_000L));

    @Test
    void answersRoundTripWithSequencesTimestampsAndHeaders() {
        byte[] answer = CatchUp.encode(7, 5, 12, MESSAGES);
        ByteBuffer b = ByteBuffer.wrap(answer);
        assertEquals(7, b.getLong(), "request id");
        assertEquals(1, b.get(), "served");
        List<StoredMessage> got = CatchUp.decodeMessages(b, 5);
        assertNotNull(got, "a sound answer is accepted");
        assertEquals(2, got.size(), "both messages");
        for (int i = 0; i < 2; i++) {
            StoredMessage want = MESSAGES.get(i);
            StoredMessage m = got.get(i);
            assertEquals(want.subject(), m.subject(), "subject " + i);
            assertEquals(want.sequence(), m.sequence(), "sequence " + i);
            assertEquals(want.timestamp(), m.timestamp(), "timestamp " + i);
            assertArrayEquals(want.headers(), m.headers(), "headers " + i);
            assertArrayEquals(want.payload(), m.payload(), "payload " + i);
        }
    }

    @Test
    void damagedCutOrDisorderedAnswersAreRefused() {
        byte[] answer = CatchUp.encode(7, 5, 12, MESSAGES);
        for (int at : new int[] {30, 60, answer.length - 100, answer.length - 1}) {
            byte[] damaged = answer.clone();
            damaged[at] ^= 0x10;
            assertNull(decode(damaged, 5), "a flipped bit at " + at + " fails the CRC");
        }
        assertNull(decode(Arrays.copyOf(answer, answer.length - 3), 5), "cut short");
        assertNull(decode(answer, 6), "not the range asked for");
        assertNull(decode(CatchUp.encode(7, 5, 12, List.of(MESSAGES.get(1), MESSAGES.get(0))), 5),
                "sequences must increase");
        assertNull(decode(CatchUp.encode(7, 5, 8, MESSAGES), 5), "a message beyond the covered range");
        assertEquals(List.of(), decode(CatchUp.encode(7, 5, 12, List.of()), 5), "a range with no messages left");
    }

    private static List<StoredMessage> decode(byte[] answer, long from) {
        ByteBuffer b = ByteBuffer.wrap(answer);
        b.position(9);
        return CatchUp.decodeMessages(b, from);
    }

    @Test
    void snapshotsRoundTripAndRefuseOtherBytes() {
        Map<String, byte[]> defs = new TreeMap<>(Map.of("D1", new byte[] {1, 2}, "D2", new byte[] {3}));
        Map<String, byte[]> states = new TreeMap<>(Map.of("D1", new byte[] {9, 9, 9}));
        StreamSnapshot s = new StreamSnapshot(10, 400, new long[] {11, 100, 399}, defs, states);
        StreamSnapshot back = StreamSnapshot.decode(s.encode());
        assertEquals(10, back.first(), "first");
        assertEquals(400, back.last(), "last");
        assertArrayEquals(new long[] {11, 100, 399}, back.deleted(), "deleted");
        assertEquals(defs.keySet(), back.consumerDefs().keySet(), "consumers");
        assertArrayEquals(new byte[] {1, 2}, back.consumerDefs().get("D1"), "definition");
        assertArrayEquals(new byte[] {9, 9, 9}, back.consumerStates().get("D1"), "state");
        assertNull(back.consumerStates().get("D2"), "no state");
        byte[] bytes = s.encode();
        bytes[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> StreamSnapshot.decode(bytes), "unknown version");
        assertThrows(IllegalArgumentException.class, () -> StreamSnapshot.decode(Arrays.copyOf(s.encode(), 20)),
                "cut short");
        byte[] longer = Arrays.copyOf(s.encode(), s.encode().length + 1);
        assertThrows(IllegalArgumentException.class, () -> StreamSnapshot.decode(longer), "trailing bytes");
    }
}
