package nats.server.internal.auth;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The keys that may sign an account's users. A scoped key carries a {@link UserScope}: users it signs get the
 * scope's template instead of their own permissions.
 */
public record SigningKeys(Map<String, Optional<UserScope>> entries) {

    static final SigningKeys NONE = new SigningKeys(Map.of());

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The scope of a scoped signing key; empty for plain keys and unknown keys alike. */
    public Optional<UserScope> scope(String key) {
        return entries.getOrDefault(key, Optional.empty());
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    /** A scoped signing key (JSON kind "user_scope"): the key, a role name and the users' template. */
    public record UserScope(String key, String role, UserPermissionLimits template) {
    }
}
