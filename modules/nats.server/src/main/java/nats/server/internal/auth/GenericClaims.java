package nats.server.internal.auth;

import java.util.Map;

/**
 * A JWT of a kind the Go library does not model; its {@code nats} object is kept as parsed JSON. Such tokens
 * are signed over their claims segment only, as Go checks them.
 */
public record GenericClaims(ClaimsData data, GenericFields fields, Map<String, Object> nats) implements Claims {
}
