package nats.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the image's BouncyCastle is there for, run in the image: a bcrypt password, an nkey (Ed25519 signature of
 * the nonce) and TLS with PKCS#1 and SEC1 PEM keys. The image links only the part of BouncyCastle the server's
 * modules reach (build-image.sh, SliceModule), so these paths must work with that part alone.
 */
@Timeout(60)
class BouncyCastleImageIT {

    private static final Path FIXTURES = Path.of(System.getProperty("tls.fixtures", "../modules/nats.server/src/test/resources/tls"));
    /** bcrypt (cost 6) of "s3cret-image", made with BouncyCastle's OpenBSDBCrypt outside the image. */
    private static final String BCRYPT = "$2a$06$.umPE/6kJRO5OijOTz3jZ.b0N.Gm8umu456yjcCxThe96BoEeWzie";

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({"server-cert.pem, server-key-pkcs1.pem", "server-ec-cert.pem, server-ec-key-sec1.pem"})
    void tlsWithATraditionalPemKeyAndBcryptAndNkeyUsers(String cert, String key, @TempDir Path dir) throws Exception {
        NKey user = NKey.createUser(null);
        String conf = "tls { cert_file: \"%s\", key_file: \"%s\", timeout: 10 }\n".formatted(
                FIXTURES.resolve(cert).toAbsolutePath(), FIXTURES.resolve(key).toAbsolutePath())
                + "authorization { users: [ {user: alice, password: \"%s\"}, {nkey: \"%s\"} ] }\n".formatted(
                BCRYPT, new String(user.getPublicKey()));
        Path file = Files.writeString(dir.resolve("bc.conf"), conf);
        int port = ImageProcess.freePort();
        try (ImageProcess server = ImageProcess.start(port, "-c", file.toString())) {
            try (Connection nc = Nats.connect(options(port).userInfo("alice", "s3cret-image").build())) {
                assertRoundTrip(nc, "bcrypt user over TLS (" + key + "):\n" + server.output());
            }
            assertThrows(Exception.class,
                    () -> Nats.connect(refused(port).userInfo("alice", "wrong").build()).close(),
                    "a wrong password does not match the bcrypt hash");
            try (Connection nc = Nats.connect(options(port).authHandler(nkeyAuth(user)).build())) {
                assertRoundTrip(nc, "nkey user over TLS (" + key + "):\n" + server.output());
            }
            NKey stranger = NKey.createUser(null);
            assertThrows(Exception.class, () -> Nats.connect(refused(port).authHandler(nkeyAuth(stranger)).build()).close(),
                    "an unknown nkey is refused");
        }
    }

    private static Options.Builder options(int port) throws Exception {
        return new Options.Builder().server("nats://127.0.0.1:" + port).sslContext(trustingTheTestCa())
                .connectionTimeout(Duration.ofSeconds(10));
    }

    /** For a connect that must fail: jnats waits out its connection timeout after an authorization error. */
    private static Options.Builder refused(int port) throws Exception {
        return options(port).maxReconnects(0).connectionTimeout(Duration.ofSeconds(2));
    }

    private static SSLContext trustingTheTestCa() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(FIXTURES.resolve("ca.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static AuthHandler nkeyAuth(NKey key) {
        return new AuthHandler() {
            @Override
            public byte[] sign(byte[] nonce) {
                try {
                    return key.sign(nonce);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public char[] getID() {
                try {
                    return key.getPublicKey();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public char[] getJWT() {
                return null;
            }
        };
    }

    private static void assertRoundTrip(Connection nc, String what) throws Exception {
        Subscription sub = nc.subscribe("bc.test");
        nc.flush(Duration.ofSeconds(5));
        nc.publish("bc.test", "hi".getBytes(StandardCharsets.UTF_8));
        Message m = sub.nextMessage(Duration.ofSeconds(5));
        assertNotNull(m, "a message comes back for the " + what);
    }
}
