package nats.server.internal.auth;

import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An nkey seed and the public key it derives: what the server needs for its own identity (its server_id is
 * the public key of a fresh {@link NKey.Type#SERVER} pair, as in Go), for signing a nonce when it connects
 * out with credentials, and what tests use to play clients and issuers. {@link #toString()} never shows the
 * seed.
 */
public final class NKeyPair {

    /** Made at first use: SecureRandom's set-up (the JDK's security providers) is not on the start path. */
    private static final class Random {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    private final NKey.Type type;
    private final byte[] seed;
    private final byte[] publicKey;

    private NKeyPair(NKey.Type type, byte[] seed) {
        this.type = type;
        this.seed = seed;
        this.publicKey = new byte[NKey.KEY_LENGTH];
        Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    }

    /** A new random key pair of a signing type. */
    public static NKeyPair generate(NKey.Type type) {
        if (!type.signs()) {
            throw new IllegalArgumentException("curve keys are not ed25519 signing keys");
        }
        byte[] seed = new byte[NKey.KEY_LENGTH];
        Random.INSTANCE.nextBytes(seed);
        return new NKeyPair(type, seed);
    }

    /** The pair of a signing type for a raw 32-byte seed (e.g. read from the system's random source). */
    public static NKeyPair of(NKey.Type type, byte[] rawSeed) {
        if (!type.signs() || rawSeed.length != NKey.KEY_LENGTH) {
            throw new IllegalArgumentException("an ed25519 signing type and a 32-byte seed are needed");
        }
        return new NKeyPair(type, rawSeed.clone());
    }

    /** The pair behind an encoded seed ("SU...", "SA...", "SO...", "SN...", "SC..."). */
    public static NKeyPair fromSeed(String encodedSeed) {
        byte[] raw = NKeyEncoding.decode(encodedSeed);
        if ((raw[0] & 0xF8) != NKeyEncoding.SEED_PREFIX) {
            throw new NKeyException("nkeys: invalid seed");
        }
        int typePrefix = (raw[0] & 7) << 5 | (raw[1] & 0xF8) >> 3;
        NKey.Type type = NKey.Type.ofPrefix(typePrefix).filter(NKey.Type::signs)
                .orElseThrow(() -> new NKeyException("nkeys: invalid seed"));
        if (raw.length - 2 != NKey.KEY_LENGTH) {
            throw new NKeyException("nkeys: invalid seed length");
        }
        return new NKeyPair(type, Arrays.copyOfRange(raw, 2, raw.length));
    }

    public NKey.Type type() {
        return type;
    }

    public String publicKey() {
        return NKey.encodePublicKey(type, publicKey);
    }

    /** The encoded seed; a secret. */
    public String seed() {
        return NKeyEncoding.encode(NKeyEncoding.seedPrefix(type.prefix()), seed);
    }

    /** The 64-byte ed25519 signature of {@code data}. */
    public byte[] sign(byte[] data) {
        byte[] signature = new byte[NKey.SIGNATURE_LENGTH];
        Ed25519.sign(seed, 0, data, 0, data.length, signature, 0);
        return signature;
    }

    @Override
    public String toString() {
        return "NKeyPair[" + type + " " + publicKey() + "]";
    }
}
