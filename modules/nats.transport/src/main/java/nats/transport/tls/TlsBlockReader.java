package nats.transport.tls;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.transport.config.ConfigProblem;
import nats.transport.config.ConfigValues;
import nats.transport.config.GoDuration;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;


/**
 * The top-level {@code tls { }} block, read as Go's parseTLS and GenTLSConfig read it (opts.go): the same keys
 * and error texts, and the files are loaded while the config is read, so a missing or broken certificate is
 * reported at the block's position and the server never starts with it.
 *
 * <p>Beyond Go 2.9.10: {@code min_version} and {@code handshake_first} (Go 2.10 keys).
 * {@code verify_cert_and_check_known_urls} is refused with Go's {@code not supported in this context} unless the
 * reader was made {@link #allowingKnownUrlsCheck() for a block that takes it} (Go: cluster and gateway).
 * {@code connection_rate_limit} is accepted with a warning, not enforced.
 */
public final class TlsBlockReader {

    private static final Pattern SHA256_HEX = Pattern.compile("^[A-Fa-f0-9]{64}$");
    private static final String PREFIX = "error parsing tls config, ";

    private final Consumer<ConfigProblem> warnings;
    private final boolean knownUrlsCheck;

    /** @param warnings told what the operator should know (unsupported keys that are ignored), with where */
    public TlsBlockReader(Consumer<ConfigProblem> warnings) {
        this(warnings, false);
    }

    private TlsBlockReader(Consumer<ConfigProblem> warnings, boolean knownUrlsCheck) {
        this.warnings = warnings;
        this.knownUrlsCheck = knownUrlsCheck;
    }

    /** A reader for a block that takes {@code verify_cert_and_check_known_urls} (Go's non-client contexts). */
    public TlsBlockReader allowingKnownUrlsCheck() {
        return new TlsBlockReader(warnings, true);
    }

    /** Reads the block at {@code parent.get(key)}; loads and checks the files it names. */
    public TlsOptions read(Map<String, Object> parent, String key, Object value) throws ConfigProblem {
        if (!(value instanceof Map<?, ?>)) {
            throw error(parent, key, PREFIX + "expected a map, got " + ConfigValues.typeName(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) value;
        Path cert = null;
        Path keyFile = null;
        Optional<Path> ca = Optional.empty();
        boolean verify = false;
        boolean map = false;
        boolean checkKnownUrls = false;
        Duration timeout = TlsOptions.DEFAULT_TIMEOUT;
        List<String> ciphers = List.of();
        List<String> curves = List.of();
        String minVersion = TlsOptions.TLS_1_2;
        boolean handshakeFirst = false;
        Set<String> pinned = Set.of();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            switch (ConfigValues.goLower(k)) {
                case "cert_file" -> cert = file(m, k, v);
                case "key_file" -> keyFile = file(m, k, v);
                case "ca_file" -> ca = Optional.ofNullable(file(m, k, v));
                case "insecure" -> bool(m, k, v); // only affects Go's outgoing connections
                case "verify" -> verify = bool(m, k, v);
                case "verify_and_map" -> {
                    map = bool(m, k, v);
                    verify = verify || map;
                }
                case "verify_cert_and_check_known_urls" -> {
                    checkKnownUrls = bool(m, k, v);
                    if (checkKnownUrls && !knownUrlsCheck) {
                        throw error(m, k, "verify_cert_and_check_known_urls not supported in this context");
                    }
                }
                case "cipher_suites" -> ciphers = names(m, k, v, name -> GoTlsNames.jdkCipher(name).isPresent(),
                        "unrecognized cipher ");
                case "curve_preferences" -> curves = names(m, k, v, name -> GoTlsNames.jdkCurve(name).isPresent(),
                        "unrecognized curve preference ");
                case "timeout" -> timeout = timeout(m, k, v);
                case "connection_rate_limit" -> {
                    if (!(v instanceof Long)) {
                        throw error(m, k, PREFIX + "'connection_rate_limit' wrong type");
                    }
                    warnings.accept(error(m, k, "connection_rate_limit is not supported by jnatsd; it is ignored"));
                }
                case "pinned_certs" -> pinned = pinnedCerts(m, k, v);
                case "min_version" -> minVersion = minVersion(m, k, v);
                case "handshake_first" -> handshakeFirst = bool(m, k, v);
                default -> throw error(m, k, PREFIX + "unknown field [\"" + k + "\"]");
            }
        }
        if (cert != null && keyFile == null) {
            throw error(parent, key, "missing 'key_file' in TLS configuration");
        }
        if (cert == null && keyFile != null) {
            throw error(parent, key, "missing 'cert_file' in TLS configuration");
        }
        if (cert == null) {
            // Go would start and then fail every handshake; refusing is kinder.
            throw error(parent, key, "missing 'cert_file' and 'key_file' in TLS configuration: the server needs "
                    + "a certificate");
        }
        TlsOptions options = new TlsOptions(cert, keyFile, ca, verify, map, timeout, ciphers, curves, minVersion,
                handshakeFirst, pinned, checkKnownUrls);
        try {
            // The files are checked now; the TLS context is built meanwhile for the start, which logs any warnings.
            ServerTls.check(options);
        } catch (TlsSetupException e) {
            String detail = e.getMessage();
            boolean pair = detail.startsWith("cert_file") || detail.startsWith("key_file");
            throw error(parent, key, (pair ? "error parsing X509 certificate/key pair: " : "") + detail);
        }
        return options;
    }

    private Path file(Map<String, Object> m, String k, Object v) throws ConfigProblem {
        if (!(v instanceof String s)) {
            throw error(m, k, PREFIX + "expected '" + k + "' to be filename");
        }
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw error(m, k, PREFIX + "invalid path for '" + k + "': " + e.getMessage());
        }
    }

    private boolean bool(Map<String, Object> m, String k, Object v) throws ConfigProblem {
        if (v instanceof Boolean b) {
            return b;
        }
        throw error(m, k, PREFIX + "expected '" + k + "' to be a boolean");
    }

    private List<String> names(Map<String, Object> m, String k, Object v, java.util.function.Predicate<String> known,
                               String unknownMessage) throws ConfigProblem {
        if (!(v instanceof List<?> list)) {
            throw error(m, k, PREFIX + "expected '" + k + "' to be an array, got " + ConfigValues.typeName(v));
        }
        if (list.isEmpty()) {
            throw error(m, k, PREFIX + "'" + k + "' cannot be empty");
        }
        List<String> names = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String name) || !known.test(name)) {
                throw error(m, k, unknownMessage + (item instanceof String s ? s : ConfigValues.typeName(item)));
            }
            names.add(name);
        }
        return names;
    }

    /** Seconds as an integer or a fraction, or a Go duration string; 0 means Go's default of 2 seconds. */
    private Duration timeout(Map<String, Object> m, String k, Object v) throws ConfigProblem {
        Duration d;
        if (v instanceof Long l) {
            d = Duration.ofSeconds(l);
        } else if (v instanceof Double x) {
            d = Duration.ofNanos(Math.round(x * 1e9));
        } else if (v instanceof String s) {
            try {
                d = GoDuration.parse(s);
            } catch (IllegalArgumentException e) {
                throw error(m, k, PREFIX + "'timeout' " + e.getMessage());
            }
        } else {
            throw error(m, k, PREFIX + "'timeout' wrong type");
        }
        if (d.isNegative()) {
            throw error(m, k, PREFIX + "'timeout' can not be negative");
        }
        return d.isZero() ? TlsOptions.DEFAULT_TIMEOUT : d;
    }

    private Set<String> pinnedCerts(Map<String, Object> m, String k, Object v) throws ConfigProblem {
        String expected = PREFIX + "expected 'pinned_certs' to be a list of hex-encoded sha256 of DER encoded "
                + "SubjectPublicKeyInfo";
        if (!(v instanceof List<?> list)) {
            throw error(m, k, expected);
        }
        Set<String> pinned = new LinkedHashSet<>();
        for (Object item : list) {
            String entry = item instanceof String s ? s.toLowerCase(java.util.Locale.ROOT) : String.valueOf(item);
            if (!SHA256_HEX.matcher(entry).matches()) {
                throw error(m, k, PREFIX + "'pinned_certs' key " + entry + " does not look like hex-encoded sha256 "
                        + "of DER encoded SubjectPublicKeyInfo");
            }
            pinned.add(entry);
        }
        return pinned;
    }

    private String minVersion(Map<String, Object> m, String k, Object v) throws ConfigProblem {
        if (v instanceof String s && (s.equals(TlsOptions.TLS_1_2) || s.equals(TlsOptions.TLS_1_3))) {
            return s;
        }
        if (v instanceof Double d && (d == 1.2 || d == 1.3)) {
            return d == 1.2 ? TlsOptions.TLS_1_2 : TlsOptions.TLS_1_3; // written without quotes
        }
        throw error(m, k, PREFIX + "'min_version' must be \"1.2\" or \"1.3\", got " + ConfigValues.typeName(v));
    }

    private static ConfigProblem error(Map<String, Object> m, String key, String reason) {
        return new ConfigProblem(m, key, reason);
    }
}
