package nats.transport.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * TLS for the client port, as the Go server's top-level {@code tls { }} block (or {@code --tls*} flags)
 * configures it. Cipher suites and curves use the Go server's names; empty lists mean Go's defaults.
 *
 * @param certFile         PEM certificate chain of the server, leaf first
 * @param keyFile          PEM private key of the server (PKCS#8, PKCS#1 RSA or SEC1 EC; not encrypted)
 * @param caFile           PEM certificates trusted for client certificates; the JDK's trust store when absent
 * @param verify           whether clients must present a certificate the CA trusts
 * @param verifyAndMap     {@code verify_and_map}: also authenticate the user named by the certificate
 * @param timeout          how long the TLS handshake may take
 * @param cipherSuites     TLS 1.2 cipher suites by Go name (TLS 1.3 suites are always enabled, as in Go)
 * @param curvePreferences key exchange groups by Go name ({@code X25519}, {@code CurveP256}, ...)
 * @param minVersion       lowest protocol version, {@code "1.2"} (Go's default) or {@code "1.3"}; a Go 2.10 key
 * @param handshakeFirst   TLS handshake before INFO instead of after it; a Go 2.10 key
 * @param pinnedCerts      lower-case hex SHA-256 of the client certificates' SubjectPublicKeyInfo that may
 *                         connect; empty for no pinning
 * @param checkKnownUrls   {@code verify_cert_and_check_known_urls} (gateway and cluster blocks only, as in Go): a
 *                         peer's certificate must carry a DNS name matching a host of the configured URLs
 */
public record TlsOptions(Path certFile, Path keyFile, Optional<Path> caFile, boolean verify, boolean verifyAndMap,
                         Duration timeout, List<String> cipherSuites, List<String> curvePreferences,
                         String minVersion, boolean handshakeFirst, Set<String> pinnedCerts, boolean checkKnownUrls) {

    /** Without {@code verify_cert_and_check_known_urls}. */
    public TlsOptions(Path certFile, Path keyFile, Optional<Path> caFile, boolean verify, boolean verifyAndMap,
                      Duration timeout, List<String> cipherSuites, List<String> curvePreferences, String minVersion,
                      boolean handshakeFirst, Set<String> pinnedCerts) {
        this(certFile, keyFile, caFile, verify, verifyAndMap, timeout, cipherSuites, curvePreferences, minVersion,
                handshakeFirst, pinnedCerts, false);
    }

    /** Go's {@code TLS_TIMEOUT}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** Go's {@code AUTH_TIMEOUT}: how long a connection without TLS has to send its CONNECT. */
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(2);
    public static final String TLS_1_2 = "1.2";
    public static final String TLS_1_3 = "1.3";

    /**
     * Go's {@code getDefaultAuthTimeout}, the auth timeout of a port (client, route, gateway, leaf) whose block
     * sets none: the handshake's timeout plus a second when TLS runs on it, {@link #DEFAULT_AUTH_TIMEOUT} without.
     */
    public static Duration defaultAuthTimeout(Optional<TlsOptions> tls) {
        return tls.map(t -> t.timeout().plusSeconds(1)).orElse(DEFAULT_AUTH_TIMEOUT);
    }

    public TlsOptions {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the TLS handshake timeout must be positive, got " + timeout);
        }
        Objects.requireNonNull(minVersion, "minVersion");
        if (!minVersion.equals(TLS_1_2) && !minVersion.equals(TLS_1_3)) {
            throw new IllegalArgumentException("min_version must be \"1.2\" or \"1.3\", got \"" + minVersion + "\"");
        }
        cipherSuites = List.copyOf(cipherSuites);
        curvePreferences = List.copyOf(curvePreferences);
        pinnedCerts = Set.copyOf(pinnedCerts);
        // verify_and_map and verify_cert_and_check_known_urls imply verify, as in Go.
        verify = verify || verifyAndMap || checkKnownUrls;
    }

    /** TLS with the server's certificate and key and every other setting at Go's default. */
    public static TlsOptions of(Path certFile, Path keyFile) {
        return new TlsOptions(certFile, keyFile, Optional.empty(), false, false, DEFAULT_TIMEOUT, List.of(), List.of(),
                TLS_1_2, false, Set.of());
    }

    public TlsOptions withCaFile(Path file) {
        return new TlsOptions(certFile, keyFile, Optional.of(file), verify, verifyAndMap, timeout, cipherSuites,
                curvePreferences, minVersion, handshakeFirst, pinnedCerts, checkKnownUrls);
    }

    public TlsOptions withVerify(boolean on) {
        return new TlsOptions(certFile, keyFile, caFile, on, verifyAndMap, timeout, cipherSuites, curvePreferences,
                minVersion, handshakeFirst, pinnedCerts, checkKnownUrls);
    }

    public TlsOptions withVerifyAndMap(boolean on) {
        return new TlsOptions(certFile, keyFile, caFile, verify, on, timeout, cipherSuites, curvePreferences,
                minVersion, handshakeFirst, pinnedCerts, checkKnownUrls);
    }

    public TlsOptions withTimeout(Duration handshakeTimeout) {
        return new TlsOptions(certFile, keyFile, caFile, verify, verifyAndMap, handshakeTimeout, cipherSuites,
                curvePreferences, minVersion, handshakeFirst, pinnedCerts, checkKnownUrls);
    }

    public TlsOptions withCipherSuites(List<String> goNames) {
        return new TlsOptions(certFile, keyFile, caFile, verify, verifyAndMap, timeout, goNames, curvePreferences,
                minVersion, handshakeFirst, pinnedCerts, checkKnownUrls);
    }

    public TlsOptions withCurvePreferences(List<String> goNames) {
        return new TlsOptions(certFile, keyFile, caFile, verify, verifyAndMap, timeout, cipherSuites, goNames,
                minVersion, handshakeFirst, pinnedCerts, checkKnownUrls);
    }

    public TlsOptions withMinVersion(String version) {
        return new TlsOptions(certFile, keyFile, caFile, verify, verifyAndMap, timeout, cipherSuites,
                curvePreferences, version, handshakeFirst, pinnedCerts, checkKnownUrls);
    }

    public TlsOptions withHandshakeFirst(boolean on) {
        return new TlsOptions(certFile, keyFile, caFile, verify, verifyAndMap, timeout, cipherSuites,
                curvePreferences, minVersion, on, pinnedCerts, checkKnownUrls);
    }

    public TlsOptions withCheckKnownUrls(boolean on) {
        return new TlsOptions(certFile, keyFile, caFile, verify, verifyAndMap, timeout, cipherSuites,
                curvePreferences, minVersion, handshakeFirst, pinnedCerts, on);
    }

    public TlsOptions withPinnedCerts(Set<String> sha256Hex) {
        return new TlsOptions(certFile, keyFile, caFile, verify, verifyAndMap, timeout, cipherSuites,
                curvePreferences, minVersion, handshakeFirst, sha256Hex, checkKnownUrls);
    }
}
