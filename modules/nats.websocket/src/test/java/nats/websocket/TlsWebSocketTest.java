package nats.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.websocket.testing.WsTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code wss://}: TLS run by the kernel's listener from the block's {@code tls {}}, with jnats. */
@Timeout(60)
class TlsWebSocketTest {

    @TempDir
    Path dir;

    static Path file(String name) {
        try {
            return Path.of(TlsWebSocketTest.class.getResource("/tls/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tlsBlock(String extra) {
        return "tls { cert_file: \"" + file("server-cert.pem") + "\", key_file: \"" + file("server-key.pem") + "\""
                + extra + " }";
    }

    static SSLContext clientContext(boolean withCertificate) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", cf.generateCertificate(Files.newInputStream(file("ca.pem"))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withCertificate) {
            String pem = Files.readString(file("client-key.pem"));
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            var key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            Certificate cert = cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file("client-cert.pem"))));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, "x".toCharArray(), new Certificate[] {cert});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "x".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static Options.Builder wss(WsTestServer s, SSLContext context) {
        return Options.builder().server("wss://localhost:" + s.wsPort()).sslContext(context).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(5));
    }

    @Test
    void jnatsOverWss() throws Exception {
        try (WsTestServer s = WsTestServer.start(dir, "websocket { port: -1, " + tlsBlock("") + " }\n");
             Connection ws = Nats.connect(wss(s, clientContext(false)).build());
             Connection tcp = Nats.connect("nats://127.0.0.1:" + s.natsPort())) {
            Subscription sub = ws.subscribe("secure");
            ws.flush(Duration.ofSeconds(2));
            tcp.publish("secure", "over tls".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertNotNull(m, "expected the message at the wss subscriber");
            assertEquals("over tls", new String(m.getData(), StandardCharsets.UTF_8), "payload unchanged");
            assertTrue(ws.getServerInfo().isTLSRequired(), "INFO says TLS is required on this listener (Go 2.10+)");
            assertEquals(s.wsPort(), ws.getServerInfo().getPort(), "INFO names the wss listener's port");
        }
    }

    @Test
    void clientCertificatesWhenTheBlockVerifies() throws Exception {
        try (WsTestServer s = WsTestServer.start(dir, "websocket { port: -1, "
                + tlsBlock(", ca_file: \"" + file("ca.pem") + "\", verify: true") + " }\n")) {
            try (Connection c = Nats.connect(wss(s, clientContext(true)).build())) {
                assertEquals(Connection.Status.CONNECTED, c.getStatus(), "a client with a certificate connects");
            }
            assertThrows(IOException.class,
                    () -> Nats.connect(wss(s, clientContext(false)).connectionTimeout(Duration.ofSeconds(1)).build()),
                    "a client without one does not");
        }
    }

    @Test
    void aPlainClientOnTheTlsPortFailsTheHandshake() throws Exception {
        try (WsTestServer s = WsTestServer.start(dir, "websocket { port: -1, " + tlsBlock("") + " }\n");
             var socket = new java.net.Socket("127.0.0.1", s.wsPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            int b;
            try {
                b = socket.getInputStream().read();
            } catch (java.net.SocketException e) {
                b = -1;
            }
            assertTrue(b == -1 || b == 0x15, "expected the connection dropped (or a TLS alert), not an HTTP answer");
        }
    }
}
