package nats.transport.compress;

/**
 * Decodes one S2 block (Snappy's block format plus S2's extensions): a varint of the decoded length, then
 * elements tagged by their two low bits: literals ({@code 00}), copies with a 1-byte ({@code 01}), 2-byte
 * ({@code 10}) or 4-byte ({@code 11}) offset. S2 adds the repeat: a 1-byte-offset copy whose offset is 0 reuses
 * the last offset, its length coded 4..8 in the tag or continued in 1 to 3 more bytes. Every bound is checked: a
 * corrupt block is refused, never read or written out of range.
 */
final class S2BlockDecoder {

    private S2BlockDecoder() {
    }

    /** Signals a block that does not decode. */
    static final class CorruptBlockException extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptBlockException(String what) {
            super(what, null, false, false);
        }
    }

    /** The decoded length the block starts with; {@code pos[0]} is set past the varint. */
    static int decodedLength(byte[] src, int off, int end, int[] pos) throws CorruptBlockException {
        long v = 0;
        int shift = 0;
        int i = off;
        while (true) {
            if (i >= end || shift > 28) {
                throw new CorruptBlockException("bad block length");
            }
            int b = src[i++] & 0xff;
            v |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                break;
            }
            shift += 7;
        }
        if (v > S2Stream.MAX_BLOCK) {
            throw new CorruptBlockException("block of " + v + " bytes");
        }
        pos[0] = i;
        return (int) v;
    }

    /**
     * Decodes the elements in {@code src[s..end)} into {@code dst[0..n)}, which they must fill exactly.
     */
    static void decode(byte[] src, int s, int end, byte[] dst, int n) throws CorruptBlockException {
        int d = 0;
        int offset = 0;
        while (s < end) {
            int tag = src[s] & 0xff;
            int length;
            switch (tag & 0x03) {
                case 0 -> {
                    int x = tag >>> 2;
                    if (x < 60) {
                        s++;
                    } else {
                        int extra = x - 59;
                        if (s + 1 + extra > end) {
                            throw new CorruptBlockException("literal length cut");
                        }
                        x = 0;
                        for (int k = 0; k < extra; k++) {
                            x |= (src[s + 1 + k] & 0xff) << (8 * k);
                        }
                        s += 1 + extra;
                    }
                    length = x + 1;
                    if (length <= 0 || length > n - d || length > end - s) {
                        throw new CorruptBlockException("literal of " + length + " bytes");
                    }
                    System.arraycopy(src, s, dst, d, length);
                    d += length;
                    s += length;
                    continue;
                }
                case 1 -> {
                    if (s + 2 > end) {
                        throw new CorruptBlockException("copy cut");
                    }
                    length = (tag >>> 2) & 0x07;
                    int toffset = (tag & 0xe0) << 3 | (src[s + 1] & 0xff);
                    s += 2;
                    if (toffset == 0) {
                        // S2's repeat of the last offset.
                        switch (length) {
                            case 5 -> {
                                need(s, 1, end);
                                length = (src[s] & 0xff) + 4;
                                s += 1;
                            }
                            case 6 -> {
                                need(s, 2, end);
                                length = ((src[s] & 0xff) | (src[s + 1] & 0xff) << 8) + (1 << 8);
                                s += 2;
                            }
                            case 7 -> {
                                need(s, 3, end);
                                length = ((src[s] & 0xff) | (src[s + 1] & 0xff) << 8 | (src[s + 2] & 0xff) << 16)
                                        + (1 << 16);
                                s += 3;
                            }
                            default -> {
                            }
                        }
                    } else {
                        offset = toffset;
                    }
                    length += 4;
                }
                case 2 -> {
                    need(s, 3, end);
                    offset = (src[s + 1] & 0xff) | (src[s + 2] & 0xff) << 8;
                    length = 1 + (tag >>> 2);
                    s += 3;
                }
                default -> {
                    need(s, 5, end);
                    offset = S2Stream.intLE(src, s + 1);
                    length = 1 + (tag >>> 2);
                    s += 5;
                }
            }
            if (offset <= 0 || d < offset || length > n - d) {
                throw new CorruptBlockException("copy of " + length + " at offset " + offset);
            }
            if (offset >= length) {
                System.arraycopy(dst, d - offset, dst, d, length);
                d += length;
            } else {
                // Overlapping: byte by byte, forwards (a run).
                for (int k = 0; k < length; k++) {
                    dst[d] = dst[d - offset];
                    d++;
                }
            }
        }
        if (d != n) {
            throw new CorruptBlockException("block decoded to " + d + " of " + n + " bytes");
        }
    }

    private static void need(int s, int count, int end) throws CorruptBlockException {
        if (s + count > end) {
            throw new CorruptBlockException("element cut");
        }
    }
}
