package nats.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import nats.transport.tls.TlsOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The -tls* flags with Go's semantics (server/opts.go ConfigureOptions and overrideTLS). */
class TlsFlagsTest {

    @TempDir
    Path dir;

    private static ServerOptions options(String... args) throws ServerStartException {
        return Main.buildOptions(FlagParser.parse(args).orElseThrow());
    }

    @Test
    void tlsWithCertificateAndKey() throws Exception {
        TlsOptions tls = options("--tls", "--tlscert", "c.pem", "--tlskey", "k.pem").tls().orElseThrow();
        assertEquals(Path.of("c.pem"), tls.certFile());
        assertEquals(Path.of("k.pem"), tls.keyFile());
        assertFalse(tls.verify(), "-tls does not verify clients");
        assertEquals(TlsOptions.DEFAULT_TIMEOUT, tls.timeout());
    }

    @Test
    void tlsVerifyWithCaImpliesTls() throws Exception {
        TlsOptions tls = options("-tlsverify", "-tlscert", "c.pem", "-tlskey", "k.pem", "-tlscacert", "ca.pem")
                .tls().orElseThrow();
        assertTrue(tls.verify(), "-tlsverify verifies clients");
        assertEquals(Optional.of(Path.of("ca.pem")), tls.caFile());
    }

    @Test
    void certificateAndKeyAreRequired() {
        ServerStartException noKey = assertThrows(ServerStartException.class,
                () -> options("-tls", "-tlscert", "c.pem"));
        assertEquals("TLS Server private key must be present and valid", noKey.getMessage());
        ServerStartException noCert = assertThrows(ServerStartException.class, () -> options("-tlsverify"));
        assertEquals("TLS Server certificate must be present and valid", noCert.getMessage());
    }

    @Test
    void flagsReplaceTheFilesCertificateButKeepItsTimeout() throws Exception {
        Path conf = writeConfig();
        TlsOptions tls = options("-c", conf.toString(), "-tlscert", "other.pem", "-tlskey", "other-key.pem")
                .tls().orElseThrow();
        assertEquals(Path.of("other.pem"), tls.certFile(), "the flag's certificate wins");
        assertEquals(Duration.ofMillis(750), tls.timeout(), "the file's timeout stays, as in Go");
        assertFalse(tls.verify(), "verify comes from the flags");
    }

    @Test
    void tlsFalseSwitchesTheFilesTlsOff() throws Exception {
        Path conf = writeConfig();
        assertTrue(options("-c", conf.toString()).tls().isPresent(), "the file configures TLS");
        assertTrue(options("-c", conf.toString(), "-tls=false", "-tlscert", "x.pem").tls().isEmpty(),
                "-tls=false wins over the file and the other flags");
    }

    private Path writeConfig() throws Exception {
        Path resources = Path.of("..", "nats.server", "src", "test", "resources", "tls").toAbsolutePath().normalize();
        return Files.writeString(dir.resolve("tls.conf"), """
                tls {
                  cert_file: "%s"
                  key_file: "%s"
                  verify: true
                  ca_file: "%s"
                  timeout: 0.75
                }
                """.formatted(resources.resolve("server-cert.pem"), resources.resolve("server-key.pem"),
                resources.resolve("ca.pem")));
    }
}
