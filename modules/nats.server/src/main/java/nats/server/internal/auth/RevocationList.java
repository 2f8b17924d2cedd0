package nats.server.internal.auth;

import java.util.Map;

/**
 * Revoked public keys mapped to Unix seconds: tokens issued at or before that time are revoked. The key
 * {@code "*"} revokes every key.
 */
public record RevocationList(Map<String, Long> entries) {

    public static final String ALL = "*";

    static final RevocationList EMPTY = new RevocationList(Map.of());

    /** As Go's {@code RevocationList.IsRevoked} for a token of {@code publicKey} issued at {@code issuedAt}. */
    public boolean isRevoked(String publicKey, long issuedAt) {
        Long all = entries.get(ALL);
        if (all != null && all >= issuedAt) {
            return true;
        }
        Long revoked = entries.get(publicKey);
        return revoked != null && revoked >= issuedAt;
    }
}
