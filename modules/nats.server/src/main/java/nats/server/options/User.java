package nats.server.options;

/**
 * A user from {@code authorization { users = [...] }}.
 *
 * @param name        the user name clients send in CONNECT
 * @param password    the password as configured: plain text, or a bcrypt hash ({@code $2a$...})
 * @param permissions what the user may publish and subscribe to
 */
public record User(String name, String password, Permissions permissions) {

    /** A user without restrictions. */
    public User(String name, String password) {
        this(name, password, Permissions.UNRESTRICTED);
    }

    @Override
    public String toString() {
        return "User[name=" + name + "]";
    }
}
