package nats.api.sessions;

import java.util.Map;
import java.util.Optional;

import nats.api.net.Connection;

/**
 * A structured client (MQTT) asking to be let in.
 *
 * @param clientType       Go's client type ({@code mqtt}), checked against {@code allowed_connection_types}
 * @param connection       the client's connection: its addresses and TLS session (verify_and_map) are used
 * @param credentials      what the client presented
 * @param clientName       the client's name for monitoring ({@code name} in {@code /connz}), empty for none
 * @param lang             the client's library language for {@code /connz}, empty when unknown
 * @param version          the client's library or protocol version for {@code /connz}
 * @param auth             credentials that replace the server's for this kind of client; empty for the server's
 * @param events           how the kernel tells the plugin it closed the session
 * @param monitoringFields fields of the client's {@code /connz} entry known before it is admitted, so its
 *                         connect and authentication events carry them too (e.g. {@code mqtt_client}, which
 *                         Go's events show as {@code client_id}); since API 2.1
 * @param certificateUser  {@code verify_and_map} on the listener: the user is the one the client's TLS
 *                         certificate names (Go's TLSMap), and the presented credentials are not used; since
 *                         API 2.1
 */
public record SessionRequest(String clientType, Connection connection, Credentials credentials, String clientName,
                             String lang, String version, Optional<AuthOverride> auth, SessionEvents events,
                             Map<String, String> monitoringFields, boolean certificateUser) {

    public SessionRequest {
        monitoringFields = Map.copyOf(monitoringFields);
    }

    /** A request whose user is found by its credentials. */
    public SessionRequest(String clientType, Connection connection, Credentials credentials, String clientName,
                          String lang, String version, Optional<AuthOverride> auth, SessionEvents events,
                          Map<String, String> monitoringFields) {
        this(clientType, connection, credentials, clientName, lang, version, auth, events, monitoringFields, false);
    }

    /** A request without monitoring fields (API 2.0). */
    public SessionRequest(String clientType, Connection connection, Credentials credentials, String clientName,
                          String lang, String version, Optional<AuthOverride> auth, SessionEvents events) {
        this(clientType, connection, credentials, clientName, lang, version, auth, events, Map.of(), false);
    }
}
