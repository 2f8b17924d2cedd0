package nats.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The nkey challenge of the client protocol: the server puts a random nonce in INFO and the client proves it
 * holds the seed of its nkey by signing the nonce's text (its ASCII bytes, not the decoded random bytes) and
 * sending the signature as {@code sig} in CONNECT. Rules from nats-server 2.9.10 {@code nkey.go} and
 * {@code auth.go}.
 */
public final class NonceSignature {

    /** Random bytes in a nonce; base64 makes them 15 characters. */
    public static final int NONCE_RAW_LENGTH = 11;

    private static final SecureRandom RANDOM = new SecureRandom();

    private NonceSignature() {
    }

    /** A fresh nonce for INFO: 11 random bytes in unpadded URL-safe base64. */
    public static String newNonce() {
        byte[] raw = new byte[NONCE_RAW_LENGTH];
        RANDOM.nextBytes(raw);
        return GoBase64.encodeRawUrl(raw);
    }

    /** Convenience for {@link #verify(String, byte[], String)} with the nonce as sent in INFO. */
    public static boolean verify(String publicNkey, String nonce, String sig) {
        return verify(publicNkey, nonce.getBytes(StandardCharsets.UTF_8), sig);
    }

    /**
     * Whether {@code sig} from CONNECT is {@code publicNkey}'s signature of {@code nonce}. An empty or
     * undecodable signature and a malformed key all fail, as they fail authentication in Go.
     */
    public static boolean verify(String publicNkey, byte[] nonce, String sig) {
        return decodeSignature(sig).map(raw -> NKey.verify(publicNkey, nonce, raw)).orElse(false);
    }

    /** The raw signature: unpadded URL-safe base64 first, then padded standard base64, as Go tries them. */
    public static Optional<byte[]> decodeSignature(String sig) {
        if (sig.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(GoBase64.decodeRawUrl(sig));
        } catch (IllegalArgumentException notRawUrl) {
            try {
                return Optional.of(GoBase64.decodeStd(sig));
            } catch (IllegalArgumentException notStd) {
                return Optional.empty();
            }
        }
    }

    /** What a client (or this server connecting out with credentials) sends as {@code sig}. */
    public static String sign(NKeyPair pair, byte[] nonce) {
        return GoBase64.encodeRawUrl(pair.sign(nonce));
    }
}
