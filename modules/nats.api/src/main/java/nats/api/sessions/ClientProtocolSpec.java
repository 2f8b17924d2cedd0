package nats.api.sessions;

import java.util.Map;
import java.util.Optional;

/**
 * How the kernel serves the NATS client protocol for a plugin.
 *
 * @param clientType    Go's client type, shown in {@code /connz} and events and checked against
 *                      {@code allowed_connection_types}: {@code websocket}
 * @param auth          credentials that replace the server's for these clients (a {@code websocket {}} block's
 *                      {@code username}/{@code password}/{@code token}/{@code users}/{@code no_auth_user});
 *                      empty to use the server's
 * @param infoOverrides INFO fields set (or, with a null value, removed) for these clients, e.g.
 *                      {@code tls_required} on a WebSocket whose TLS is the WebSocket's own
 * @param jwt           a user JWT to use when CONNECT carries none (Go's {@code jwt_cookie}); empty for none
 */
public record ClientProtocolSpec(String clientType, Optional<AuthOverride> auth, Map<String, Object> infoOverrides,
                                 Optional<String> jwt) {
}
