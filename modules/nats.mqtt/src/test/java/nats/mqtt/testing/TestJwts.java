package nats.mqtt.testing;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Operator, account and user JWTs for operator-mode tests, signed with the JDK's Ed25519 as nsc would issue
 * them: nkey public keys (a type prefix, the raw key and a CRC-16, in base32) and {@code ed25519-nkey} JWTs.
 */
public final class TestJwts {

    private static final String HEADER = "{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static int counter;

    private TestJwts() {
    }

    /** An nkey pair of a type: {@code 'O'} operator, {@code 'A'} account, {@code 'U'} user. */
    public record Key(KeyPair pair, String publicKey) {
        byte[] sign(byte[] data) throws Exception {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(data);
            return s.sign();
        }
    }

    public static Key key(char type) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] x509 = pair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        int prefix = switch (type) {
            case 'O' -> 14 << 3;
            case 'A' -> 0;
            case 'U' -> 20 << 3;
            default -> throw new IllegalArgumentException("type " + type);
        };
        byte[] body = new byte[35];
        body[0] = (byte) prefix;
        System.arraycopy(raw, 0, body, 1, 32);
        int crc = crc16(body, 33);
        body[33] = (byte) crc;
        body[34] = (byte) (crc >> 8);
        return new Key(pair, base32(body));
    }

    public static String operator(Key operator) throws Exception {
        return sign(operator, operator.publicKey(), "op", "{\"type\":\"operator\",\"version\":2}");
    }

    /** An account with JetStream enabled (unlimited). */
    public static String account(Key operator, Key account, String name) throws Exception {
        return sign(operator, account.publicKey(), name, "{\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,"
                + "\"imports\":-1,\"exports\":-1,\"wildcards\":true,\"conn\":-1,\"leaf\":-1,\"mem_storage\":-1,"
                + "\"disk_storage\":-1,\"streams\":-1,\"consumer\":-1},\"type\":\"account\",\"version\":2}");
    }

    /** A bearer user (MQTT clients cannot sign a nonce) with extra members of its "nats" object. */
    public static String bearerUser(Key account, Key user, String natsExtra) throws Exception {
        return sign(account, user.publicKey(), "user", "{\"subs\":-1,\"data\":-1,\"payload\":-1,\"bearer_token\":true"
                + (natsExtra.isEmpty() ? "" : "," + natsExtra) + ",\"type\":\"user\",\"version\":2}");
    }

    private static String sign(Key issuer, String subject, String name, String nats) throws Exception {
        long now = Instant.now().getEpochSecond();
        String claims = "{\"jti\":\"J" + (++counter) + now + "\",\"iat\":" + now + ",\"iss\":\"" + issuer.publicKey()
                + "\",\"name\":\"" + name + "\",\"sub\":\"" + subject + "\",\"nats\":" + nats + "}";
        String signed = segment(HEADER) + "." + segment(claims);
        return signed + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(issuer.sign(signed.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String segment(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** CRC-16/XMODEM, as nkeys computes it. */
    private static int crc16(byte[] b, int length) {
        int crc = 0;
        for (int i = 0; i < length; i++) {
            crc ^= (b[i] & 0xff) << 8;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                crc &= 0xffff;
            }
        }
        return crc;
    }

    private static String base32(byte[] data) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }
}
