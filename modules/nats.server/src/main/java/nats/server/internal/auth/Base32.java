package nats.server.internal.auth;

import java.io.ByteArrayOutputStream;

/**
 * RFC 4648 base32 without padding, decoding exactly as Go's {@code base32.StdEncoding.WithPadding(NoPadding)}:
 * CR and LF are skipped, trailing bits are not checked, and a final group of 1, 3 or 6 characters (too short
 * to hold a byte) yields nothing rather than an error. Nkeys inherit these rules, so a key string is accepted
 * here exactly when Go accepts it.
 */
final class Base32 {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final int GROUP_CHARS = 8;

    private Base32() {
    }

    static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        long buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                out.append(ALPHABET[(int) (buffer >>> bits) & 31]);
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(int) (buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }

    /** Decodes {@code text}; a character outside the alphabet is an {@link IllegalArgumentException}. */
    static byte[] decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 5 / 8);
        long group = 0;
        int chars = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                continue;
            }
            group = (group << 5) | valueOf(c, i);
            if (++chars == GROUP_CHARS) {
                writeTopBytes(out, group, 40, 5);
                group = 0;
                chars = 0;
            }
        }
        if (chars != 1 && chars != 3 && chars != 6) {
            writeTopBytes(out, group, chars * 5, chars * 5 / 8);
        }
        return out.toByteArray();
    }

    private static void writeTopBytes(ByteArrayOutputStream out, long value, int bitCount, int byteCount) {
        for (int i = 1; i <= byteCount; i++) {
            out.write((int) (value >>> (bitCount - 8 * i)) & 0xFF);
        }
    }

    private static int valueOf(char c, int position) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        throw new IllegalArgumentException("illegal base32 data at input byte " + position);
    }
}
