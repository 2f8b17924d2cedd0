package nats.server.internal.account;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.bouncycastle.crypto.digests.SHA256Digest;

/** Tokens in the 62 characters Go's servers use for reply prefixes and event ids (digits, A–Z, a–z). */
public final class Base62 {

    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Base62() {
    }

    /**
     * Go's getHash: the first 8 bytes of the name's SHA-256, each taken modulo 62 as a digit. Servers
     * address each other with it ({@code $SYS._INBOX.<hash>.*}, {@code $SYS.LATENCY.M2.<hash>}). BouncyCastle's
     * digest, not the JDK's {@code MessageDigest}: every start hashes its name, and the JDK's would set up the
     * security providers on the way to the first INFO (10-25 ms).
     */
    public static String nameHash(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        SHA256Digest digest = new SHA256Digest();
        digest.update(bytes, 0, bytes.length);
        byte[] sha = new byte[digest.getDigestSize()];
        digest.doFinal(sha, 0);
        char[] chars = new char[8];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = DIGITS.charAt((sha[i] & 0xff) % 62);
        }
        return new String(chars);
    }

    /** {@code length} random characters. */
    static String random(Random random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = DIGITS.charAt(random.nextInt(DIGITS.length()));
        }
        return new String(chars);
    }

    /** The low digits of {@code value} (unsigned), most significant first, padded to {@code length}. */
    static String digits(long value, int length) {
        char[] chars = new char[length];
        long v = value;
        for (int i = length - 1; i >= 0; i--) {
            chars[i] = DIGITS.charAt((int) Long.remainderUnsigned(v, 62));
            v = Long.divideUnsigned(v, 62);
        }
        return new String(chars);
    }
}
