package nats.leafnode.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code .creds} file as Go's leaf solicitor reads it: the first fenced block is the user JWT, the second the
 * user's nkey seed, which signs the hub's nonce (Ed25519, base64url without padding, as Go's CONNECT carries it).
 * The file is read at each connection attempt, so a rotated file is picked up.
 */
final class CredsFile {

    /** Go's credsRe: a block between two lines of at least three dashes. */
    private static final Pattern BLOCK = Pattern.compile("\\s*(?:(?:-{3,}[^\\n]*-{3,}\\n)(.+)(?:\\n\\s*-{3,}[^\\n]*-{3,}\\n))");
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    /** nkeys prefix byte of a seed ('S'), and of a user key ('U') as the seed's second prefix. */
    private static final int PREFIX_SEED = 18 << 3;
    private static final int PREFIX_USER = 20 << 3;

    /** What goes into CONNECT. */
    record Signed(String jwt, String signature) {
    }

    private CredsFile() {
    }

    static Signed sign(Path file, byte[] nonce) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(text);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1).trim());
        }
        if (blocks.size() < 2) {
            throw new IOException("Credentials file malformed");
        }
        byte[] seed = rawSeed(blocks.get(1));
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(nonce);
            return new Signed(blocks.get(0), Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IOException("Credentials file has malformed seed", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The 32-byte Ed25519 seed of an nkey seed string ({@code SU...}): base32, two prefix bytes, CRC-16. */
    static byte[] rawSeed(String encoded) throws IOException {
        byte[] raw = base32(encoded.trim());
        if (raw.length != 2 + 32 + 2) {
            throw new IOException("Credentials file has malformed seed");
        }
        int crc = (raw[raw.length - 2] & 0xff) | (raw[raw.length - 1] & 0xff) << 8;
        if (crc != crc16(raw, raw.length - 2)) {
            throw new IOException("Credentials file has malformed seed");
        }
        int b1 = raw[0] & 0xf8;
        int b2 = (raw[0] & 0x07) << 5 | (raw[1] & 0xf8) >> 3;
        if (b1 != PREFIX_SEED || b2 != PREFIX_USER) {
            throw new IOException("Credentials file has malformed seed");
        }
        byte[] seed = Arrays.copyOfRange(raw, 2, 34);
        Arrays.fill(raw, (byte) 0);
        return seed;
    }

    private static byte[] base32(String s) throws IOException {
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            int v = BASE32.indexOf(s.charAt(i));
            if (v < 0) {
                throw new IOException("Credentials file has malformed seed");
            }
            buffer = buffer << 5 | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                if (n < out.length) {
                    out[n++] = (byte) (buffer >> bits);
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The CRC-16 (XMODEM, polynomial 0x1021) nkeys append. */
    private static int crc16(byte[] data, int length) {
        int crc = 0;
        for (int i = 0; i < length; i++) {
            crc ^= (data[i] & 0xff) << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                crc &= 0xffff;
            }
        }
        return crc;
    }
}
