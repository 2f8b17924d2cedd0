package nats.server.tls;

import java.io.ByteArrayInputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.nats.client.Options;

/** The certificates under src/test/resources/tls (see the README there) and client SSL contexts using them. */
final class TlsFixtures {

    private TlsFixtures() {
    }

    static Path file(String name) {
        try {
            return Path.of(TlsFixtures.class.getResource("/tls/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource tls/" + name, e);
        }
    }

    /** A client context trusting the test CA, presenting {@code clientCert} when not null. */
    static SSLContext clientContext(String protocol, String clientCert, String clientKey) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate("ca.pem"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            char[] password = "test".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", pkcs8RsaKey(clientKey), password, new Certificate[] {certificate(clientCert)});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
        }
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    static SSLContext clientContext() throws Exception {
        return clientContext("TLS", null, null);
    }

    static SSLContext clientContextWithCertificate() throws Exception {
        return clientContext("TLS", "client-cert.pem", "client-key.pem");
    }

    /** jnats options for a TLS connection to 127.0.0.1 without reconnects. */
    static Options.Builder jnats(int port, SSLContext context) {
        return new Options.Builder().server("tls://127.0.0.1:" + port).sslContext(context).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(3));
    }

    static Certificate certificate(String name) throws Exception {
        return CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file(name))));
    }

    private static PrivateKey pkcs8RsaKey(String name) throws Exception {
        String pem = Files.readString(file(name), StandardCharsets.US_ASCII);
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
