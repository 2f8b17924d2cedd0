package nats.gateway.internal;

import java.util.List;

import javax.net.ssl.SSLSession;

import nats.transport.tls.PeerCertificates;

/**
 * The names a dialling gateway's certificate offers, for Go's isGatewayAuthorized: {@code verify_and_map} and
 * {@code verify_cert_and_check_known_urls}. The rules are {@link PeerCertificates}' (shared with routes).
 */
final class CertificateNames {

    private CertificateNames() {
    }

    /** The names {@code verify_and_map} tries, in Go's order; empty when the peer sent no X.509 certificate. */
    static List<String> of(SSLSession session) {
        return PeerCertificates.namesForMapping(session);
    }

    /** Whether one of the certificate's DNS names matches one of the configured gateways' hosts. */
    static boolean dnsNameMatchesKnownHost(SSLSession session, List<String> hosts) {
        return PeerCertificates.dnsNameMatchesKnownHost(session, hosts);
    }

    /** Go's dnsAltNameMatches for one URL host. */
    static boolean dnsNameMatches(String dnsName, String host) {
        return PeerCertificates.dnsNameMatches(dnsName, host);
    }
}
