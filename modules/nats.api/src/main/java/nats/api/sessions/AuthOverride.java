package nats.api.sessions;

import java.util.Map;

/**
 * Credentials that a listener's own config block sets for its clients instead of the server's, as Go's
 * {@code websocket {}} and {@code mqtt {}} blocks do. Given as the block itself; the kernel reads the keys Go
 * reads: {@code username}, {@code password}, {@code token}, {@code users}, {@code no_auth_user}, and an
 * {@code authorization { ... }} block with the same keys.
 *
 * @param block the listener's config block (only the keys above are read)
 */
public record AuthOverride(Map<String, Object> block) {

    public AuthOverride {
        block = Map.copyOf(block);
    }
}
