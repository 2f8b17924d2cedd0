package nats.server.tls;

import static nats.server.tls.TlsFixtures.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import nats.transport.tls.TlsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTPS monitoring port ({@code https_port}, {@code -ms}) on the client port's TLS, as Go's
 * {@code StartMonitoring} runs it: no client certificate asked for even when clients must present one, not
 * together with an HTTP port, and not without TLS.
 */
@Timeout(60)
class HttpsMonitoringTest {

    private NatsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown();
        }
    }

    private static TlsOptions tls(boolean verify) {
        TlsOptions tls = TlsOptions.of(file("server-cert.pem"), file("server-key.pem"))
                .withTimeout(Duration.ofSeconds(10));
        return verify ? tls.withCaFile(file("ca.pem")).withVerify(true) : tls;
    }

    @Test
    void servesTheEndpointsOverTlsWithoutAskingForAClientCertificate() throws Exception {
        // verify: true makes client connections present certificates; the monitoring port does not ask.
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .tls(tls(true)).httpsPort(ServerOptions.RANDOM_PORT).httpBasePath("/ops"));
        int port = server.monitorPort();
        HttpsURLConnection c = get(port, "/ops/varz", TlsFixtures.clientContext());
        assertEquals(200, c.getResponseCode(), "/varz over HTTPS, under the base path");
        assertTrue(c.getServerCertificates().length > 0, "the server presented its certificate");
        String varz;
        try (InputStream in = c.getInputStream()) {
            varz = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(varz.contains("\"https_port\": " + port), "/varz shows the HTTPS port: " + varz);
        assertTrue(varz.contains("\"http_port\": 0,"), "and no HTTP port");
        assertTrue(varz.contains("\"http_base_path\": \"/ops\""), "and the base path as configured");
        HttpsURLConnection metrics = get(port, "/ops/metrics", TlsFixtures.clientContext());
        assertEquals(200, metrics.getResponseCode(), "/metrics over HTTPS");
        assertTrue(metrics.getContentType().startsWith("text/plain; version=0.0.4"), metrics.getContentType());
    }

    @Test
    void httpAndHttpsTogetherAreRefusedAsGoRefusesThem() {
        ServerStartException e = assertThrows(ServerStartException.class, () -> server = NatsServer.start(
                new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT).tls(tls(false))
                        .httpPort(18999).httpsPort(18998)));
        assertEquals("Can't start monitoring: can't specify both HTTP (18999) and HTTPs (18998) ports",
                e.getMessage(), "Go's message");
    }

    @Test
    void httpsWithoutTlsIsRefused() {
        ServerStartException e = assertThrows(ServerStartException.class, () -> server = NatsServer.start(
                new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT).httpsPort(18997)));
        assertEquals("Can't start monitoring: TLS cert and key required for HTTPS", e.getMessage(), "Go's message");
    }

    private static HttpsURLConnection get(int port, String path, SSLContext context) throws Exception {
        HttpsURLConnection c = (HttpsURLConnection) URI.create("https://127.0.0.1:" + port + path).toURL()
                .openConnection();
        c.setSSLSocketFactory(context.getSocketFactory());
        // The test certificate names localhost; the address is 127.0.0.1.
        c.setHostnameVerifier((host, session) -> true);
        c.setConnectTimeout(5000);
        c.setReadTimeout(10000);
        return c;
    }
}
