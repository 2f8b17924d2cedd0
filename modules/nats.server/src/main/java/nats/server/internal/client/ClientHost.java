package nats.server.internal.client;

import java.util.Optional;

import nats.server.internal.account.Account;
import nats.server.options.ServerOptions;
import nats.server.options.User;

/** What a client needs from the server that accepted it. */
public interface ClientHost {

    ServerOptions options();

    /** The account of clients that authenticate without naming one (and of all clients without auth). */
    Account globalAccount();

    /** Message tracing (Go 2.11): starts a trace for a published message that asks for one. */
    nats.server.internal.trace.MessageTracer tracer();

    /** The server's name, for client info in service latency metrics. */
    String serverName();

    /** Whether clients get a nonce in INFO to sign (nkey users are configured). */
    boolean nonceRequired();

    /** The INFO line (with CRLF) to greet this connection with. */
    byte[] infoLine(ClientConnection connection);

    /** Whether clients of this profile must authenticate. */
    boolean authRequired(ClientProfile profile);

    /**
     * Checks the credentials in CONNECT against the profile's credentials (the server's unless a listener
     * has its own).
     *
     * @return the user's account and permissions, or empty when authentication fails
     */
    Optional<Authenticated> authenticate(ClientProfile profile, ConnectOptions options, String nonce, String clientIp);

    /** Grants a user identified otherwise (its TLS certificate, verify_and_map) its account and permissions. */
    Optional<Authenticated> authenticateAs(User user);

    /** The client passed authentication and is now a full client. */
    void authenticated(Client client);

    /** CONNECT was accepted in full (its options are in effect): the moment Go reports a client connect. */
    default void connected(Client client) {
    }

    /** The credentials were refused; the client is about to close. */
    default void authenticationFailed(Client client) {
    }

    /** The client closed; forget it. */
    void removed(Client client);

    /**
     * Whether the INFO changed ({@code connect_urls}) after {@code nanos} (System.nanoTime): a client that
     * connected before the change gets the new INFO with its first PONG, as Go sends it.
     */
    default boolean infoChangedSince(long nanos) {
        return false;
    }

    /** Counts a connection closed as a slow consumer. */
    void countSlowConsumer();

    /** Runs {@code action} after the write deadline, to force a close the flusher could not finish. */
    void scheduleForcedClose(Runnable action);
}
