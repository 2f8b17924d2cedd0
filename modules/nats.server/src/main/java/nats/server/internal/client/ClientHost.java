package nats.server.internal.client;

import nats.server.options.ServerOptions;
import nats.server.internal.routing.Sublist;

/** What a client connection needs from the server that accepted it. */
public interface ClientHost {

    ServerOptions options();

    /** The routing table of the connection's account. */
    Sublist sublist();

    /** The INFO line (with CRLF) to greet this connection with. */
    byte[] infoLine(ClientConnection connection);

    /**
     * Checks the credentials in CONNECT (passwords in constant time or with bcrypt).
     *
     * @return the permissions of the authenticated user, or empty when authentication fails
     */
    java.util.Optional<nats.server.options.Permissions> authenticate(ConnectOptions options);

    /** The connection passed CONNECT and is now a full client. */
    void authenticated(ClientConnection connection);

    /** The connection closed; forget it. */
    void removed(ClientConnection connection);

    /** Counts a connection closed as a slow consumer. */
    void countSlowConsumer();

    /** Runs {@code action} after the write deadline, to force a close the flusher could not finish. */
    void scheduleForcedClose(Runnable action);
}
