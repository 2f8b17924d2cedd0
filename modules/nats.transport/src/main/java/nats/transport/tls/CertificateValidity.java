package nats.transport.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client certificate outside its validity window is refused, as Go's crypto/tls refuses it: on a full
 * handshake (its verification, with Go's message) and on a resumed one, where the JDK would take the
 * session's cached certificate without looking at its dates again (Go does not resume a session whose
 * client certificate has expired, and the full handshake then fails).
 */
final class CertificateValidity {

    private CertificateValidity() {
    }

    /** The handshake's client certificate (if any) outside its validity window: Go's reason; empty when valid. */
    static java.util.Optional<String> expiredPeer(javax.net.ssl.SSLSession session) {
        try {
            java.security.cert.Certificate[] peer = session.getPeerCertificates();
            if (peer.length > 0 && peer[0] instanceof X509Certificate leaf) {
                check(leaf);
            }
            return java.util.Optional.empty();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return java.util.Optional.empty(); // no client certificate
        } catch (CertificateException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /** Throws with Go's message when {@code leaf} is not valid now. */
    static void check(X509Certificate leaf) throws CertificateException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant notBefore = leaf.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            throw invalid("current time " + now + " is after " + notAfter);
        }
        if (now.isBefore(notBefore)) {
            throw invalid("current time " + now + " is before " + notBefore);
        }
    }

    private static CertificateException invalid(String detail) {
        return new CertificateException("tls: failed to verify client certificate: x509: certificate has expired "
                + "or is not yet valid: " + detail);
    }

    /** The JDK's trust manager with the leaf's dates checked first, so the handshake fails with Go's reason. */
    static X509ExtendedTrustManager checking(X509ExtendedTrustManager delegate) {
        return new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                checkLeaf(chain);
                delegate.checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                checkLeaf(chain);
                delegate.checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                checkLeaf(chain);
                delegate.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                delegate.checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                delegate.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                delegate.checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return delegate.getAcceptedIssuers();
            }
        };
    }

    private static void checkLeaf(X509Certificate[] chain) throws CertificateException {
        if (chain != null && chain.length > 0) {
            check(chain[0]);
        }
    }
}
