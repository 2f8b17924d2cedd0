package nats.server.internal.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

/** Password checks: bcrypt hashes as the Go server accepts them, plain text compared exactly. */
class PasswordsTest {

    @Test
    void bcryptHashesMatchTheirPasswordOnly() {
        String hash = OpenBSDBCrypt.generate("2a", "wonderland".toCharArray(), new byte[16], 4);
        assertTrue(Passwords.isBcrypt(hash), "a $2a$ hash is recognised");
        assertTrue(Passwords.matches(hash, "wonderland"), "the right password matches its hash");
        assertFalse(Passwords.matches(hash, "Wonderland"), "a different password does not");
        assertFalse(Passwords.matches(hash, ""), "an empty password does not");
    }

    @Test
    void malformedHashNeverMatchesAndNeverThrows() {
        assertFalse(Passwords.matches("$2a$11$tooshort", "anything"), "a broken hash rejects everyone");
    }

    @Test
    void plainPasswordsCompareExactly() {
        assertFalse(Passwords.isBcrypt("s3cret"), "plain text is not a hash");
        assertTrue(Passwords.matches("s3cret", "s3cret"), "equal strings match");
        assertFalse(Passwords.matches("s3cret", "s3cret "), "a trailing space does not match");
        assertFalse(Passwords.matches("s3cret", ""), "an empty password does not match");
    }
}
