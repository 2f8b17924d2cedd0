package nats.server.tls;

import static nats.server.tls.TlsFixtures.clientContext;
import static nats.server.tls.TlsFixtures.clientContextWithCertificate;
import static nats.server.tls.TlsFixtures.file;
import static nats.server.tls.TlsFixtures.jnats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.transport.tls.TlsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** TLS on the client port, exercised end to end with jnats and raw sockets. */
@Timeout(60)
class TlsClientTest {

    private NatsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown();
        }
    }

    private int start(TlsOptions tls) throws Exception {
        return start(new ServerOptions().tls(tls));
    }

    private int start(ServerOptions options) throws Exception {
        server = NatsServer.start(options.host("127.0.0.1").port(ServerOptions.RANDOM_PORT));
        return server.port();
    }

    /** The RSA server certificate, with a handshake timeout that a busy test machine cannot exceed. */
    private static TlsOptions rsa() {
        return TlsOptions.of(file("server-cert.pem"), file("server-key.pem")).withTimeout(Duration.ofSeconds(10));
    }

    private static void assertRoundTrip(Connection nc, String subject) throws Exception {
        Subscription sub = nc.subscribe(subject);
        nc.publish(subject, "hello".getBytes(StandardCharsets.UTF_8));
        Message m = sub.nextMessage(Duration.ofSeconds(5));
        assertNotNull(m, "a message published over TLS comes back over TLS");
        assertEquals("hello", new String(m.getData(), StandardCharsets.UTF_8), "the payload is intact");
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "server-cert.pem, server-key.pem",
        "server-cert.pem, server-key-pkcs1.pem",
        "server-ec-cert.pem, server-ec-key.pem",
        "server-ec-cert.pem, server-ec-key-sec1.pem",
    })
    void publishAndSubscribeWithEachKeyFormat(String cert, String key) throws Exception {
        int port = start(TlsOptions.of(file(cert), file(key)).withTimeout(Duration.ofSeconds(10)));
        try (Connection nc = Nats.connect(jnats(port, clientContext()).build())) {
            assertRoundTrip(nc, "tls.formats");
        }
    }

    @Test
    void infoIsPlainTextAndAPlainTextClientIsCutOffWithoutAnAnswer() throws Exception {
        int port = start(rsa());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            String info = readLine(in);
            assertTrue(info.startsWith("INFO {") && info.contains("\"tls_required\":true"),
                    "INFO is sent in plain text and asks for TLS: " + info);
            assertTrue(!info.contains("tls_verify") && !info.contains("tls_available"),
                    "no client verification, no optional TLS: " + info);
            OutputStream out = s.getOutputStream();
            out.write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("", readToEnd(in), "the server closes without answering (the handshake failed), as Go");
        }
        assertThrows(Exception.class, () -> Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(2)).build()),
                "jnats without TLS cannot connect to a TLS port");
    }

    @Test
    void verifyRequiresATrustedClientCertificate() throws Exception {
        int port = start(rsa().withCaFile(file("ca.pem")).withVerify(true));
        assertThrows(Exception.class, () -> Nats.connect(jnats(port, clientContext()).build()),
                "a client without a certificate is refused");
        assertThrows(Exception.class, () -> Nats.connect(jnats(port,
                        clientContext("TLS", "untrusted-client-cert.pem", "untrusted-client-key.pem")).build()),
                "a certificate from another CA is refused");
        try (Connection nc = Nats.connect(jnats(port, clientContextWithCertificate()).build())) {
            assertRoundTrip(nc, "tls.verified");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            String info = readLine(s.getInputStream());
            assertTrue(info.contains("\"tls_required\":true,\"tls_verify\":true"), "INFO says so: " + info);
        }
    }

    @Test
    void minVersion13RefusesATls12OnlyClient() throws Exception {
        int port = start(rsa().withMinVersion(TlsOptions.TLS_1_3));
        assertThrows(Exception.class, () -> Nats.connect(jnats(port, clientContext("TLSv1.2", null, null)).build()),
                "a client limited to TLS 1.2 cannot connect");
        try (Connection nc = Nats.connect(jnats(port, clientContext("TLSv1.3", null, null)).build())) {
            assertRoundTrip(nc, "tls.v13");
        }
    }

    @Test
    void tls12ClientsAreAcceptedByDefault() throws Exception {
        int port = start(rsa());
        try (Connection nc = Nats.connect(jnats(port, clientContext("TLSv1.2", null, null)).build())) {
            assertRoundTrip(nc, "tls.v12");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void largeAndManySmallMessagesArriveIntact(String protocol) throws Exception {
        int port = start(rsa());
        Random random = new Random(42);
        try (Connection pub = Nats.connect(jnats(port, clientContext(protocol, null, null)).build());
             Connection sub = Nats.connect(jnats(port, clientContext(protocol, null, null)).build())) {
            Subscription big = sub.subscribe("big");
            Subscription small = sub.subscribe("small");
            sub.flush(Duration.ofSeconds(5));
            byte[][] payloads = new byte[8][];
            for (int i = 0; i < payloads.length; i++) {
                payloads[i] = new byte[i == 0 ? 1024 * 1024 : 1024 * 1024 - random.nextInt(100_000)]; // max_payload first
                random.nextBytes(payloads[i]);
                pub.publish("big", payloads[i]);
            }
            int count = 50_000;
            for (int i = 0; i < count; i++) {
                pub.publish("small", Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
            }
            pub.flush(Duration.ofSeconds(10));
            for (int i = 0; i < payloads.length; i++) {
                Message m = big.nextMessage(Duration.ofSeconds(10));
                assertNotNull(m, "large message " + i + " arrives");
                assertArrayEquals(payloads[i], m.getData(), "large message " + i + " is intact");
            }
            for (int i = 0; i < count; i++) {
                Message m = small.nextMessage(Duration.ofSeconds(10));
                assertNotNull(m, "small message " + i + " arrives");
                assertEquals(Integer.toString(i), new String(m.getData(), StandardCharsets.US_ASCII),
                        "small messages arrive in order and intact");
            }
        }
    }

    @Test
    void aSilentClientIsClosedAfterTheHandshakeTimeout() throws Exception {
        int port = start(rsa().withTimeout(Duration.ofMillis(300)));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            readLine(in);
            long started = System.nanoTime();
            assertEquals("", readToEnd(in), "nothing but the close");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis >= 200 && millis < 3000, "closed after about the TLS timeout, took " + millis + " ms");
        }
    }

    @Test
    void allowNonTlsAcceptsBothKindsOfClients() throws Exception {
        int port = start(new ServerOptions().tls(rsa()).allowNonTls(true));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            String info = readLine(s.getInputStream());
            assertTrue(info.contains("\"tls_available\":true") && !info.contains("tls_required"),
                    "INFO offers TLS without requiring it: " + info);
        }
        try (Connection plain = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                .maxReconnects(0).build());
             Connection secure = Nats.connect(jnats(port, clientContext()).build())) {
            Subscription sub = plain.subscribe("mixed");
            plain.flush(Duration.ofSeconds(5));
            secure.publish("mixed", "across".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertNotNull(m, "a TLS client reaches a plain one on the same port");
            assertEquals("across", new String(m.getData(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void handshakeFirstSendsInfoOverTls() throws Exception {
        int port = start(rsa().withHandshakeFirst(true));
        try (Connection nc = Nats.connect(jnats(port, clientContext()).tlsFirst().build())) {
            assertRoundTrip(nc, "tls.first");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(1000);
            assertThrows(java.net.SocketTimeoutException.class, () -> s.getInputStream().read(),
                    "no plain-text INFO: the server waits for the client's handshake");
        }
    }

    @Test
    void pinnedCertificatesLetOnlyThoseKeysIn() throws Exception {
        byte[] spki = TlsFixtures.certificate("client-cert.pem").getPublicKey().getEncoded();
        String pin = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(spki));
        int port = start(rsa().withCaFile(file("ca.pem")).withVerify(true).withPinnedCerts(java.util.Set.of(pin)));
        try (Connection nc = Nats.connect(jnats(port, clientContextWithCertificate()).build())) {
            assertRoundTrip(nc, "tls.pinned");
        }
        server.shutdown();
        String otherPin = "0".repeat(64);
        int port2 = start(rsa().withCaFile(file("ca.pem")).withVerify(true).withPinnedCerts(java.util.Set.of(otherPin)));
        assertThrows(Exception.class, () -> Nats.connect(jnats(port2, clientContextWithCertificate()).build()),
                "a trusted certificate whose key is not pinned is refused");
    }

    @Test
    void monitoringReportsTheTlsVersionAndCipherSuite() throws Exception {
        int port = start(new ServerOptions().tls(rsa()).httpPort(ServerOptions.RANDOM_PORT));
        try (Connection nc = Nats.connect(jnats(port, clientContext("TLSv1.3", null, null)).build())) {
            nc.flush(Duration.ofSeconds(5));
            String connz = httpGet(server.monitorPort(), "/connz");
            assertTrue(connz.contains("\"tls_version\": \"1.3\""), "connz shows the version: " + connz);
            assertTrue(connz.matches("(?s).*\"tls_cipher_suite\": \"TLS_(AES|CHACHA20)_[A-Z0-9_]+\".*"),
                    "connz shows the cipher suite by its Go name: " + connz);
            String varz = httpGet(server.monitorPort(), "/varz");
            assertTrue(varz.contains("\"tls_required\": true") && varz.contains("\"tls_timeout\": 10"),
                    "varz shows the TLS settings: " + varz);
        }
    }

    @Test
    void monitoringWithAuthListsTheClientCertificate() throws Exception {
        int port = start(new ServerOptions().tls(rsa().withCaFile(file("ca.pem")).withVerify(true))
                .httpPort(ServerOptions.RANDOM_PORT));
        try (Connection nc = Nats.connect(jnats(port, clientContextWithCertificate()).build())) {
            nc.flush(Duration.ofSeconds(5));
            java.security.cert.Certificate cert = TlsFixtures.certificate("client-cert.pem");
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            String spki = java.util.HexFormat.of().formatHex(sha.digest(cert.getPublicKey().getEncoded()));
            String whole = java.util.HexFormat.of().formatHex(sha.digest(cert.getEncoded()));
            String withAuth = httpGet(server.monitorPort(), "/connz?auth=1");
            assertTrue(withAuth.contains("\"tls_peer_certs\": [") && withAuth.contains("\"spki_sha256\": \"" + spki + "\"")
                    && withAuth.contains("\"cert_sha256\": \"" + whole + "\""), "Go's TLSPeerCert: " + withAuth);
            assertTrue(!httpGet(server.monitorPort(), "/connz").contains("tls_peer_certs"), "only with auth=1, as Go");
        }
    }

    @Test
    void authTimeoutDefaultsToTheTlsTimeoutPlusOneSecond() {
        assertEquals(Duration.ofSeconds(2), new ServerOptions().authTimeout(), "Go's default without TLS");
        assertEquals(Duration.ofMillis(1500), new ServerOptions().tls(rsa().withTimeout(Duration.ofMillis(500)))
                .authTimeout(), "Go's getDefaultAuthTimeout with TLS");
        assertEquals(Duration.ofSeconds(5), new ServerOptions().tls(rsa()).authTimeout(Duration.ofSeconds(5))
                .authTimeout(), "an explicit timeout wins");
    }

    static String readLine(InputStream in) throws Exception {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8).strip();
    }

    /** Everything until the server closes (a reset counts as a close). */
    static String readToEnd(InputStream in) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // connection reset: closed as well
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    private static String httpGet(int port, String path) throws Exception {
        var c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }
}
