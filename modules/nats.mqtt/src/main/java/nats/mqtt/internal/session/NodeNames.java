package nats.mqtt.internal.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Go's getHash: eight characters of base 62 from the SHA-256 of a name. It names this server in MQTT reply
 * subjects and stored records (the node name, hash of the server name) and a session in its stream subject and
 * consumer names (hash of the client id).
 */
public final class NodeNames {

    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private NodeNames() {
    }

    public static String hash(String name) {
        byte[] sha;
        try {
            sha = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        char[] out = new char[8];
        for (int i = 0; i < 8; i++) {
            out[i] = DIGITS.charAt((sha[i] & 0xff) % 62);
        }
        return new String(out);
    }
}
