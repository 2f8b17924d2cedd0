package nats.jetstream.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Encryption at rest (Go's {@code jetstream { cipher: chachapoly|aes, key: ... }}). A file store derives a
 * key per stream and per block from {@code key} and seals every record with the AEAD cipher.
 *
 * @param cipher the AEAD cipher
 * @param key the configured key material (any length; it is stretched, never used directly)
 */
public record Encryption(Cipher cipher, byte[] key) {

    /** The AEAD ciphers, both in {@code java.base}. */
    public enum Cipher {
        /** ChaCha20-Poly1305, Go's {@code chachapoly} (the default there). */
        CHACHA20_POLY1305("chachapoly"),
        /** AES-256-GCM, Go's {@code aes}. */
        AES_GCM("aes");

        private final String configName;

        Cipher(String configName) {
            this.configName = configName;
        }

        /** The name used in the configuration file. */
        public String configName() {
            return configName;
        }

        /** The cipher for a configuration name ({@code chachapoly}, {@code chacha}, {@code aes}). */
        public static Cipher fromConfig(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "chachapoly", "chacha", "chacha20", "chacha20-poly1305" -> CHACHA20_POLY1305;
                case "aes", "aes-gcm" -> AES_GCM;
                default -> throw new IllegalArgumentException("unknown cipher '" + name + "'");
            };
        }
    }

    public Encryption {
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("encryption key is empty");
        }
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Encryption e && e.cipher == cipher && Arrays.equals(e.key, key);
    }

    @Override
    public int hashCode() {
        return cipher.hashCode();
    }

    /** Names the cipher only: the key never appears in logs. */
    @Override
    public String toString() {
        return "Encryption[" + cipher.configName() + "]";
    }
}
