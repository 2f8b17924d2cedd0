package nats.api;

/**
 * Who the server is, as announced to clients.
 *
 * @param serverId      the public server id announced in INFO
 * @param serverName    the configured name (defaults to the id)
 * @param serverVersion the NATS protocol-level version announced in INFO
 */
public record ServerIdentity(String serverId, String serverName, String serverVersion) {
}
