package nats.api.messaging;

/**
 * The client that published a message or opened a session, as Go's {@code ClientInfo} describes it in events
 * and advisories.
 *
 * @param id      the client id (cid)
 * @param account the account the client is bound to
 * @param user    the authenticated user (name, nkey or JWT subject), empty when none
 * @param name    the name the client gave in CONNECT
 * @param lang    the client library language
 * @param version the client library version
 * @param host    the client's IP address
 * @param kind    {@code Client}, {@code Leafnode}, ... as Go's {@code kind}
 * @param type    {@code nats}, {@code websocket}, {@code mqtt} as Go's {@code client_type}
 * @param rttNanos the round trip measured to the client, 0 when unknown
 */
public record ClientInfo(long id, String account, String user, String name, String lang, String version,
                         String host, String kind, String type, long rttNanos) {
}
