package nats.leafnode.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import nats.api.net.TlsPolicy;
import nats.transport.config.ConfigProblem;
import nats.transport.config.ConfigValues;
import nats.transport.tls.ServerTls;
import nats.transport.tls.TlsBlockReader;
import nats.transport.tls.TlsSetupException;

/**
 * The client side of a remote's TLS, as Go's leafnode solicitor builds it: with {@code cert_file} and
 * {@code key_file} the full block (this server's certificate for a hub that verifies it); with only
 * {@code ca_file} (or nothing, when the hub requires TLS) a context that trusts those authorities (or the JDK's
 * defaults). The hub's certificate is checked against its host name or address.
 */
record RemoteTls(TlsPolicy policy) {

    /** Go's TLS_TIMEOUT for a remote without its own. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    /** Reads a remote's {@code tls} block. */
    static RemoteTls read(Map<String, Object> parent, String key, Object value) throws ConfigProblem {
        Map<String, Object> block = ConfigValues.block(parent, key, value);
        if (block.keySet().stream().anyMatch(k -> ConfigValues.goLower(k).equals("cert_file"))) {
            try {
                return new RemoteTls(ServerTls.create(new TlsBlockReader(w -> { }).read(parent, key, value)).policy());
            } catch (TlsSetupException e) {
                throw new ConfigProblem(parent, key, e.getMessage());
            }
        }
        Optional<Path> ca = Optional.empty();
        Duration timeout = DEFAULT_TIMEOUT;
        for (Map.Entry<String, Object> e : block.entrySet()) {
            switch (ConfigValues.goLower(e.getKey())) {
                case "ca_file" -> ca = Optional.of(Path.of(ConfigValues.string(block, e.getKey(), e.getValue())));
                case "timeout" -> timeout = e.getValue() instanceof Double d ? Duration.ofNanos(Math.round(d * 1e9))
                        : Duration.ofSeconds(ConfigValues.integer(block, e.getKey(), e.getValue()));
                case "verify", "insecure" -> {
                }
                default -> throw new ConfigProblem(block, e.getKey(), "error parsing tls config, unknown field [\""
                        + e.getKey() + "\"]");
            }
        }
        try {
            return new RemoteTls(policy(context(ca), timeout));
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigProblem(parent, key, "error parsing tls config: " + e.getMessage());
        }
    }

    /** The JDK's default trust, for a hub that requires TLS when the remote has no {@code tls} block. */
    static RemoteTls defaults() {
        try {
            return new RemoteTls(policy(SSLContext.getDefault(), DEFAULT_TIMEOUT));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    private static SSLContext context(Optional<Path> ca) throws IOException, GeneralSecurityException {
        if (ca.isEmpty()) {
            return SSLContext.getDefault();
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca.get())) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static TlsPolicy policy(SSLContext context, Duration timeout) {
        return new TlsPolicy(context, false, false, timeout, Set.of(), List.of(), List.of());
    }
}
