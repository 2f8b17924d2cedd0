package nats.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time unmasking against the byte-by-byte definition of RFC 6455 section 5.3. */
class MaskingTest {

    @Test
    void matchesTheDefinitionForEveryLengthOffsetAndKeyPosition() {
        Random r = new Random(42);
        for (int length = 0; length < 80; length++) {
            for (int keyPos = 0; keyPos < 4; keyPos++) {
                for (int offset = 0; offset < 3; offset++) {
                    byte[] key = new byte[4];
                    r.nextBytes(key);
                    int k = ((key[0] & 0xff) << 24) | ((key[1] & 0xff) << 16) | ((key[2] & 0xff) << 8) | (key[3] & 0xff);
                    byte[] src = new byte[length + offset];
                    r.nextBytes(src);
                    byte[] expected = new byte[length];
                    for (int i = 0; i < length; i++) {
                        expected[i] = (byte) (src[offset + i] ^ key[(keyPos + i) & 3]);
                    }
                    byte[] dst = new byte[length + 5];
                    int next = Masking.unmask(src, offset, dst, 5, length, k, keyPos);
                    assertArrayEquals(expected, java.util.Arrays.copyOfRange(dst, 5, 5 + length),
                            "length " + length + ", key position " + keyPos + ", offset " + offset);
                    assertEquals((keyPos + length) & 3, next, "the key position continues after the bytes");
                    // In place.
                    byte[] copy = src.clone();
                    Masking.unmask(copy, offset, copy, offset, length, k, keyPos);
                    assertArrayEquals(expected, java.util.Arrays.copyOfRange(copy, offset, offset + length),
                            "in place, length " + length);
                }
            }
        }
    }
}
