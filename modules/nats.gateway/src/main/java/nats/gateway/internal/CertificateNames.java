package nats.gateway.internal;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

import nats.transport.tls.SubjectAlternativeNames;

/**
 * The names a dialling gateway's certificate offers for {@code verify_and_map}, in the order Go's
 * checkClientTLSCertSubject tries them (auth.go): e-mail addresses, DNS names and URIs of the subject alternative
 * names, then the subject as RFC 2253 text. Go's isGatewayAuthorized accepts the connection when one of them is
 * the gateway {@code authorization}'s user. Not covered: the subject with domain components appended.
 */
final class CertificateNames {

    private CertificateNames() {
    }

    /** The names, empty when the peer sent no X.509 certificate. */
    static List<String> of(SSLSession session) {
        List<String> names = new ArrayList<>();
        X509Certificate cert = peer(session);
        if (cert == null) {
            return names;
        }
        for (int type : SubjectAlternativeNames.GO_ORDER) {
            names.addAll(SubjectAlternativeNames.of(cert, type));
        }
        names.add(cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
        return names;
    }

    /**
     * Go's isGatewayAuthorized with {@code verify_cert_and_check_known_urls}: one of the certificate's DNS names
     * matches the host of one of {@code hosts} (the configured gateways' URLs) as Go's dnsAltNameMatches (RFC 6125
     * section 6.4: labels compared without case, a {@code *} only as the whole left-most label, standing for one
     * label). As Go's checkClientTLSCertSubject, a certificate with neither a subject, nor e-mail addresses, nor
     * URIs passes nothing.
     */
    static boolean dnsNameMatchesKnownHost(SSLSession session, List<String> hosts) {
        X509Certificate cert = peer(session);
        if (cert == null) {
            return false;
        }
        boolean subject = !cert.getSubjectX500Principal().getName().isEmpty();
        if (!subject && SubjectAlternativeNames.of(cert, SubjectAlternativeNames.EMAIL).isEmpty()
                && SubjectAlternativeNames.of(cert, SubjectAlternativeNames.URI).isEmpty()) {
            return false;
        }
        for (String dns : SubjectAlternativeNames.of(cert, SubjectAlternativeNames.DNS)) {
            if (!dns.isEmpty() && hosts.stream().anyMatch(host -> dnsNameMatches(dns, host))) {
                return true;
            }
        }
        return false;
    }

    /** Go's dnsAltNameMatches for one URL host. */
    static boolean dnsNameMatches(String dnsName, String host) {
        String[] name = dnsName.toLowerCase(Locale.ROOT).split("\\.", -1);
        String[] labels = host.toLowerCase(Locale.ROOT).split("\\.", -1);
        if (name.length != labels.length) {
            return false;
        }
        for (int i = name[0].equals("*") ? 1 : 0; i < name.length; i++) {
            if (!name[i].equals(labels[i])) {
                return false;
            }
        }
        return true;
    }

    private static X509Certificate peer(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

}
