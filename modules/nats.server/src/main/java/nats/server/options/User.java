package nats.server.options;

/**
 * A user from {@code authorization { users = [...] }}.
 *
 * @param name     the user name clients send in CONNECT
 * @param password the password as configured: plain text, or a bcrypt hash ({@code $2a$...})
 */
public record User(String name, String password) {

    @Override
    public String toString() {
        return "User[name=" + name + "]";
    }
}
