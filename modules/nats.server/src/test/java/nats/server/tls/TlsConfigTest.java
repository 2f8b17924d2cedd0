package nats.server.tls;

import static nats.server.tls.TlsFixtures.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import nats.transport.tls.TlsOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The top-level tls block (Go's parseTLS/GenTLSConfig): values, defaults and the errors that stop start-up. */
class TlsConfigTest {

    @TempDir
    Path dir;

    private ServerOptions load(String config) throws Exception {
        Path conf = Files.writeString(dir.resolve("tls.conf"), config);
        ServerOptions options = new ServerOptions();
        ConfigFiles.load(conf, options, true);
        return options;
    }

    private String loadError(String config) throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), config);
        return assertThrows(ServerStartException.class, () -> ConfigFiles.load(conf, new ServerOptions(), false),
                "the config is refused: " + config).getMessage();
    }

    private static String block(String body) {
        return "port: 4222\ntls {\n" + body + "\n}\n";
    }

    private static String pair(String cert, String key) {
        return "cert_file: \"" + file(cert) + "\"\nkey_file: \"" + file(key) + "\"";
    }

    @Test
    void everyKeyIsRead() throws Exception {
        String pin = "AB".repeat(32);
        ServerOptions o = load(block(pair("server-cert.pem", "server-key.pem") + """

                ca_file: "%s"
                verify: true
                timeout: 0.5
                cipher_suites: ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"]
                curve_preferences: ["CurveP384", "X25519"]
                pinned_certs: ["%s"]
                min_version: "1.3"
                handshake_first: true
                insecure: false
                """.formatted(file("ca.pem"), pin)) + "allow_non_tls: true\n");
        TlsOptions tls = o.tls().orElseThrow();
        assertEquals(file("server-cert.pem"), tls.certFile());
        assertEquals(file("server-key.pem"), tls.keyFile());
        assertEquals(Optional.of(file("ca.pem")), tls.caFile());
        assertTrue(tls.verify(), "verify");
        assertFalse(tls.verifyAndMap(), "no mapping");
        assertEquals(Duration.ofMillis(500), tls.timeout(), "timeout in fractional seconds");
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"), tls.cipherSuites());
        assertEquals(List.of("CurveP384", "X25519"), tls.curvePreferences());
        assertEquals(Set.of(pin.toLowerCase()), tls.pinnedCerts(), "pins are kept in lower case, as in Go");
        assertEquals(TlsOptions.TLS_1_3, tls.minVersion());
        assertTrue(tls.handshakeFirst(), "handshake_first");
        assertTrue(o.allowNonTls(), "allow_non_tls");
        assertEquals(Duration.ofMillis(1500), o.authTimeout(), "auth timeout defaults to the TLS timeout + 1s");
    }

    @Test
    void defaultsAreGos() throws Exception {
        TlsOptions tls = load(block(pair("server-cert.pem", "server-key.pem"))).tls().orElseThrow();
        assertEquals(Duration.ofSeconds(2), tls.timeout(), "Go's TLS_TIMEOUT");
        assertFalse(tls.verify(), "no client certificates by default");
        assertEquals(TlsOptions.TLS_1_2, tls.minVersion(), "TLS 1.2 minimum, as Go's GenTLSConfig");
        assertTrue(tls.cipherSuites().isEmpty() && tls.curvePreferences().isEmpty(), "Go's default lists");
    }

    @ParameterizedTest(name = "timeout: {0}")
    @CsvSource(delimiter = '|', value = {"1|1000", "\"250ms\"|250", "0|2000", "1.5|1500"})
    void timeoutTakesSecondsOrADuration(String value, long millis) throws Exception {
        TlsOptions tls = load(block(pair("server-cert.pem", "server-key.pem") + "\ntimeout: " + value)).tls()
                .orElseThrow();
        assertEquals(Duration.ofMillis(millis), tls.timeout());
    }

    @Test
    void verifyAndMapImpliesVerify() throws Exception {
        TlsOptions tls = load(block(pair("server-cert.pem", "server-key.pem") + "\nverify_and_map: true")).tls()
                .orElseThrow();
        assertTrue(tls.verify() && tls.verifyAndMap(), "verify_and_map turns verify on, as in Go");
    }

    @Test
    void errorsNameTheBlockPositionAndTheProblem() throws Exception {
        String missing = loadError(block("cert_file: \"" + dir.resolve("nope.pem") + "\"\nkey_file: \""
                + file("server-key.pem") + "\""));
        assertTrue(missing.matches(".*bad\\.conf:2:1: error parsing X509 certificate/key pair: cert_file .*nope\\.pem "
                + "does not exist"), "file:line:col of the tls block and the missing file: " + missing);
        assertTrue(loadError(block("key_file: \"" + file("server-key.pem") + "\""))
                .endsWith("missing 'cert_file' in TLS configuration"), "key without certificate");
        assertTrue(loadError(block("cert_file: \"" + file("server-cert.pem") + "\""))
                .endsWith("missing 'key_file' in TLS configuration"), "certificate without key");
        assertTrue(loadError(block("verify: true")).contains("missing 'cert_file' and 'key_file'"),
                "no certificate at all");
    }

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({
        "server-cert.pem, server-key-encrypted.pem, encrypted private key",
        "server-cert.pem, server-key-encrypted-pkcs1.pem, encrypted private key",
        "server-cert.pem, client-key.pem, private key does not match public key",
        "server-cert.pem, server-ec-key.pem, private key does not match public key",
        "server-key.pem, server-key.pem, contains no CERTIFICATE block (found PRIVATE KEY)",
        "server-cert.pem, server-cert.pem, holds a certificate rather than a private key",
        "README.md, server-key.pem, contains no PEM data",
    })
    void unusableFilesAreRefused(String cert, String key, String expected) throws Exception {
        String message = loadError(block(pair(cert, key)));
        assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
    }

    @Test
    void badCaFileIsRefused() throws Exception {
        String message = loadError(block(pair("server-cert.pem", "server-key.pem") + "\nca_file: \""
                + file("server-key.pem") + "\""));
        assertTrue(message.contains("ca_file") && message.contains("no CERTIFICATE block"), message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bogus: 1|error parsing tls config, unknown field [\"bogus\"]",
        "cipher_suites: [\"TLS_FOO\"]|unrecognized cipher TLS_FOO",
        "cipher_suites: []|error parsing tls config, 'cipher_suites' cannot be empty",
        "curve_preferences: [\"P256\"]|unrecognized curve preference P256",
        "verify: 1|error parsing tls config, expected 'verify' to be a boolean",
        "cert_file: 1|error parsing tls config, expected 'cert_file' to be filename",
        "timeout: true|error parsing tls config, 'timeout' wrong type",
        "timeout: \"2x\"|error parsing tls config, 'timeout' time: unknown unit \"x\" in duration \"2x\"",
        "verify_cert_and_check_known_urls: true|verify_cert_and_check_known_urls not supported in this context",
        "pinned_certs: [\"abc\"]|error parsing tls config, 'pinned_certs' key abc does not look like hex-encoded "
                + "sha256 of DER encoded SubjectPublicKeyInfo",
        "min_version: \"1.1\"|error parsing tls config, 'min_version' must be \"1.2\" or \"1.3\", got the string \"1.1\"",
    })
    void goValidationMessages(String line, String expected) throws Exception {
        String message = loadError(block(pair("server-cert.pem", "server-key.pem") + "\n" + line));
        assertTrue(message.endsWith(expected), "expected '" + expected + "' at the end of: " + message);
    }

    @Test
    void tlsMustBeABlock() throws Exception {
        String message = loadError("tls: true\n");
        assertTrue(message.contains("error parsing tls config, expected a map"), message);
    }

    @Test
    void connectionRateLimitIsAcceptedWithAWarning() throws Exception {
        Path conf = Files.writeString(dir.resolve("rate.conf"),
                block(pair("server-cert.pem", "server-key.pem") + "\nconnection_rate_limit: 10"));
        List<String> warnings = ConfigFiles.load(conf, new ServerOptions(), true);
        assertEquals(1, warnings.size(), "one warning: " + warnings);
        assertTrue(warnings.get(0).contains("connection_rate_limit is not supported"), warnings.get(0));
    }

    @Test
    void unavailableCipherSuitesAreWarnedAbout() throws Exception {
        TlsOptions tls = TlsOptions.of(file("server-cert.pem"), file("server-key.pem"))
                .withCipherSuites(List.of("TLS_RSA_WITH_RC4_128_SHA", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
        List<String> warnings = nats.transport.tls.ServerTls.create(tls).warnings();
        assertEquals(List.of("cipher suite TLS_RSA_WITH_RC4_128_SHA is not available in this Java runtime; it is "
                + "ignored"), warnings, "RC4 is not in the JDK; the AES-GCM suite is");
    }

    @Test
    void programmaticOptionsWithABadFileRefuseToStart() {
        ServerOptions options = new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .tls(TlsOptions.of(dir.resolve("missing-cert.pem"), file("server-key.pem")));
        ServerStartException e = assertThrows(ServerStartException.class, () -> NatsServer.start(options),
                "the server does not start without its certificate");
        assertTrue(e.getMessage().startsWith("TLS configuration error: cert_file ")
                && e.getMessage().endsWith("missing-cert.pem does not exist"), e.getMessage());
    }

    @Test
    void aBadFileIsReportedBeforeAPortInUseAndThePortIsLeftFree() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            ServerOptions options = new ServerOptions().host("127.0.0.1").port(taken.getLocalPort())
                    .tls(TlsOptions.of(dir.resolve("missing-cert.pem"), file("server-key.pem")));
            ServerStartException e = assertThrows(ServerStartException.class, () -> NatsServer.start(options));
            assertTrue(e.getMessage().startsWith("TLS configuration error: cert_file "),
                    "the configuration's error comes first, as in Go, though the port was tried first: "
                            + e.getMessage());
        }
        int free;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        ServerOptions options = new ServerOptions().host("127.0.0.1").port(free)
                .tls(TlsOptions.of(dir.resolve("missing-cert.pem"), file("server-key.pem")));
        assertThrows(ServerStartException.class, () -> NatsServer.start(options));
        try (java.net.ServerSocket again = new java.net.ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new java.net.InetSocketAddress("127.0.0.1", free));
            assertTrue(again.isBound(), "the refused start released the client port it had bound early");
        }
    }
}
