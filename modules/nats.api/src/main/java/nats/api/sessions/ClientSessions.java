package nats.api.sessions;

import nats.api.net.Connection;

/**
 * Client connections that plugins bring to the kernel. The kernel authenticates them (users, tokens, nkeys,
 * JWTs, {@code no_auth_user}, {@code allowed_connection_types}), binds them to an account, enforces
 * permissions and limits, counts them, raises the system events and lists them in {@code /connz} with their
 * type.
 */
public interface ClientSessions {

    /**
     * Serves the NATS client protocol over {@code connection} (e.g. the payload stream of a WebSocket) exactly
     * as on the client port: INFO, CONNECT, PUB/SUB... Blocks the calling thread, which becomes the
     * connection's reader, until the connection ends.
     */
    void serveClientProtocol(Connection connection, ClientProtocolSpec spec);

    /**
     * Authenticates a client that speaks another protocol (MQTT) and opens its session.
     *
     * @return the session, or the refusal with Go's reason
     */
    SessionOutcome open(SessionRequest request);
}
