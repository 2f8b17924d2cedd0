package nats.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** Password checks as the Go server does them: bcrypt hashes when configured so, else constant-time equality. */
public final class Passwords {

    private Passwords() {
    }

    /** Whether a configured password is a bcrypt hash, by the Go server's test (a {@code $2} prefix). */
    public static boolean isBcrypt(String configured) {
        return configured.startsWith("$2a$") || configured.startsWith("$2b$") || configured.startsWith("$2y$");
    }

    /** Whether {@code given} (from CONNECT) matches {@code configured}; never throws for bad input. */
    public static boolean matches(String configured, String given) {
        if (isBcrypt(configured)) {
            try {
                return OpenBSDBCrypt.checkPassword(configured, given.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException malformed) {
                // BouncyCastle rejects a malformed hash with various runtime exceptions: it matches nobody.
                return false;
            }
        }
        return equalsInConstantTime(configured, given);
    }

    /** String equality whose time does not depend on where the strings differ (for secrets and user names). */
    public static boolean equalsInConstantTime(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }
}
