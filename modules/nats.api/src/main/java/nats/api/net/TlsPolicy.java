package nats.api.net;

import java.time.Duration;
import java.util.Set;

import javax.net.ssl.SSLContext;

/**
 * How a listener runs TLS, as a {@code tls {}} block configures it (built from the block by
 * {@code nats.transport}'s TLS loader, so every listener reads the block the same way).
 *
 * @param context          keys, certificates and trust
 * @param verify           whether client certificates are required and verified ({@code verify} or
 *                         {@code verify_and_map})
 * @param mapUsers         {@code verify_and_map}: the certificate names the user
 * @param handshakeTimeout how long a handshake may take ({@code timeout})
 * @param pinnedCerts      SHA-256 fingerprints (hex) of the only peer certificates accepted; empty for any
 * @param cipherSuites     the JSSE cipher suites in preference order; empty for the defaults
 * @param protocols        the TLS protocol versions allowed ({@code min_version})
 */
public record TlsPolicy(SSLContext context, boolean verify, boolean mapUsers, Duration handshakeTimeout,
                        Set<String> pinnedCerts, java.util.List<String> cipherSuites, java.util.List<String> protocols) {

    public TlsPolicy {
        pinnedCerts = Set.copyOf(pinnedCerts);
        cipherSuites = java.util.List.copyOf(cipherSuites);
        protocols = java.util.List.copyOf(protocols);
    }
}
