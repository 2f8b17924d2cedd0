package nats.jetstream.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Ack subjects written as bytes read as Go writes them, and parse back to their numbers. */
class AckSubjectTest {

    private static final byte[] PREFIX = "$JS.ACK.S.C.".getBytes(StandardCharsets.UTF_8);

    @Test
    void buildWritesGosLayout() {
        long[][] cases = {
            {1, 1, 1, 1_765_000_000_000_000_000L, 0},
            {3, 9, 10, 99, 100},
            {12, Long.MAX_VALUE, 1_000_000_007L, 0, 999_999},
        };
        for (long[] c : cases) {
            String expected = "$JS.ACK.S.C." + c[0] + "." + c[1] + "." + c[2] + "." + c[3] + "." + c[4];
            byte[] built = AckSubject.build(PREFIX, c[0], c[1], c[2], c[3], c[4]);
            assertEquals(expected, new String(built, StandardCharsets.UTF_8), "ack subject bytes");
            AckSubject parsed = AckSubject.parse(built, 0, built.length);
            assertEquals(new AckSubject(c[1], c[2], c[0]), parsed, "parsed back from " + expected);
        }
    }
}
