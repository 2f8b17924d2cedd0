package nats.server.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Reading .creds files as nats-server reads them for leafnode remotes and as jwt reads decorated JWTs. */
class CredsFileTest {

    private final NKeyPair account = NKeyPair.generate(NKey.Type.ACCOUNT);
    private final NKeyPair user = NKeyPair.generate(NKey.Type.USER);
    private final String jwt = TestJwts.sign(account, """
            {"iss":"%s","sub":"%s","nats":{"type":"user","version":2}}""".formatted(account.publicKey(), user.publicKey()));

    /** The layout nsc and the Go library's FormatUserConfig write. */
    private String creds() {
        return """
                -----BEGIN NATS USER JWT-----
                %s
                ------END NATS USER JWT------

                ************************* IMPORTANT *************************
                NKEY Seed printed below can be used to sign and prove identity.
                NKEYs are sensitive and should be treated as secrets.

                -----BEGIN USER NKEY SEED-----
                %s
                ------END USER NKEY SEED------

                *************************************************************
                """.formatted(jwt, user.seed());
    }

    @Test
    void aCredsFileGivesItsJwtAndSeed() {
        CredsFile creds = CredsFile.parse(creds());
        assertEquals(jwt, creds.jwt(), "the first block is the JWT");
        assertEquals(user.publicKey(), creds.nkey().publicKey(), "the second block is the user's seed");
        assertEquals(user.publicKey(), Jwt.decode(creds.jwt(), UserClaims.class).data().subject(),
                "and the JWT names that user");
    }

    @Test
    void aFileWithoutTwoBlocksIsMalformed() {
        String jwtOnly = "-----BEGIN NATS USER JWT-----\n" + jwt + "\n------END NATS USER JWT------\n";
        assertThrows(NKeyException.class, () -> CredsFile.parse(jwtOnly), "a JWT alone is not credentials");
        assertThrows(NKeyException.class, () -> CredsFile.parse(""), "nor is nothing");
        String badSeed = creds().replace(user.seed(), user.publicKey());
        assertThrows(NKeyException.class, () -> CredsFile.parse(badSeed), "a public key where the seed belongs");
    }

    @Test
    void decoratedJwtFilesGiveTheirJwtAndPlainFilesThemselves() {
        assertEquals(jwt, CredsFile.decoratedJwt(creds()), "the first decorated block");
        assertEquals(jwt, CredsFile.decoratedJwt(creds().replace("\n", "\r\n")), "CRLF files too");
        assertEquals(jwt + "\n", CredsFile.decoratedJwt(jwt + "\n"), "an undecorated file is returned whole");
    }
}
