package nats.api.sessions;

import java.util.Optional;

import nats.api.net.Connection;

/**
 * A structured client (MQTT) asking to be let in.
 *
 * @param clientType  Go's client type ({@code mqtt}), checked against {@code allowed_connection_types}
 * @param connection  the client's connection: its addresses and TLS session (verify_and_map) are used
 * @param credentials what the client presented
 * @param clientName  the client's own name for monitoring (an MQTT client id)
 * @param lang        the client's library language for {@code /connz}, empty when unknown
 * @param version     the client's library or protocol version for {@code /connz}
 * @param auth        credentials that replace the server's for this kind of client; empty for the server's
 * @param events      how the kernel tells the plugin it closed the session
 */
public record SessionRequest(String clientType, Connection connection, Credentials credentials, String clientName,
                             String lang, String version, Optional<AuthOverride> auth, SessionEvents events) {
}
