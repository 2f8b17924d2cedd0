package nats.server.internal.tls;

import java.util.List;
import java.util.Optional;

import nats.server.options.ServerOptions;
import nats.transport.tls.ServerTls;
import nats.transport.tls.TlsOptions;
import nats.transport.tls.TlsSetupException;

/**
 * The client port's TLS: the listener's {@link ServerTls} (shared with every other listener's way of loading a
 * {@code tls {}} block) plus what only client authentication needs, the verify_and_map user lookup.
 *
 * @param server      certificates, trust and engine settings
 * @param userMapping the verify_and_map lookup, when certificates name the users
 */
public record ClientTls(ServerTls server, Optional<CertificateUsers> userMapping) {

    /** The client port's TLS for these options; empty when they configure none. */
    public static Optional<ClientTls> forServer(ServerOptions options) throws TlsSetupException {
        if (options.tls().isEmpty()) {
            return Optional.empty();
        }
        TlsOptions tls = options.tls().get();
        // Go maps certificates to users only when there are users to map to (auth.go).
        Optional<CertificateUsers> mapping = tls.verifyAndMap() && !options.users().isEmpty()
                ? Optional.of(new CertificateUsers(options.users())) : Optional.empty();
        return Optional.of(new ClientTls(ServerTls.create(tls), mapping));
    }

    public TlsOptions options() {
        return server.options();
    }

    public List<String> warnings() {
        return server.warnings();
    }
}
