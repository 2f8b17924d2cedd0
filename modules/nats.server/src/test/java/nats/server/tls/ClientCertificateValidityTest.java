package nats.server.tls;

import static nats.server.tls.TlsFixtures.file;
import static nats.server.tls.TlsFixtures.jnats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLContext;

import io.nats.client.Connection;
import io.nats.client.Nats;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.transport.tls.TlsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client certificate outside its validity window fails the TLS handshake, as Go's crypto/tls verification
 * refuses it ("x509: certificate has expired or is not yet valid"), also when the same client reconnects after
 * its certificate expired (jnats's TLSConnectTests.testReconnectFailsAfterCertExpires).
 */
@Timeout(60)
class ClientCertificateValidityTest {

    @TempDir
    Path dir;

    private NatsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown();
        }
    }

    private int start(ShortLivedCertificates certs) throws Exception {
        TlsOptions tls = TlsOptions.of(file("server-cert.pem"), file("server-key.pem"))
                .withVerify(true).withCaFile(certs.writeCa(dir)).withTimeout(Duration.ofSeconds(10));
        server = NatsServer.start(new ServerOptions().tls(tls).host("127.0.0.1").port(ServerOptions.RANDOM_PORT));
        return server.port();
    }

    @Test
    void validCertificateIsAccepted() throws Exception {
        ShortLivedCertificates certs = new ShortLivedCertificates();
        int port = start(certs);
        Instant now = Instant.now();
        SSLContext valid = certs.clientContext(now.minusSeconds(60), now.plusSeconds(3600));
        try (Connection nc = Nats.connect(jnats(port, valid).build())) {
            assertEquals(Connection.Status.CONNECTED, nc.getStatus(), "a certificate within its window connects");
        }
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        ShortLivedCertificates certs = new ShortLivedCertificates();
        int port = start(certs);
        Instant now = Instant.now();
        SSLContext expired = certs.clientContext(now.minusSeconds(7200), now.minusSeconds(3600));
        assertThrows(IOException.class, () -> Nats.connect(jnats(port, expired).build()).close(),
                "a certificate that expired an hour ago fails the handshake");
        assertEquals(0, server.clientCount(), "no client is left connected");
    }

    @Test
    void notYetValidCertificateIsRefused() throws Exception {
        ShortLivedCertificates certs = new ShortLivedCertificates();
        int port = start(certs);
        Instant now = Instant.now();
        SSLContext future = certs.clientContext(now.plusSeconds(3600), now.plusSeconds(7200));
        assertThrows(IOException.class, () -> Nats.connect(jnats(port, future).build()).close(),
                "a certificate valid only from an hour on fails the handshake");
    }

    @Test
    void sameClientCannotComeBackAfterItsCertificateExpired() throws Exception {
        ShortLivedCertificates certs = new ShortLivedCertificates();
        int port = start(certs);
        Instant now = Instant.now();
        // One context for both connections: its TLS session cache would offer the first session again.
        SSLContext shortLived = certs.clientContext(now.minusSeconds(60), now.plusSeconds(3));
        try (Connection nc = Nats.connect(jnats(port, shortLived).build())) {
            assertEquals(Connection.Status.CONNECTED, nc.getStatus(), "connects while the certificate is valid");
        }
        long waitMillis = Duration.between(Instant.now(), now.plusSeconds(3)).toMillis() + 1100;
        Thread.sleep(Math.max(0, waitMillis));
        assertTrue(Instant.now().isAfter(now.plusSeconds(4)), "the certificate has expired by now");
        assertThrows(IOException.class, () -> Nats.connect(jnats(port, shortLived).build()).close(),
                "the same client with its now expired certificate is refused, resumed session or not");
    }
}
