package nats.server.internal.client;

import nats.server.options.ServerOptions;
import nats.server.internal.account.Account;

/** What a client connection needs from the server that accepted it. */
public interface ClientHost {

    ServerOptions options();

    /** The account of clients that authenticate without naming one (and of all clients without auth). */
    Account globalAccount();

    /** The server's name, for client info in service latency metrics. */
    String serverName();

    /** Whether clients get a nonce in INFO to sign (nkey users are configured). */
    boolean nonceRequired();

    /** The INFO line (with CRLF) to greet this connection with. */
    byte[] infoLine(ClientConnection connection);

    /**
     * Checks the credentials in CONNECT (passwords in constant time or with bcrypt).
     *
     * @return the user's account and permissions, or empty when authentication fails
     */
    java.util.Optional<Authenticated> authenticate(ConnectOptions options, String nonce, String clientIp);

    /** Grants a user identified otherwise (its TLS certificate, verify_and_map) its account and permissions. */
    java.util.Optional<Authenticated> authenticateAs(nats.server.options.User user);

    /** The connection passed authentication and is now a full client. */
    void authenticated(ClientConnection connection);

    /** CONNECT was accepted in full (its options are in effect): the moment Go reports a client connect. */
    default void connected(ClientConnection connection) {
    }

    /** CONNECT's credentials were refused; the connection is about to close. */
    default void authenticationFailed(ClientConnection connection) {
    }

    /** The connection closed; forget it. */
    void removed(ClientConnection connection);

    /** Counts a connection closed as a slow consumer. */
    void countSlowConsumer();

    /** Runs {@code action} after the write deadline, to force a close the flusher could not finish. */
    void scheduleForcedClose(Runnable action);
}
