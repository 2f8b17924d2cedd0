package nats.server.options;

import java.util.List;

/**
 * One set of client credentials: the server's ({@code authorization {}}, {@code --user}, ...) or a listener
 * block's own ({@code websocket { username, password, token, no_auth_user }}, {@code mqtt { authorization {} }}).
 *
 * @param token      the authorization token, empty for none
 * @param username   the single user's name, empty for none
 * @param password   the single user's password (plain or bcrypt)
 * @param users      users with their own passwords or nkeys, accounts and permissions
 * @param noAuthUser the user a client without credentials becomes, empty for none
 */
public record AuthSettings(String token, String username, String password, List<User> users, String noAuthUser) {

    public static final AuthSettings NONE = new AuthSettings("", "", "", List.of(), "");

    public AuthSettings {
        users = List.copyOf(users);
    }

    /** Whether these settings ask anything of clients. */
    public boolean configured() {
        return !token.isEmpty() || !username.isEmpty() || !users.isEmpty();
    }

    /** The server-wide credentials of {@code options}. */
    public static AuthSettings of(ServerOptions options) {
        return new AuthSettings(options.authToken(), options.username(), options.password(), options.users(),
                options.noAuthUser());
    }
}
