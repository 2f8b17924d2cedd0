package nats.leafnode.testing;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * Test-only operator, account and user keys and JWTs as nsc makes them (Ed25519 nkeys, {@code ed25519-nkey}
 * JWTs), to run a Go hub in operator mode and hand our leaf a {@code .creds} file.
 */
public final class Nkeys {

    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    public static final int OPERATOR = 14 << 3;
    public static final int ACCOUNT = 0;
    public static final int USER = 20 << 3;
    private static final int SEED = 18 << 3;

    /** One nkey: its public key text, seed text, and the key pair to sign with. */
    public record Key(String publicKey, String seed, KeyPair pair) {
        public String sign(byte[] data) throws Exception {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(data);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
        }
    }

    private Nkeys() {
    }

    public static Key create(int type) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] encoded = pair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
        byte[] pub = new byte[33];
        pub[0] = (byte) type;
        System.arraycopy(raw, 0, pub, 1, 32);
        byte[] s = new byte[34];
        s[0] = (byte) (SEED | type >> 5);
        s[1] = (byte) ((type & 31) << 3);
        System.arraycopy(seed, 0, s, 2, 32);
        return new Key(encode(pub), encode(s), pair);
    }

    /** A JWT issued by {@code issuer} for {@code subject} with the {@code nats} claims given as JSON. */
    public static String jwt(Key issuer, String subject, String name, String natsJson) throws Exception {
        String header = b64("{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}");
        String claims = b64("{\"jti\":\"" + UUID.randomUUID().toString().replace("-", "").toUpperCase()
                + "\",\"iat\":" + (System.currentTimeMillis() / 1000) + ",\"iss\":\"" + issuer.publicKey()
                + "\",\"name\":\"" + name + "\",\"sub\":\"" + subject + "\",\"nats\":" + natsJson + "}");
        String signingInput = header + "." + claims;
        return signingInput + "." + issuer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    /** A {@code .creds} file's text, as nsc writes it. */
    public static String creds(String userJwt, Key user) {
        return "-----BEGIN NATS USER JWT-----\n" + userJwt + "\n------END NATS USER JWT------\n\n"
                + "************************* IMPORTANT *************************\n"
                + "NKEY Seed printed below can be used to sign and prove identity.\n\n"
                + "-----BEGIN USER NKEY SEED-----\n" + user.seed() + "\n------END USER NKEY SEED------\n\n"
                + "*************************************************************\n";
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(byte[] body) {
        byte[] full = Arrays.copyOf(body, body.length + 2);
        int crc = crc16(body);
        full[body.length] = (byte) crc;
        full[body.length + 1] = (byte) (crc >> 8);
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : full) {
            buffer = buffer << 8 | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                sb.append(BASE32.charAt((buffer >> bits) & 31));
            }
        }
        if (bits > 0) {
            sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    private static int crc16(byte[] data) {
        int crc = 0;
        for (byte d : data) {
            crc ^= (d & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
            }
        }
        return crc;
    }
}
