package nats.websocket.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * RFC 6455 section 5.3: payload bytes XORed with a 4-byte key, the key restarting at each frame. Works eight
 * bytes at a time; a key position (0..3) carries the cycle across the pieces of a frame that arrive in
 * separate reads.
 */
final class Masking {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Masking() {
    }

    /**
     * XORs {@code n} bytes of {@code src} into {@code dst} (the two may be the same place).
     *
     * @param key    the frame's masking key, its first byte in the high bits
     * @param keyPos which key byte applies to the first of these bytes (0..3)
     * @return the key position after these bytes
     */
    static int unmask(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int key, int keyPos) {
        int rotated = Integer.rotateLeft(key, 8 * keyPos);
        int i = 0;
        if (n >= 16) {
            long k = ((long) rotated << 32) | (rotated & 0xffffffffL);
            int blocks = n & ~7;
            for (; i < blocks; i += 8) {
                LONGS.set(dst, dstOff + i, (long) LONGS.get(src, srcOff + i) ^ k);
            }
        }
        for (; i < n; i++) {
            dst[dstOff + i] = (byte) (src[srcOff + i] ^ (rotated >>> (24 - 8 * (i & 3))));
        }
        return (keyPos + n) & 3;
    }
}
