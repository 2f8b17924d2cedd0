package nats.transport.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import nats.transport.protocol.ProtocolException;
import nats.transport.protocol.RouteProtocolHandler;
import nats.transport.protocol.RouteProtocolParser;
import nats.transport.protocol.RoutedMessageArgs;
import org.junit.jupiter.api.Test;

/**
 * The S2 stream of compressed links: what the writer produces reads back through the reader, split anywhere;
 * hand-made blocks with S2's extensions (the repeat of the last offset) decode as the format says; damage is
 * refused.
 */
class S2StreamTest {

    /** Collects the protocol bytes the reader hands to the parser, by parsing PING lines and RMSG payloads. */
    private static final class Collect implements RouteProtocolHandler {
        final ByteArrayOutputStream payloads = new ByteArrayOutputStream();
        int pings;

        @Override
        public void onMessage(RoutedMessageArgs args, byte[] buf, int off, int len) {
            payloads.write(buf, off, len);
        }

        @Override
        public void onPing() {
            pings++;
        }

        @Override
        public void onInfo(byte[] buf, int off, int len) {
        }

        @Override
        public void onConnect(byte[] buf, int off, int len) {
        }

        @Override
        public void onPong() {
        }

        @Override
        public void onError(byte[] buf, int off, int len) {
        }

        @Override
        public void onSubscribe(byte[] buf, int off, int len) {
        }

        @Override
        public void onUnsubscribe(byte[] buf, int off, int len) {
        }
    }

    private static byte[] protocol(byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(("RMSG $G foo " + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] encode(S2Writer writer, byte[] plain) throws Exception {
        ByteBuffer encoded = writer.encode(ByteBuffer.wrap(plain));
        byte[] copy = new byte[encoded.remaining()];
        encoded.get(copy);
        return copy;
    }

    @Test
    void whatTheWriterWritesReadsBackSplitAnywhere() throws Exception {
        byte[] payload = new byte[200_000];
        Random random = new Random(7);
        for (int i = 0; i < payload.length; i++) {
            // Compressible: words from a small alphabet, with some noise.
            payload[i] = (byte) (i % 97 < 80 ? 'a' + (i / 13) % 7 : random.nextInt(256));
        }
        for (boolean compress : new boolean[] {true, false}) {
            S2Writer writer = new S2Writer(compress);
            byte[] first = encode(writer, protocol(payload));
            byte[] second = encode(writer, protocol(new byte[] {1, 2, 3}));
            assertEquals('S', (char) first[4], "the first write starts with the S2 stream identifier");
            assertTrue(second[0] != (byte) 0xff, "the identifier is written once");
            if (compress && S2Writer.snappyAvailable()) {
                assertTrue(first.length < payload.length / 2, "compressible data shrinks: " + first.length);
            }
            byte[] stream = java.util.Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, stream, first.length, second.length);
            for (int cut : new int[] {1, 3, 4, 9, 10, 11, 1000, 65_000, stream.length / 2, stream.length - 1}) {
                Collect c = new Collect();
                RouteProtocolParser parser = new RouteProtocolParser(c);
                S2Reader reader = new S2Reader();
                byte[] buffer = new byte[stream.length];
                System.arraycopy(stream, 0, buffer, 0, cut);
                reader.decode(buffer, 0, cut, parser);
                java.util.Arrays.fill(buffer, (byte) 0x55);
                System.arraycopy(stream, cut, buffer, 0, stream.length - cut);
                reader.decode(buffer, 0, stream.length - cut, parser);
                assertEquals(2, c.pings, "both PINGs, split at " + cut + (compress ? "" : " (uncompressed)"));
                byte[] expected = java.util.Arrays.copyOf(payload, payload.length + 3);
                expected[payload.length] = 1;
                expected[payload.length + 1] = 2;
                expected[payload.length + 2] = 3;
                assertArrayEquals(expected, c.payloads.toByteArray(), "payloads intact, split at " + cut);
            }
        }
    }

    /** One compressed chunk holding {@code block}, whose decoding is {@code plain}. */
    private static byte[] chunk(byte[] block, byte[] plain) {
        byte[] out = new byte[S2Stream.IDENTIFIER.length + 8 + block.length];
        System.arraycopy(S2Stream.IDENTIFIER, 0, out, 0, S2Stream.IDENTIFIER.length);
        int o = S2Stream.IDENTIFIER.length;
        S2Stream.putHeader(out, o, S2Stream.COMPRESSED, block.length + 4);
        S2Stream.putIntLE(out, o + 4, S2Stream.maskedCrc(plain, 0, plain.length));
        System.arraycopy(block, 0, out, o + 8, block.length);
        return out;
    }

    private static String decode(byte[] stream) throws ProtocolException {
        Collect c = new Collect();
        new S2Reader().decode(stream, 0, stream.length, new RouteProtocolParser(c));
        return c.payloads.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void decodesS2sRepeatOfTheLastOffset() throws Exception {
        String plain = "RMSG $G s 24\r\nabcdabcdabcdabcdabcdabcd\r\n";
        byte[] block = {
            (byte) plain.length(),          // varint: decoded length (42)
            (byte) (17 << 2), 'R', 'M', 'S', 'G', ' ', '$', 'G', ' ', 's', ' ', '2', '4', '\r', '\n',
            'a', 'b', 'c', 'd',             // literal of 18 bytes: tag (length-1)<<2
            (byte) (0 << 2 | 1), 4,         // copy, 1-byte offset 4, length 4
            (byte) (4 << 2 | 1), 0,         // repeat (offset 0): length code 4 -> 8
            (byte) (2 << 2 | 1), 0,         // repeat: length code 2 -> 6, 24 bytes of payload so far... 4+4+8+6 = 22
            (byte) (1 << 2 | 2), 4, 0,      // copy, 2-byte offset 4, length 2: the payload's last 2 bytes
            (byte) (1 << 2), '\r', '\n'     // literal of 2
        };
        assertEquals("abcdabcdabcdabcdabcdabcd", decode(chunk(block, plain.getBytes(StandardCharsets.US_ASCII))),
                "copy, repeats and a 2-byte-offset copy rebuild the run");
    }

    @Test
    void decodesLongRepeatsAndFourByteOffsets() throws Exception {
        byte[] payload = new byte[300];
        java.util.Arrays.fill(payload, (byte) 'z');
        String head = "RMSG $G s 300\r\n";
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        plain.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        plain.writeBytes(payload);
        plain.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        int n = plain.size();
        block.write(0x80 | (n & 0x7f));                       // varint, two bytes
        block.write(n >>> 7);
        block.write((head.length() + 1 - 1) << 2);            // literal: the head and one 'z'
        block.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        block.write('z');
        block.write(3 | (3 << 2));                            // copy, 4-byte offset 1, length 4
        block.writeBytes(new byte[] {1, 0, 0, 0});
        block.write(1 | (6 << 2));                            // repeat (offset byte 0), length code 6:
        block.write(0);
        block.write(0);                                       // two more bytes: 0 + 256 + 4 = 260
        block.write(0);
        block.write(1 | (5 << 2));                            // repeat, length code 5:
        block.write(0);
        block.write(27);                                      // one more byte: 27 + 8 = 35
        block.write(1 << 2);                                  // literal of 2: CRLF
        block.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        // 1 + 4 + 260 + 35 = 300 'z's
        assertEquals(new String(payload, StandardCharsets.US_ASCII), decode(chunk(block.toByteArray(), plain.toByteArray())),
                "long repeats (2-byte and 1-byte extensions) after a 4-byte-offset copy");
    }

    @Test
    void refusesDamage() {
        byte[] good = chunk(new byte[] {6, 5 << 2, 'P', 'I', 'N', 'G', '\r', '\n'}, "PING\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] badCrc = good.clone();
        badCrc[S2Stream.IDENTIFIER.length + 4] ^= 1;
        assertThrows(ProtocolException.class, () -> decode(badCrc), "a wrong checksum");
        byte[] noIdentifier = java.util.Arrays.copyOfRange(good, S2Stream.IDENTIFIER.length, good.length);
        assertThrows(ProtocolException.class, () -> decode(noIdentifier), "data before the stream identifier");
        byte[] reserved = good.clone();
        reserved[S2Stream.IDENTIFIER.length] = 0x02;
        assertThrows(ProtocolException.class, () -> decode(reserved), "a reserved chunk type");
        byte[] badOffset = chunk(new byte[] {6, 1, 9}, "PING\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThrows(ProtocolException.class, () -> decode(badOffset), "a copy before the start");
        byte[] shortBlock = chunk(new byte[] {7, 5 << 2, 'P', 'I', 'N', 'G', '\r', '\n'}, "PING\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThrows(ProtocolException.class, () -> decode(shortBlock), "a block shorter than it says");
    }
}
