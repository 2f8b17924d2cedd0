package nats.gateway.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Go's getHashSize(name, 6): the first six bytes of the name's SHA-256, each mapped onto the 62 digits. Replies
 * routed across gateways carry the hash of the origin cluster's gateway name and of the origin server's id.
 */
final class GatewayHash {

    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final int LENGTH = 6;

    private GatewayHash() {
    }

    static String of(String name) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            char[] out = new char[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                out[i] = DIGITS.charAt((sha[i] & 0xff) % DIGITS.length());
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
