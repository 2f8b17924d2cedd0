package nats.leafnode.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Base64;

import nats.leafnode.testing.Nkeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code .creds} file: the JWT is taken as is and the nonce signed with the seed's Ed25519 key. */
class CredsFileTest {

    @TempDir
    Path dir;

    @Test
    void signsTheNonceWithTheSeed() throws Exception {
        Nkeys.Key user = Nkeys.create(Nkeys.USER);
        Path file = Files.writeString(dir.resolve("u.creds"), Nkeys.creds("header.claims.sig", user));
        byte[] nonce = "abcdefghijk".getBytes(StandardCharsets.UTF_8);
        CredsFile.Signed signed = CredsFile.sign(file, nonce);
        assertEquals("header.claims.sig", signed.jwt(), "the JWT block");
        Signature verify = Signature.getInstance("Ed25519");
        verify.initVerify(user.pair().getPublic());
        verify.update(nonce);
        assertTrue(verify.verify(Base64.getUrlDecoder().decode(signed.signature())),
                "the signature verifies with the user's public key");
    }

    @Test
    void malformedFilesAreRefused() throws Exception {
        Path oneBlock = Files.writeString(dir.resolve("a.creds"), "-----BEGIN X-----\njwt\n------END X------\n");
        assertEquals("Credentials file malformed",
                assertThrows(IOException.class, () -> CredsFile.sign(oneBlock, new byte[1])).getMessage());
        Path badSeed = Files.writeString(dir.resolve("b.creds"), Nkeys.creds("jwt", Nkeys.create(Nkeys.USER))
                .replaceFirst("\nSU", "\nSA"));
        assertEquals("Credentials file has malformed seed",
                assertThrows(IOException.class, () -> CredsFile.sign(badSeed, new byte[1])).getMessage());
    }
}
