package nats.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import nats.mqtt.testing.MqttTestServer;
import nats.mqtt.testing.Paho;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mqtt} block's {@code tls {}}: the kernel runs the handshake before MQTT sees the connection; a
 * verifying listener refuses clients without a certificate; {@code verify_and_map} makes the certificate's subject
 * the user (Go's TLSMap for MQTT).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {

    @TempDir
    Path dir;

    private Path resource(String name) throws Exception {
        try (InputStream in = TlsTest.class.getResourceAsStream("/tls/" + name)) {
            return Files.write(dir.resolve(name), in.readAllBytes());
        }
    }

    private String tlsBlock(String extra) throws Exception {
        return "tls { cert_file: \"" + resource("server-cert.pem") + "\", key_file: \"" + resource("server-key.pem")
                + "\", ca_file: \"" + resource("ca.pem") + "\"" + extra + " }";
    }

    private SSLContext clientContext(boolean withCertificate) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(resource("ca.pem"))) {
            trust.setCertificateEntry("ca", cf.generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (!withCertificate) {
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        }
        String pem = Files.readString(resource("client-key.pem"), StandardCharsets.US_ASCII);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        Certificate cert;
        try (InputStream in = Files.newInputStream(resource("client-cert.pem"))) {
            cert = cf.generateCertificate(in);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", key, new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private MqttConnectOptions options(SSLContext ctx) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setSocketFactory(ctx.getSocketFactory());
        o.setHttpsHostnameVerificationEnabled(false);
        return o;
    }

    @Test
    void mqttOverTls() throws Exception {
        try (MqttTestServer s = MqttTestServer.start(Files.createDirectories(dir.resolve("plain")),
                "mqtt { port: %mqtt, " + tlsBlock("") + " }\n")) {
            String url = "ssl://127.0.0.1:" + s.mqttPort();
            try (Paho sub = Paho.connect(url, "tls-sub", options(clientContext(false)));
                 Paho pub = Paho.connect(url, "tls-pub", options(clientContext(false)))) {
                sub.subscribe("tls/t", 1);
                pub.publish("tls/t", "secret", 1, false);
                Paho.Received r = sub.next(5000);
                assertNotNull(r, "delivered over TLS");
                assertEquals("secret", r.payload(), "payload");
            }
            assertThrows(Exception.class, () -> Paho.connect("tcp://127.0.0.1:" + s.mqttPort(), "plain",
                    new MqttConnectOptions()).close(), "a plain client on the TLS port gets nowhere");
        }
    }

    @Test
    void verifyAndMapMakesTheCertificateTheUser() throws Exception {
        try (MqttTestServer s = MqttTestServer.start(Files.createDirectories(dir.resolve("map")),
                "authorization { users: [{user: \"CN=mqttclient\"}] }\n"
                        + "mqtt { port: %mqtt, " + tlsBlock(", verify_and_map: true") + " }\n")) {
            String url = "ssl://127.0.0.1:" + s.mqttPort();
            try (Paho mapped = Paho.connect(url, "mapped", options(clientContext(true)))) {
                assertTrue(mapped.isConnected(), "the certificate's subject is a configured user");
            }
            assertThrows(Exception.class, () -> Paho.connect(url, "nocert", options(clientContext(false))).close(),
                    "without a client certificate the handshake fails");
        }
    }
}
