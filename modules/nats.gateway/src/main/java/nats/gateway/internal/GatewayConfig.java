package nats.gateway.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import nats.transport.tls.TlsOptions;

/**
 * The {@code gateway {}} block, as Go's parseGateway reads it.
 *
 * @param name           this cluster's gateway name
 * @param host           the address the gateway listener binds
 * @param port           the gateway port; -1 for a free one
 * @param advertise      {@code host:port} announced instead of the listener's; empty for none
 * @param username       {@code authorization.user}: what a remote gateway must present; empty for none
 * @param password       {@code authorization.password} (plain or bcrypt)
 * @param authTimeout    how long an accepted gateway may take to send CONNECT
 * @param tls            TLS on every gateway connection, both ways (a remote's own {@code tls} overrides it)
 * @param connectRetries how often an implicit gateway is retried before it is forgotten
 * @param rejectUnknown  {@code reject_unknown_cluster}: refuse gateways that are not configured
 * @param gateways       the remote gateways to connect to (one may be this cluster's own, for its URLs)
 */
public record GatewayConfig(String name, String host, int port, String advertise, String username, String password,
                            Duration authTimeout, Optional<TlsOptions> tls, int connectRetries,
                            boolean rejectUnknown, List<RemoteGatewayConfig> gateways) {

    /** Go's DEFAULT_HOST for the gateway listener. */
    public static final String DEFAULT_HOST = "0.0.0.0";

    public GatewayConfig {
        gateways = List.copyOf(gateways);
    }

    /** Whether gateways run at all (Go: both a name and a port). */
    public boolean enabled() {
        return !name.isEmpty() && port != 0;
    }

    public boolean authRequired() {
        return !username.isEmpty();
    }

    /** The same block without its TLS settings (Go compares reloads so: TLS may change, nothing else). */
    public GatewayConfig withoutTls() {
        return new GatewayConfig(name, host, port, advertise, username, password, authTimeout, Optional.empty(),
                connectRetries, rejectUnknown, gateways.stream()
                .map(g -> new RemoteGatewayConfig(g.name(), g.urls(), Optional.empty())).toList());
    }

    /** The TLS for a remote: its own block, else the gateway block's. */
    public Optional<TlsOptions> tlsFor(RemoteGatewayConfig remote) {
        return remote.tls().isPresent() ? remote.tls() : tls;
    }
}
