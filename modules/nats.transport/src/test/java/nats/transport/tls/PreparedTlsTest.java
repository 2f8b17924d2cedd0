package nats.transport.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS context a config read begins building, and what the start that follows takes. */
class PreparedTlsTest {

    @TempDir
    Path dir;

    private Path copy(String name) throws Exception {
        Path target = dir.resolve(name);
        try (var in = PreparedTlsTest.class.getResourceAsStream("/tls/" + name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private TlsOptions options(Path cert, Path key) throws Exception {
        return new TlsOptions(cert, key, Optional.of(copy("ca.pem")), true, false, TlsOptions.DEFAULT_TIMEOUT,
                List.of(), List.of(), TlsOptions.TLS_1_2, false, Set.of());
    }

    @Test
    void theStartTakesTheContextTheCheckBegan() throws Exception {
        TlsOptions options = options(copy("server-cert.pem"), copy("server-key.pem"));
        ServerTls.check(options);
        ServerTls prepared = PreparedTls.take(options);
        assertNotNull(prepared, "the checked block's context is there for the start");
        assertSame(options, prepared.options());
        assertNotNull(prepared.newEngine(), "and it makes engines");
        assertNull(PreparedTls.take(options), "a prepared context is taken once");
    }

    @Test
    void aBlockCheckedTwiceIsBuiltOnce() throws Exception {
        TlsOptions options = options(copy("server-cert.pem"), copy("server-key.pem"));
        ServerTls.check(options);
        ServerTls.check(options);
        assertNotNull(PreparedTls.take(options));
        assertNull(PreparedTls.take(options), "the second check kept the first one's build");
    }

    @Test
    void aKeyReplacedAfterTheCheckIsLoadedAgainAtTheStart() throws Exception {
        Path key = copy("server-key.pem");
        TlsOptions options = options(copy("server-cert.pem"), key);
        ServerTls.check(options);
        Files.copy(PreparedTlsTest.class.getResourceAsStream("/tls/client-key.pem"), key,
                StandardCopyOption.REPLACE_EXISTING);
        TlsSetupException e = assertThrows(TlsSetupException.class, () -> ServerTls.create(options),
                "the start reads the files again and finds the new key is not the certificate's");
        assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());
    }

    @Test
    void theCheckRefusesAKeyOfAnotherCertificate() throws Exception {
        TlsOptions options = options(copy("server-cert.pem"), copy("client-key.pem"));
        TlsSetupException e = assertThrows(TlsSetupException.class, () -> ServerTls.check(options));
        assertTrue(e.getMessage().contains("private key does not match public key"), e.getMessage());
        assertNull(PreparedTls.take(options), "nothing is built for a refused block");
    }

    @Test
    void keysMatchTheirCertificatesOnly() throws Exception {
        var rsaCert = PemKeys.certificates(copy("server-cert.pem"), "cert_file").get(0).getPublicKey();
        var ecCert = PemKeys.certificates(copy("server-ec-cert.pem"), "cert_file").get(0).getPublicKey();
        var rsaKey = PemKeys.privateKey(copy("server-key.pem"), "key_file");
        var otherRsaKey = PemKeys.privateKey(copy("client-key.pem"), "key_file");
        var ecKey = PemKeys.privateKey(copy("server-ec-key.pem"), "key_file");
        assertTrue(PemKeys.matches(rsaKey, rsaCert), "RSA: same modulus");
        assertFalse(PemKeys.matches(otherRsaKey, rsaCert), "RSA: another key's modulus");
        assertTrue(PemKeys.matches(ecKey, ecCert), "EC: the trial signature verifies");
        assertFalse(PemKeys.matches(ecKey, rsaCert), "another algorithm");
    }
}
