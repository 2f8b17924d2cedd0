package nats.server.internal.client;

import java.util.Map;
import java.util.Optional;

/**
 * How the kernel treats one kind of client: its Go client type ({@code nats}, {@code websocket},
 * {@code mqtt}), the credentials that apply to it (the server's, or a listener block's own), changes to the
 * INFO it gets, a user JWT to assume when CONNECT has none (a WebSocket's JWT cookie), and the listener's
 * own authentication timeout (Go's {@code websocket { authorization { timeout } }}).
 */
public record ClientProfile(String type, Optional<Authenticator> auth, Map<String, Object> infoOverrides,
                            Optional<String> defaultJwt, Optional<java.time.Duration> authTimeout) {

    /** A plain NATS client of the client port. */
    public static final ClientProfile NATS = new ClientProfile("nats", Optional.empty(), Map.of(), Optional.empty(),
            Optional.empty());

    public ClientProfile {
        infoOverrides = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(infoOverrides));
    }

    /** CONNECT's options, with the default JWT filled in when the client sent none. */
    ConnectOptions withDefaultJwt(ConnectOptions parsed) {
        if (defaultJwt.isEmpty() || !parsed.jwt().isEmpty()) {
            return parsed;
        }
        return parsed.withJwt(defaultJwt.get());
    }
}
