package nats.transport.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Password checks as Go's comparePasswords does them, for plugins that authenticate peers themselves (a route's
 * {@code authorization}): bcrypt when the configured password is a hash, else constant-time equality.
 */
public final class Passwords {

    private Passwords() {
    }

    /** Go's test for a bcrypt hash: a {@code $2a$}, {@code $2b$} or {@code $2y$} prefix. */
    public static boolean isBcrypt(String configured) {
        return configured.startsWith("$2a$") || configured.startsWith("$2b$") || configured.startsWith("$2y$");
    }

    /** Whether {@code given} matches {@code configured}; never throws for bad input. */
    public static boolean matches(String configured, String given) {
        if (isBcrypt(configured)) {
            try {
                return OpenBSDBCrypt.checkPassword(configured, given.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException malformed) {
                return false;
            }
        }
        return MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
