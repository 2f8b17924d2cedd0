package nats.transport.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

/**
 * A listener's TLS, ready to use: the server's certificate and key loaded, the trusted CAs, and the
 * engine settings Go's {@code GenTLSConfig} makes (TLS 1.2 minimum, Go's cipher suites and curves, server
 * cipher order, client certificates required when verifying). Built once at start-up; files are read then.
 */
public final class ServerTls {

    private final TlsOptions options;
    private final SSLContext context;
    private final SSLParameters parameters;
    private final List<String> warnings;

    private ServerTls(TlsOptions options, SSLContext context, SSLParameters parameters, List<String> warnings) {
        this.options = options;
        this.context = context;
        this.parameters = parameters;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * The listener's TLS for these options: the one {@link #check} began building if the files are unchanged since,
     * else loaded and built now. Reports every problem as an exception.
     */
    public static ServerTls create(TlsOptions options) throws TlsSetupException {
        ServerTls prepared = PreparedTls.take(options);
        return prepared != null ? prepared : build(options, Material.load(options));
    }

    /**
     * Checks the block as the config is read (the files load, the key belongs to the certificate, the cipher and
     * curve names are known) and begins building the TLS context on a background thread for the start that
     * follows ({@link #create} takes it).
     */
    public static void check(TlsOptions options) throws TlsSetupException {
        PreparedTls.begin(options, Material.load(options));
    }

    /** What a block's files hold, checked: the certificate chain (leaf first), its key and the trusted CAs. */
    record Material(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> trusted) {

        static Material load(TlsOptions options) throws TlsSetupException {
            List<X509Certificate> chain = PemKeys.certificates(options.certFile(), "cert_file");
            PrivateKey key = PemKeys.privateKey(options.keyFile(), "key_file");
            if (!PemKeys.matches(key, chain.get(0).getPublicKey())) {
                throw new TlsSetupException("key_file " + options.keyFile() + " does not belong to the certificate "
                        + "in cert_file " + options.certFile() + " (private key does not match public key)");
            }
            List<X509Certificate> trusted = options.caFile().isPresent()
                    ? PemKeys.certificates(options.caFile().get(), "ca_file") : List.of();
            for (String go : options.cipherSuites()) {
                GoTlsNames.jdkCipher(go).orElseThrow(() -> new TlsSetupException("unrecognized cipher " + go));
            }
            for (String go : options.curvePreferences()) {
                GoTlsNames.jdkCurve(go)
                        .orElseThrow(() -> new TlsSetupException("unrecognized curve preference " + go));
            }
            return new Material(chain, key, trusted);
        }
    }

    static ServerTls build(TlsOptions options, Material material) throws TlsSetupException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(material.chain(), material.key()), trustManagers(material.trusted()), null);
            List<String> warnings = new ArrayList<>();
            SSLParameters parameters = parameters(context, options, warnings);
            return new ServerTls(options, context, parameters, warnings);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsSetupException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static javax.net.ssl.KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey key)
            throws GeneralSecurityException, java.io.IOException {
        // The in-memory key store needs a password for its entry; nobody else ever sees it.
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        char[] password = HexFormat.of().formatHex(random).toCharArray();
        KeyStore store = memoryStore();
        store.setKeyEntry("server", key, password, chain.toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    /**
     * An empty key store that lives only in memory. JKS, not PKCS12: a PKCS12 store encrypts a key entry with
     * PBKDF2 (10,000 HMAC rounds) when it is put in and again when the key manager takes it out, and normalises
     * the aliases of certificate entries with ICU: together ~0.5 s of a TLS server's start in the interpreter.
     * The protection is pointless for a store nobody else sees; JKS's is a few digests.
     */
    private static KeyStore memoryStore() throws GeneralSecurityException, java.io.IOException {
        KeyStore store = KeyStore.getInstance("JKS");
        store.load(null, null);
        return store;
    }

    /** The CAs from ca_file, or the JDK's trust store when there is no ca_file (Go uses the system roots). */
    private static javax.net.ssl.TrustManager[] trustManagers(List<X509Certificate> trusted)
            throws GeneralSecurityException, java.io.IOException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (trusted.isEmpty()) {
            factory.init((KeyStore) null);
        } else {
            KeyStore store = memoryStore();
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("ca-" + i, trusted.get(i));
            }
            factory.init(store);
        }
        javax.net.ssl.TrustManager[] managers = factory.getTrustManagers();
        for (int i = 0; i < managers.length; i++) {
            if (managers[i] instanceof javax.net.ssl.X509ExtendedTrustManager x509) {
                managers[i] = CertificateValidity.checking(x509);
            }
        }
        return managers;
    }

    private static SSLParameters parameters(SSLContext context, TlsOptions options, List<String> warnings)
            throws TlsSetupException {
        Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
        List<String> suites = new ArrayList<>();
        for (String go : GoTlsNames.TLS13_CIPHERS) {
            GoTlsNames.jdkCipher(go).filter(supported::contains).ifPresent(suites::add);
        }
        List<String> configured = options.cipherSuites().isEmpty() ? GoTlsNames.DEFAULT_CIPHERS
                : options.cipherSuites();
        for (String go : configured) {
            String jdk = GoTlsNames.jdkCipher(go)
                    .orElseThrow(() -> new TlsSetupException("unrecognized cipher " + go));
            if (GoTlsNames.isTls13Cipher(go)) {
                continue; // always enabled, as in Go
            }
            if (supported.contains(jdk)) {
                suites.add(jdk);
            } else {
                warnings.add("cipher suite " + go + " is not available in this Java runtime; it is ignored");
            }
        }
        List<String> groups = new ArrayList<>();
        for (String go : options.curvePreferences().isEmpty() ? GoTlsNames.DEFAULT_CURVES
                : options.curvePreferences()) {
            groups.add(GoTlsNames.jdkCurve(go)
                    .orElseThrow(() -> new TlsSetupException("unrecognized curve preference " + go)));
        }
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(options.minVersion().equals(TlsOptions.TLS_1_3) ? new String[] {"TLSv1.3"}
                : new String[] {"TLSv1.3", "TLSv1.2"});
        p.setCipherSuites(suites.toArray(String[]::new));
        p.setNamedGroups(groups.toArray(String[]::new));
        // Go's PreferServerCipherSuites.
        p.setUseCipherSuitesOrder(true);
        p.setNeedClientAuth(options.verify());
        return p;
    }

    /** The policy the kernel's listeners run, for a plugin's {@code ListenerSpec}. */
    public nats.api.net.TlsPolicy policy() {
        return new nats.api.net.TlsPolicy(context, options.verify(), options.verifyAndMap(), options.timeout(),
                options.pinnedCerts(), java.util.Arrays.asList(parameters.getCipherSuites()),
                java.util.Arrays.asList(parameters.getProtocols()));
    }

    /** The TLS context, for a server that runs its own handshakes (the HTTPS monitoring port). */
    public SSLContext context() {
        return context;
    }

    /**
     * The engine settings (protocols, cipher suites, curves) with client certificates neither requested nor
     * required, as Go's HTTPS monitoring port uses the client port's TLS configuration.
     */
    public SSLParameters parametersWithoutClientAuth() {
        SSLParameters p = new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols());
        p.setNamedGroups(parameters.getNamedGroups());
        p.setUseCipherSuitesOrder(parameters.getUseCipherSuitesOrder());
        p.setNeedClientAuth(false);
        p.setWantClientAuth(false);
        return p;
    }

    /** A server-mode engine for one connection. */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters);
        return engine;
    }

    public TlsOptions options() {
        return options;
    }

    /** Things the operator should know (e.g. cipher suites this runtime lacks); the server logs them. */
    public List<String> warnings() {
        return warnings;
    }

}
