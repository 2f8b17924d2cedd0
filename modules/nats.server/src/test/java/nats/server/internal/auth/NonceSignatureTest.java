package nats.server.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The INFO nonce and the CONNECT sig, as nats-server 2.9.10 nkey.go and auth.go handle them. */
class NonceSignatureTest {

    @Test
    void noncesAreFifteenUrlSafeCharactersAndDiffer() {
        String nonce = NonceSignature.newNonce();
        assertEquals(15, nonce.length(), "11 random bytes in raw URL base64 are 15 characters (Go's nonceLen)");
        assertTrue(nonce.matches("[A-Za-z0-9_-]{15}"), "only URL-safe characters, no padding: " + nonce);
        assertEquals(11, Base64.getUrlDecoder().decode(nonce).length, "decoding gives back 11 bytes");
        assertNotEquals(nonce, NonceSignature.newNonce(), "each nonce is fresh");
    }

    @Test
    void aJnatsClientSignatureVerifies() throws Exception {
        io.nats.client.NKey client = io.nats.client.NKey.createUser(new SecureRandom());
        String nonce = NonceSignature.newNonce();
        // jnats signs the nonce text and sends unpadded URL-safe base64, like every NATS client.
        byte[] raw = client.sign(nonce.getBytes(StandardCharsets.UTF_8));
        String sig = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String publicKey = new String(client.getPublicKey());
        assertTrue(NonceSignature.verify(publicKey, nonce, sig), "the client's signature of the nonce verifies");
        assertFalse(NonceSignature.verify(publicKey, NonceSignature.newNonce(), sig), "not for another nonce");
        assertFalse(NonceSignature.verify(NKeyPair.generate(NKey.Type.USER).publicKey(), nonce, sig),
                "not for another key");
    }

    @Test
    void ourSignatureVerifiesInJnats() throws Exception {
        NKeyPair pair = NKeyPair.generate(NKey.Type.USER);
        byte[] nonce = NonceSignature.newNonce().getBytes(StandardCharsets.UTF_8);
        byte[] raw = Base64.getUrlDecoder().decode(NonceSignature.sign(pair, nonce));
        assertTrue(io.nats.client.NKey.fromPublicKey(pair.publicKey().toCharArray()).verify(nonce, raw),
                "jnats accepts the signature this server would send when connecting out");
    }

    @Test
    void paddedStandardBase64IsTheFallback() {
        NKeyPair pair = NKeyPair.generate(NKey.Type.USER);
        byte[] nonce;
        String std;
        do {
            nonce = NonceSignature.newNonce().getBytes(StandardCharsets.UTF_8);
            std = Base64.getEncoder().encodeToString(pair.sign(nonce));
        } while (!std.matches(".*[+/].*"));
        assertTrue(std.endsWith("=="), "a 64-byte signature pads to 88 characters");
        assertTrue(NonceSignature.verify(pair.publicKey(), nonce, std), "Go falls back to StdEncoding");
        assertFalse(NonceSignature.verify(pair.publicKey(), nonce, std.substring(0, 86)),
                "without its padding, standard base64 holding '+' or '/' is neither encoding");
    }

    @Test
    void paddedUrlSafeBase64IsRefusedAsByGo() {
        NKeyPair pair = NKeyPair.generate(NKey.Type.USER);
        byte[] nonce;
        String urlSafe;
        do {
            nonce = NonceSignature.newNonce().getBytes(StandardCharsets.UTF_8);
            urlSafe = Base64.getUrlEncoder().encodeToString(pair.sign(nonce));
        } while (!urlSafe.matches(".*[-_].*"));
        // Raw URL decoding refuses the '=' and standard decoding refuses '-' or '_': Go rejects it, so must we.
        assertFalse(NonceSignature.verify(pair.publicKey(), nonce, urlSafe), "padded URL-safe base64 fails");
    }

    @Test
    void missingOrGarbledSignaturesFail() {
        NKeyPair pair = NKeyPair.generate(NKey.Type.USER);
        assertEquals(Optional.empty(), NonceSignature.decodeSignature(""), "an empty sig is missing");
        assertEquals(Optional.empty(), NonceSignature.decodeSignature("not base64!"), "garbage does not decode");
        assertFalse(NonceSignature.verify(pair.publicKey(), new byte[0], ""), "an empty sig fails");
        assertFalse(NonceSignature.verify("UNOTAKEY", new byte[0], "AAAA"), "a malformed nkey fails");
    }
}
