package nats.api.sessions;

import java.util.Map;

/**
 * Credentials that a listener's own config block sets for its clients instead of the server's, as Go's
 * {@code websocket {}} and {@code mqtt {}} blocks do. Given as the block itself; the kernel reads the keys Go
 * reads: {@code no_auth_user} and an {@code authorization { user, password, token, timeout }} block (the same
 * keys directly in the block, and {@code users}, are read too).
 *
 * <p>As in Go, the block overrides the server's credentials when it sets a user name, a token or a
 * {@code no_auth_user}: its single user or token replaces the server's, while users and nkeys stay the
 * server's ({@code no_auth_user} names one of them). Its {@code timeout} replaces {@code auth_timeout} for
 * these clients even without an override.
 *
 * @param block the listener's config block (only the keys above are read)
 */
public record AuthOverride(Map<String, Object> block) {

    public AuthOverride {
        block = Map.copyOf(block);
    }
}
