package nats.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

import io.nats.client.Connection;
import io.nats.client.Nats;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reload reads the certificates again: new connections get the new one, existing clients stay. */
@Timeout(60)
class TlsReloadTest {

    private static final String CONFIG = """
            host: 127.0.0.1
            port: -1
            tls { cert_file: "%s", key_file: "%s" }
            """;

    private static ServerOptions load(Path conf) throws Exception {
        ServerOptions o = new ServerOptions();
        ConfigFiles.load(conf, o, true);
        return o;
    }

    @Test
    void certificatesAreReloaded(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("tls.conf");
        Files.writeString(conf, CONFIG.formatted(TlsFixtures.file("server-cert.pem"), TlsFixtures.file("server-key.pem")));
        try (NatsServer server = NatsServer.start(load(conf));
             Connection before = Nats.connect(TlsFixtures.jnats(server.port(), TlsFixtures.clientContext()).build())) {
            before.flush(Duration.ofSeconds(2));
            assertEquals("RSA", serverKeyAlgorithm(server.port()));

            Files.writeString(conf, CONFIG.formatted(TlsFixtures.file("server-ec-cert.pem"),
                    TlsFixtures.file("server-ec-key.pem")));
            server.reload(load(conf));
            assertEquals("EC", serverKeyAlgorithm(server.port()), "a new connection sees the new certificate");
            assertEquals(Connection.Status.CONNECTED, before.getStatus(), "the existing client keeps its session");
            try (Connection after = Nats.connect(TlsFixtures.jnats(server.port(), TlsFixtures.clientContext()).build())) {
                after.flush(Duration.ofSeconds(2));
            }

            Files.writeString(conf, CONFIG.formatted(TlsFixtures.file("server-cert.pem"), dir.resolve("missing.pem")));
            assertThrows(ServerStartException.class, () -> server.reload(load(conf)),
                    "a missing key refuses the reload");
            assertEquals("EC", serverKeyAlgorithm(server.port()), "and the running certificate stays");
        }
    }

    /** Reads INFO in plain text, then shakes hands and reports the server certificate's key type. */
    private static String serverKeyAlgorithm(int port) throws Exception {
        try (java.net.Socket plain = new java.net.Socket("127.0.0.1", port)) {
            plain.setSoTimeout(3000);
            var in = plain.getInputStream();
            while (in.read() != '\n') {
                // skip INFO
            }
            SSLSocket tls = (SSLSocket) TlsFixtures.clientContext().getSocketFactory()
                    .createSocket(plain, "127.0.0.1", port, true);
            tls.startHandshake();
            X509Certificate cert = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            return cert.getPublicKey().getAlgorithm();
        }
    }
}
