package nats.server.internal.auth;

import java.util.Arrays;
import java.util.Optional;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * NATS public nkeys: a type prefix byte and a 32-byte ed25519 key, framed by {@link NKeyEncoding}. Decoding
 * follows nkeys v0.3.0, the version nats-server 2.9.10 is built with: the prefix byte must match exactly and
 * curve keys cannot verify signatures. Unlike Go, a payload that is not 32 bytes is rejected up front (Go
 * accepts it in {@code IsValidPublicUserKey} and then panics in {@code ed25519.Verify}).
 */
public final class NKey {

    /** Raw ed25519 public key and seed length. */
    public static final int KEY_LENGTH = 32;
    /** Raw ed25519 signature length. */
    public static final int SIGNATURE_LENGTH = 64;

    /** The roles a public nkey can have, each with the prefix byte that gives the string its first letter. */
    public enum Type {
        OPERATOR(14 << 3),
        SERVER(13 << 3),
        CLUSTER(2 << 3),
        ACCOUNT(0),
        USER(20 << 3),
        /** An x25519 key for sealing messages; it never signs. */
        CURVE(23 << 3);

        private final int prefix;

        Type(int prefix) {
            this.prefix = prefix;
        }

        int prefix() {
            return prefix;
        }

        /** The first character of every public key of this type ('O', 'N', 'C', 'A', 'U', 'X'). */
        public char letter() {
            return Base32.encode(new byte[] {(byte) prefix}).charAt(0);
        }

        boolean signs() {
            return this != CURVE;
        }

        static Optional<Type> ofPrefix(int prefix) {
            return Arrays.stream(values()).filter(type -> type.prefix == prefix).findFirst();
        }
    }

    private NKey() {
    }

    /** The raw 32 key bytes of {@code key}, which must be a well-formed public key of type {@code expected}. */
    public static byte[] decodePublicKey(String key, Type expected) {
        byte[] raw = NKeyEncoding.decode(key);
        if ((raw[0] & 0xFF) != expected.prefix()) {
            throw new NKeyException("nkeys: invalid prefix byte");
        }
        if (raw.length - 1 != KEY_LENGTH) {
            throw new NKeyException("nkeys: invalid public key");
        }
        return Arrays.copyOfRange(raw, 1, raw.length);
    }

    /** The type of a well-formed public key; empty for anything else (seeds included). */
    public static Optional<Type> publicKeyType(String key) {
        try {
            byte[] raw = NKeyEncoding.decode(key);
            return raw.length - 1 == KEY_LENGTH ? Type.ofPrefix(raw[0] & 0xFF) : Optional.empty();
        } catch (NKeyException malformed) {
            return Optional.empty();
        }
    }

    public static boolean isValidPublicKey(String key, Type expected) {
        return publicKeyType(key).filter(expected::equals).isPresent();
    }

    /** Whether {@code key} is a well-formed public key of any type. */
    public static boolean isValidPublicKey(String key) {
        return publicKeyType(key).isPresent();
    }

    public static String encodePublicKey(Type type, byte[] key) {
        if (key.length != KEY_LENGTH) {
            throw new NKeyException("nkeys: invalid public key");
        }
        return NKeyEncoding.encode(new byte[] {(byte) type.prefix()}, key);
    }

    /**
     * Whether {@code signature} is an ed25519 signature of {@code data} by {@code publicKey}, a public key of
     * any signing type. Anything malformed is simply not verified.
     */
    public static boolean verify(String publicKey, byte[] data, byte[] signature) {
        Optional<Type> type = publicKeyType(publicKey).filter(Type::signs);
        if (type.isEmpty() || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        byte[] key = decodePublicKey(publicKey, type.get());
        try {
            return Ed25519.verify(signature, 0, key, 0, data, 0, data.length);
        } catch (RuntimeException notAPoint) {
            return false;
        }
    }
}
