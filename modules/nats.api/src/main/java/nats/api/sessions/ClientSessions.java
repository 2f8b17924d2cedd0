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

    /**
     * Checks a listener block's own credentials against the server's, as Go's option validation does before
     * the server starts: a {@code no_auth_user} must name a configured user (and is refused in operator
     * mode), and a single {@code username} or {@code token} cannot stand next to the server's users or nkeys.
     *
     * @param listener the block's name as Go's messages name it: {@code websocket} or {@code mqtt}
     * @throws SessionException with Go's text, e.g. {@code websocket authentication username not compatible
     *                          with presence of users/nkeys}
     * @since API 2.1
     */
    void checkAuthOverride(String listener, AuthOverride auth) throws SessionException;

    /**
     * Checks credentials the way the server checks a client's (users, nkeys, JWTs of the operator's accounts,
     * {@code allowed_connection_types} for {@code clientType}), without opening a session: for connections
     * that are not clients, such as a leaf node's CONNECT. When the server requires no authentication the grant
     * is the global account with no restrictions.
     *
     * @param clientType Go's connection type in lower case, e.g. {@code leafnode}
     * @param clientIp   the peer's address, for JWT source-network limits
     * @return the grant, empty when the credentials are refused
     * @since API 2.2
     */
    default java.util.Optional<ServerGrant> authenticate(String clientType, Credentials credentials, String clientIp) {
        throw new UnsupportedOperationException("this kernel does not authenticate non-client connections");
    }
}
