package nats.transport.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * What a dialling server's certificate offers to authorize it on a route or gateway, as Go's
 * checkClientTLSCertSubject reads it (auth.go): for {@code verify_and_map} its names in the order Go tries them
 * (e-mail addresses, DNS names, URIs, then the subject as RFC 2253 text), for
 * {@code verify_cert_and_check_known_urls} whether one of its DNS names matches a configured URL's host. Not
 * covered: the subject with domain components appended.
 */
public final class PeerCertificates {

    private PeerCertificates() {
    }

    /** The names {@code verify_and_map} compares with the authorization's user; empty without an X.509 certificate. */
    public static List<String> namesForMapping(SSLSession session) {
        List<String> names = new ArrayList<>();
        Optional<X509Certificate> cert = first(session);
        if (cert.isEmpty()) {
            return names;
        }
        for (int type : SubjectAlternativeNames.GO_ORDER) {
            names.addAll(SubjectAlternativeNames.of(cert.get(), type));
        }
        names.add(cert.get().getSubjectX500Principal().getName(X500Principal.RFC2253));
        return names;
    }

    /**
     * Go's {@code verify_cert_and_check_known_urls}: one of the certificate's DNS names matches one of {@code hosts}
     * (the hosts of the configured route or gateway URLs) as Go's dnsAltNameMatches. As Go's
     * checkClientTLSCertSubject, a certificate with neither a subject, nor e-mail addresses, nor URIs passes nothing.
     */
    public static boolean dnsNameMatchesKnownHost(SSLSession session, List<String> hosts) {
        Optional<X509Certificate> found = first(session);
        if (found.isEmpty()) {
            return false;
        }
        X509Certificate cert = found.get();
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

    /**
     * Go's dnsAltNameMatches for one host (RFC 6125 section 6.4): labels compared without case, a {@code *} only
     * as the whole left-most label, standing for exactly one label.
     */
    public static boolean dnsNameMatches(String dnsName, String host) {
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

    private static Optional<X509Certificate> first(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? Optional.of(x509) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }
}
