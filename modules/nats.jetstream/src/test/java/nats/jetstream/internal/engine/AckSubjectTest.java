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

    @Test
    void parsesTheDomainFormAndRefusesWhatIsNotAnAckSubject() {
        byte[] domain = "$JS.ACK.hub.ACCHASH.S.C.2.40.7.1765000000000000000.3.tok".getBytes(StandardCharsets.UTF_8);
        assertEquals(new AckSubject(40, 7, 2), AckSubject.parse(domain, 0, domain.length), "domain form");
        byte[] framed = "xx$JS.ACK.S.C.5.6.7.8.9yy".getBytes(StandardCharsets.UTF_8);
        assertEquals(new AckSubject(6, 7, 5), AckSubject.parse(framed, 2, framed.length - 4), "at an offset");
        for (String bad : new String[] {"$JS.ACK.S.C.1.2.3.4", "$JS.ACK.S.C.1..3.4.5", "$JS.ACK.S.C.1.x.3.4.5",
            "$JS.ACK.S.C.1.2.3a.4.5", "$JS.ACK.S.C..2.3.4.5"}) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertEquals(AckSubject.INVALID, AckSubject.parse(b, 0, b.length), bad);
        }
    }
}
