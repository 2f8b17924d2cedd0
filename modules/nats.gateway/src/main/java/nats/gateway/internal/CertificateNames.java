package nats.gateway.internal;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

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
        X509Certificate cert;
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate x509)) {
                return names;
            }
            cert = x509;
        } catch (SSLPeerUnverifiedException e) {
            return names;
        }
        for (int type : SubjectAlternativeNames.GO_ORDER) {
            names.addAll(SubjectAlternativeNames.of(cert, type));
        }
        names.add(cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
        return names;
    }

}
