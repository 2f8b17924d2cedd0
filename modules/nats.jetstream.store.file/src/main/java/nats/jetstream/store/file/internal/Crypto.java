package nats.jetstream.store.file.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import nats.jetstream.store.Encryption;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;

/**
 * Encryption at rest with {@code java.base} only. Every block (and every metadata file) has its own random
 * salt; its key is HKDF-SHA256 of the configured key with that salt, so no two files share a key. Records
 * are sealed one by one with AEAD (ChaCha20-Poly1305 or AES-256-GCM), nonce = their offset in the block,
 * which is never reused under one key because blocks are append-only and rewrites get a new salt. A key
 * check value derived alongside each key tells a wrong key apart from damage.
 */
final class Crypto {

    static final int TAG = 16;
    static final int SALT = 16;
    private static final byte[] BLOCK_INFO = "jnatsd block key v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FILE_INFO = "jnatsd file key v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A derived key and its check value. */
    record Key(SecretKeySpec key, long check) {
    }

    private final Encryption.Cipher cipher;
    private final byte[] master;
    private final ConcurrentLinkedQueue<Cipher> ciphers = new ConcurrentLinkedQueue<>();

    Crypto(Encryption encryption) {
        this.cipher = encryption.cipher();
        this.master = encryption.key();
    }

    Encryption.Cipher cipher() {
        return cipher;
    }

    /** The cipher's code in file headers: 1 ChaCha20-Poly1305, 2 AES-GCM. */
    byte code() {
        return (byte) (cipher == Encryption.Cipher.CHACHA20_POLY1305 ? 1 : 2);
    }

    static byte[] newSalt() {
        byte[] salt = new byte[SALT];
        RANDOM.nextBytes(salt);
        return salt;
    }

    /** The key of a block with {@code salt}. */
    Key blockKey(byte[] salt) {
        return derive(salt, BLOCK_INFO);
    }

    private Key derive(byte[] salt, byte[] info) {
        try {
            KDF kdf = KDF.getInstance("HKDF-SHA256");
            byte[] material = kdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(master).addSalt(salt)
                    .thenExpand(info, 40));
            String algorithm = cipher == Encryption.Cipher.CHACHA20_POLY1305 ? "ChaCha20" : "AES";
            long check = RecordFormat.getLong(material, 32);
            SecretKeySpec key = new SecretKeySpec(Arrays.copyOf(material, 32), algorithm);
            Arrays.fill(material, (byte) 0);
            return new Key(key, check);
        } catch (GeneralSecurityException e) {
            throw new StoreException(Kind.IO, "deriving an encryption key failed: " + e.getMessage(), e);
        }
    }

    /**
     * Seals {@code length} bytes at {@code offset} in place, appending the tag; the AAD is
     * {@code aadLength} bytes at {@code aadOffset}.
     */
    void seal(Key key, long nonce, byte[] buffer, int aadOffset, int aadLength, int offset, int length) {
        Cipher c = borrow();
        try {
            c.init(Cipher.ENCRYPT_MODE, key.key(), spec(nonce));
            c.updateAAD(buffer, aadOffset, aadLength);
            c.doFinal(buffer, offset, length, buffer, offset);
        } catch (GeneralSecurityException e) {
            throw new StoreException(Kind.IO, "encrypting a record failed: " + e.getMessage(), e);
        } finally {
            ciphers.offer(c);
        }
    }

    /**
     * Opens what {@link #seal} wrote: {@code length} bytes (tag included) at {@code offset} into a new
     * array; {@code null} if authentication fails (damage or a wrong key).
     */
    byte[] open(Key key, long nonce, byte[] buffer, int aadOffset, int aadLength, int offset, int length) {
        Cipher c = borrow();
        try {
            c.init(Cipher.DECRYPT_MODE, key.key(), spec(nonce));
            c.updateAAD(buffer, aadOffset, aadLength);
            return c.doFinal(buffer, offset, length);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new StoreException(Kind.IO, "decrypting a record failed: " + e.getMessage(), e);
        } finally {
            ciphers.offer(c);
        }
    }

    /** Seals a whole file's content: salt, then the sealed bytes. */
    byte[] sealFile(byte[] plain) {
        byte[] salt = newSalt();
        Key key = derive(salt, FILE_INFO);
        byte[] out = new byte[SALT + 8 + plain.length + TAG];
        System.arraycopy(salt, 0, out, 0, SALT);
        RecordFormat.putLong(out, SALT, key.check());
        System.arraycopy(plain, 0, out, SALT + 8, plain.length);
        seal(key, 0, out, 0, SALT, SALT + 8, plain.length);
        return out;
    }

    /**
     * Opens what {@link #sealFile} wrote.
     *
     * @throws StoreException {@link Kind#WRONG_KEY} when the file was sealed with another key
     */
    byte[] openFile(byte[] sealed, String what) {
        if (sealed.length < SALT + 8 + TAG) {
            return null;
        }
        Key key = derive(Arrays.copyOf(sealed, SALT), FILE_INFO);
        if (key.check() != RecordFormat.getLong(sealed, SALT)) {
            throw wrongKey(what);
        }
        return open(key, 0, sealed, 0, SALT, SALT + 8, sealed.length - SALT - 8);
    }

    static StoreException wrongKey(String what) {
        return new StoreException(Kind.WRONG_KEY, "encryption key mismatch: " + what
                + " was encrypted with another key (check the jetstream 'key')");
    }

    private AlgorithmParameterSpec spec(long nonce) {
        byte[] iv = new byte[12];
        RecordFormat.putLong(iv, 4, nonce);
        return cipher == Encryption.Cipher.CHACHA20_POLY1305 ? new IvParameterSpec(iv) : new GCMParameterSpec(128, iv);
    }

    private Cipher borrow() {
        Cipher c = ciphers.poll();
        if (c != null) {
            return c;
        }
        try {
            return Cipher.getInstance(cipher == Encryption.Cipher.CHACHA20_POLY1305
                    ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new StoreException(Kind.IO, "cipher " + cipher.configName() + " is not available: " + e, e);
        }
    }
}
