package nats.server.options;

/**
 * A user from {@code authorization { users = [...] }} or from an account's {@code users} list.
 *
 * @param name        the user name clients send in CONNECT
 * @param password    the password as configured: plain text, or a bcrypt hash ({@code $2a$...})
 * @param permissions what the user may publish and subscribe to
 * @param account     the account the user belongs to; {@link AccountConfig#GLOBAL} when none is named
 */
public record User(String name, String password, Permissions permissions, String account) {

    /** A user of the global account. */
    public User(String name, String password, Permissions permissions) {
        this(name, password, permissions, AccountConfig.GLOBAL);
    }

    /** A user of the global account without restrictions. */
    public User(String name, String password) {
        this(name, password, Permissions.UNRESTRICTED);
    }

    public User withPermissions(Permissions replaced) {
        return new User(name, password, replaced, account);
    }

    public User inAccount(String accountName) {
        return new User(name, password, permissions, accountName);
    }

    @Override
    public String toString() {
        return "User[name=" + name + ", account=" + account + "]";
    }
}
