package nats.server.internal.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyFramedInputStream;

/**
 * Go 2.11's choice of encoding for a trace event from {@code Accept-Encoding}, and the encoded payloads read back
 * by independent readers: the JDK's gzip and snappy-java's block and framed-stream decoders.
 */
class EventEncodingTest {

    @Test
    void acceptEncodingIsReadAsGoReadsIt() {
        assertEquals(EventEncoding.NONE, EventEncoding.of(null), "no header");
        assertEquals(EventEncoding.NONE, EventEncoding.of(""), "empty header");
        assertEquals(EventEncoding.GZIP, EventEncoding.of("gzip"));
        assertEquals(EventEncoding.GZIP, EventEncoding.of("GZip, deflate"), "case-insensitive, anywhere in the value");
        assertEquals(EventEncoding.SNAPPY, EventEncoding.of("snappy"));
        assertEquals(EventEncoding.SNAPPY, EventEncoding.of("S2"));
        assertEquals(EventEncoding.SNAPPY, EventEncoding.of("gzip, s2"), "snappy/s2 wins over gzip, as in Go");
        assertEquals(EventEncoding.UNSUPPORTED, EventEncoding.of("br"));
        assertEquals("identity", EventEncoding.UNSUPPORTED.contentEncoding(), "Go's header for anything else");
        assertNull(EventEncoding.NONE.headerBlock(), "no header without Accept-Encoding");
        assertEquals("NATS/1.0\r\nContent-Encoding: gzip\r\n\r\n",
                new String(EventEncoding.GZIP.headerBlock(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void gzipReadsBack() throws Exception {
        byte[] json = sampleJson(50);
        byte[] z = EventEncoding.GZIP.encode(json);
        assertTrue(z.length < json.length, "compressed: " + z.length + " of " + json.length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(z))) {
            assertArrayEquals(json, in.readAllBytes(), "gunzipped");
        }
    }

    @Test
    void snappyBlocksAndFramesReadBackWithSnappyJava() throws Exception {
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 3, 4, 5, 63, 64, 65, 300, 5000, 65536, 65537, 200_000}) {
            for (byte[] input : new byte[][] {repetitive(size), random(random, size), sampleJson(size / 40 + 1)}) {
                byte[] block = SnappyFrames.compressBlock(input, 0, input.length);
                assertArrayEquals(input, Snappy.uncompress(block), "block of " + input.length + " bytes");
                byte[] framed = SnappyFrames.encode(input);
                try (SnappyFramedInputStream in = new SnappyFramedInputStream(new ByteArrayInputStream(framed), true)) {
                    assertArrayEquals(input, in.readAllBytes(), "framed stream of " + input.length + " bytes, CRCs checked");
                }
            }
        }
        byte[] json = sampleJson(50);
        assertTrue(EventEncoding.SNAPPY.encode(json).length < json.length / 2, "a trace event compresses");
    }

    private static byte[] repetitive(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) "abcabcabdx".charAt(i % 10);
        }
        return b;
    }

    private static byte[] random(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private static byte[] sampleJson(int egresses) {
        StringBuilder sb = new StringBuilder("{\"server\":{\"name\":\"S1\",\"id\":\"NABC\"},\"events\":[");
        for (int i = 0; i < egresses; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"type\":\"eg\",\"ts\":\"2026-12-07T12:00:00.").append(100 + i)
                    .append("Z\",\"kind\":0,\"cid\":").append(i).append(",\"name\":\"sub").append(i).append("\"}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
