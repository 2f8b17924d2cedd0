package nats.server.tls;

import static nats.server.tls.TlsFixtures.clientContextWithCertificate;
import static nats.server.tls.TlsFixtures.file;
import static nats.server.tls.TlsFixtures.jnats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** verify_and_map: the client certificate (CN=alice, e-mail alice@example.com) names the user. */
@Timeout(60)
class TlsUserMappingTest {

    @TempDir
    Path dir;

    private NatsServer start(String userName) throws Exception {
        Path conf = Files.writeString(dir.resolve("map.conf"), """
                host: 127.0.0.1
                port: -1
                tls {
                  cert_file: "%s"
                  key_file: "%s"
                  ca_file: "%s"
                  verify_and_map: true
                  timeout: 10
                }
                authorization {
                  users = [
                    {user: "%s", permissions: {publish: "alice.>", subscribe: "alice.>"}}
                    {user: bob, password: secret}
                  ]
                }
                """.formatted(file("server-cert.pem"), file("server-key.pem"), file("ca.pem"), userName));
        ServerOptions options = new ServerOptions();
        ConfigFiles.load(conf, options, true);
        return NatsServer.start(options);
    }

    @ParameterizedTest(name = "user \"{0}\"")
    @ValueSource(strings = {"alice@example.com", "CN=alice,OU=clients,O=jnatsd test",
        "O=jnatsd test, OU=clients, CN=alice"})
    void theCertificateNamesTheUserAndItsPermissionsApply(String userName) throws Exception {
        NatsServer server = start(userName);
        try {
            CompletableFuture<String> error = new CompletableFuture<>();
            ErrorListener errors = new ErrorListener() {
                @Override
                public void errorOccurred(Connection conn, String text) {
                    error.complete(text);
                }
            };
            try (Connection nc = Nats.connect(jnats(server.port(), clientContextWithCertificate())
                    .errorListener(errors).build())) {
                Subscription sub = nc.subscribe("alice.inbox");
                nc.publish("alice.inbox", "hi".getBytes(StandardCharsets.UTF_8));
                Message m = sub.nextMessage(Duration.ofSeconds(5));
                assertNotNull(m, "the mapped user may use its subjects, without a password in CONNECT");
                nc.publish("other", "x".getBytes(StandardCharsets.UTF_8));
                assertEquals("Permissions Violation for Publish to \"other\"", error.get(5, TimeUnit.SECONDS),
                        "the mapped user's permissions apply");
            }
        } finally {
            server.shutdown();
        }
    }

    @Test
    void aCertificateThatNamesNoUserIsNotAuthorized() throws Exception {
        NatsServer server = start("carol@example.com");
        try {
            Exception e = assertThrows(Exception.class,
                    () -> Nats.connect(jnats(server.port(), clientContextWithCertificate()).build()),
                    "no user matches the certificate");
            assertTrue(String.valueOf(e.getMessage()).contains("Authorization Violation"), e.getMessage());
            assertThrows(Exception.class, () -> Nats.connect(jnats(server.port(), clientContextWithCertificate())
                    .userInfo("bob", "secret").build()), "with verify_and_map, a password does not log in");
        } finally {
            server.shutdown();
        }
    }
}
