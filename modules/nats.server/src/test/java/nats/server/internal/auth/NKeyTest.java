package nats.server.internal.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;

import io.nats.client.NKey.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Nkey encoding, decoding, signing and verifying, cross-checked against jnats's implementation. */
class NKeyTest {

    private static final byte[] DATA = "the nonce or any bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void crc16IsXmodem() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x31C3, Crc16.of(check, 0, check.length), "the CRC-16/XMODEM check value of \"123456789\"");
    }

    @Test
    void base32RoundTripsEveryLengthAndSkipsLineBreaksAsGoDoes() {
        SecureRandom random = new SecureRandom();
        for (int length = 0; length < 40; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            String encoded = Base32.encode(data);
            assertFalse(encoded.contains("="), "no padding");
            assertArrayEquals(data, Base32.decode(encoded), "round trip of " + length + " bytes");
        }
        assertArrayEquals("foobar".getBytes(StandardCharsets.US_ASCII), Base32.decode("MZXW\r\n6YTBOI"),
                "CR and LF are ignored anywhere");
        assertThrows(IllegalArgumentException.class, () -> Base32.decode("mzxw6ytboi"), "lower case is not base32");
    }

    @Test
    void base32DropsAFinalGroupTooShortForAByteAsGoDoes() {
        byte[] five = Base32.decode("MZXW6YQA");
        for (String tail : new String[] {"A", "AAA", "AAAAAA"}) {
            assertArrayEquals(five, Base32.decode("MZXW6YQA" + tail),
                    "a trailing group of " + tail.length() + " characters adds nothing");
        }
        assertEquals(6, Base32.decode("MZXW6YQAAA").length, "two trailing characters still make a byte");
    }

    @ParameterizedTest
    @EnumSource(value = NKey.Type.class, names = {"OPERATOR", "ACCOUNT", "USER", "SERVER", "CLUSTER"})
    void pairsHaveTheirTypeLettersAndRoundTripThroughTheSeed(NKey.Type type) {
        NKeyPair pair = NKeyPair.generate(type);
        assertEquals(type.letter(), pair.publicKey().charAt(0), "public key starts with the type letter");
        assertEquals("S" + type.letter(), pair.seed().substring(0, 2), "seed starts with S and the type letter");
        assertEquals(56, pair.publicKey().length(), "35 bytes of public key frame make 56 characters");
        assertEquals(58, pair.seed().length(), "36 bytes of seed frame make 58 characters");
        NKeyPair again = NKeyPair.fromSeed(pair.seed());
        assertEquals(type, again.type(), "the seed carries the type");
        assertEquals(pair.publicKey(), again.publicKey(), "the seed derives the same public key");
        assertEquals(Optional.of(type), NKey.publicKeyType(pair.publicKey()), "the public key carries the type");
        assertFalse(pair.toString().contains(pair.seed()), "toString never shows the seed");
    }

    @Test
    void typeLettersAreTheDocumentedOnes() {
        assertEquals("ONCAUX", "" + NKey.Type.OPERATOR.letter() + NKey.Type.SERVER.letter() + NKey.Type.CLUSTER.letter()
                + NKey.Type.ACCOUNT.letter() + NKey.Type.USER.letter() + NKey.Type.CURVE.letter(),
                "prefix bytes 14<<3, 13<<3, 2<<3, 0, 20<<3 and 23<<3 encode to O, N, C, A, U, X");
    }

    @Test
    void jnatsKeysDecodeAndVerifyHere() throws Exception {
        io.nats.client.NKey theirs = io.nats.client.NKey.createUser(new SecureRandom());
        String publicKey = new String(theirs.getPublicKey());
        byte[] signature = theirs.sign(DATA);
        assertTrue(NKey.isValidPublicKey(publicKey, NKey.Type.USER), "a jnats user key is a valid user key here");
        assertTrue(NKey.verify(publicKey, DATA, signature), "a jnats signature verifies here");
        assertFalse(NKey.verify(publicKey, "other bytes".getBytes(StandardCharsets.UTF_8), signature),
                "the signature does not cover other data");
        NKeyPair fromTheirSeed = NKeyPair.fromSeed(new String(theirs.getSeed()));
        assertEquals(publicKey, fromTheirSeed.publicKey(), "a jnats seed derives the same public key here");
        assertArrayEquals(signature, fromTheirSeed.sign(DATA), "ed25519 signatures are deterministic: same bytes");
    }

    @Test
    void ourKeysDecodeAndVerifyInJnats() throws Exception {
        NKeyPair ours = NKeyPair.generate(NKey.Type.ACCOUNT);
        byte[] signature = ours.sign(DATA);
        io.nats.client.NKey theirPublic = io.nats.client.NKey.fromPublicKey(ours.publicKey().toCharArray());
        assertTrue(theirPublic.verify(DATA, signature), "jnats verifies our signature");
        io.nats.client.NKey theirPair = io.nats.client.NKey.fromSeed(ours.seed().toCharArray());
        assertEquals(Type.ACCOUNT, theirPair.getType(), "jnats reads the type from our seed");
        assertEquals(ours.publicKey(), new String(theirPair.getPublicKey()), "jnats derives the same public key");
        assertTrue(io.nats.client.NKey.isValidPublicAccountKey(ours.publicKey().toCharArray()),
                "jnats accepts our account key");
    }

    @Test
    void serverIdIsARealServerKey() throws Exception {
        String serverId = NKeyPair.generate(NKey.Type.SERVER).publicKey();
        assertTrue(serverId.startsWith("N"), "server ids start with N as in Go");
        assertTrue(io.nats.client.NKey.isValidPublicServerKey(serverId.toCharArray()), "jnats sees a server key");
    }

    @Test
    void aKeyOfAnotherTypeIsRejected() {
        String user = NKeyPair.generate(NKey.Type.USER).publicKey();
        assertFalse(NKey.isValidPublicKey(user, NKey.Type.ACCOUNT), "a user key is not an account key");
        NKeyException e = assertThrows(NKeyException.class, () -> NKey.decodePublicKey(user, NKey.Type.OPERATOR),
                "decoding as another type fails");
        assertEquals("nkeys: invalid prefix byte", e.getMessage(), "with nkeys' message");
    }

    @Test
    void aSeedIsNotAPublicKey() {
        NKeyPair pair = NKeyPair.generate(NKey.Type.USER);
        assertEquals(Optional.empty(), NKey.publicKeyType(pair.seed()), "a seed has no public key type");
        assertFalse(NKey.verify(pair.seed(), DATA, pair.sign(DATA)), "nothing verifies against a seed");
        assertThrows(NKeyException.class, () -> NKeyPair.fromSeed(pair.publicKey()), "a public key is no seed");
    }

    @Test
    void aChangedCharacterBreaksTheChecksum() {
        String key = NKeyPair.generate(NKey.Type.USER).publicKey();
        char[] chars = key.toCharArray();
        chars[20] = chars[20] == 'A' ? 'B' : 'A';
        String tampered = new String(chars);
        NKeyException e = assertThrows(NKeyException.class, () -> NKey.decodePublicKey(tampered, NKey.Type.USER),
                "one changed character is caught");
        assertEquals("nkeys: invalid checksum", e.getMessage(), "by the CRC");
        assertFalse(NKey.isValidPublicKey(tampered, NKey.Type.USER), "and the key is not valid");
    }

    @Test
    void wrongLengthsAreRejectedEvenWithAGoodChecksum() {
        String short31 = NKeyEncoding.encode(new byte[] {(byte) NKey.Type.USER.prefix()}, new byte[31]);
        assertThrows(NKeyException.class, () -> NKey.decodePublicKey(short31, NKey.Type.USER), "31 key bytes");
        assertFalse(NKey.isValidPublicKey(short31), "is no public key");
        assertThrows(NKeyException.class, () -> NKey.decodePublicKey("UAB", NKey.Type.USER), "a stub");
        assertThrows(NKeyException.class, () -> NKey.decodePublicKey("", NKey.Type.USER), "nothing");
        String seed33 = NKeyEncoding.encode(NKeyEncoding.seedPrefix(NKey.Type.USER.prefix()), new byte[33]);
        NKeyException e = assertThrows(NKeyException.class, () -> NKeyPair.fromSeed(seed33), "a 33-byte seed");
        assertEquals("nkeys: invalid seed length", e.getMessage(), "is refused for its length");
    }

    @Test
    void lineBreaksInsideAKeyAreIgnoredAsInGo() {
        NKeyPair pair = NKeyPair.generate(NKey.Type.USER);
        String broken = pair.publicKey().substring(0, 30) + "\r\n" + pair.publicKey().substring(30);
        assertTrue(NKey.verify(broken, DATA, pair.sign(DATA)), "Go's base32 decoder skips CR and LF");
        assertEquals(pair.publicKey(), NKeyPair.fromSeed(pair.seed() + "\n").publicKey(),
                "a seed line read with its newline still works");
    }

    @Test
    void curveKeysNeitherSignNorVerify() {
        String curve = NKey.encodePublicKey(NKey.Type.CURVE, new byte[32]);
        assertTrue(curve.startsWith("X"), "curve keys start with X");
        assertTrue(NKey.isValidPublicKey(curve, NKey.Type.CURVE), "and decode as curve keys");
        assertFalse(NKey.verify(curve, DATA, new byte[64]), "but verify nothing, as in nkeys v0.3.0");
        assertThrows(IllegalArgumentException.class, () -> NKeyPair.generate(NKey.Type.CURVE), "nor generate");
    }

    @Test
    void tamperedSignaturesAndWrongKeysFail() {
        NKeyPair pair = NKeyPair.generate(NKey.Type.USER);
        byte[] signature = pair.sign(DATA);
        byte[] flipped = signature.clone();
        flipped[10] ^= 1;
        assertFalse(NKey.verify(pair.publicKey(), DATA, flipped), "a flipped bit fails");
        assertFalse(NKey.verify(NKeyPair.generate(NKey.Type.USER).publicKey(), DATA, signature), "another key fails");
        assertFalse(NKey.verify(pair.publicKey(), DATA, new byte[63]), "a short signature fails");
        assertFalse(NKey.verify(pair.publicKey(), DATA, new byte[64]), "a zero signature fails");
    }
}
