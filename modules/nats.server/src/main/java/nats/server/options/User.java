package nats.server.options;

/**
 * A user from {@code authorization { users = [...] }} or from an account's {@code users} list.
 *
 * @param name        the user name clients send in CONNECT
 * @param password    the password as configured: plain text, or a bcrypt hash ({@code $2a$...})
 * @param permissions what the user may publish and subscribe to
 * @param account     the account the user belongs to; {@link AccountConfig#GLOBAL} when none is named
 * @param nkey        the user's public nkey ({@code U...}) for an nkey user, who has no name or password;
 *                    empty otherwise
 * @param allowedConnectionTypes {@code allowed_connection_types}; empty allows every type
 */
public record User(String name, String password, Permissions permissions, String account, String nkey,
                   java.util.List<String> allowedConnectionTypes) {

    public User {
        allowedConnectionTypes = java.util.List.copyOf(allowedConnectionTypes);
    }

    public User(String name, String password, Permissions permissions, String account, String nkey) {
        this(name, password, permissions, account, nkey, java.util.List.of());
    }

    public User(String name, String password, Permissions permissions, String account) {
        this(name, password, permissions, account, "");
    }

    public User withConnectionTypes(java.util.List<String> types) {
        return new User(name, password, permissions, account, nkey, types);
    }

    /** An nkey user: authenticates by signing the server's nonce with the key. */
    public static User withNkey(String publicKey, Permissions permissions) {
        return new User("", "", permissions, AccountConfig.GLOBAL, publicKey);
    }

    public boolean isNkeyUser() {
        return !nkey.isEmpty();
    }

    /** A user of the global account. */
    public User(String name, String password, Permissions permissions) {
        this(name, password, permissions, AccountConfig.GLOBAL);
    }

    /** A user of the global account without restrictions. */
    public User(String name, String password) {
        this(name, password, Permissions.UNRESTRICTED);
    }

    public User withPermissions(Permissions replaced) {
        return new User(name, password, replaced, account, nkey, allowedConnectionTypes);
    }

    public User inAccount(String accountName) {
        return new User(name, password, permissions, accountName, nkey, allowedConnectionTypes);
    }

    @Override
    public String toString() {
        return "User[" + (isNkeyUser() ? "nkey=" + nkey : "name=" + name) + ", account=" + account + "]";
    }
}
