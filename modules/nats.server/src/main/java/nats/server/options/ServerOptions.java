package nats.server.options;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import nats.transport.tls.TlsOptions;

/**
 * Everything the server is configured with, from flags and the config file. Defaults are the Go server's.
 * Built up by the launcher, then handed to {@link NatsServer}; not changed while the server runs.
 */
public final class ServerOptions {

    public static final int DEFAULT_PORT = 4222;
    public static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;
    public static final int DEFAULT_MAX_CONTROL_LINE = 4096;
    public static final long DEFAULT_MAX_PENDING = 64L * 1024 * 1024;
    /** A port value asking the operating system for a free port, as {@code port: -1} does in Go. */
    public static final int RANDOM_PORT = -1;

    private String host = "0.0.0.0";
    private int port = DEFAULT_PORT;
    private String serverName = "";
    private int maxPayload = DEFAULT_MAX_PAYLOAD;
    private int maxControlLine = DEFAULT_MAX_CONTROL_LINE;
    private int maxConnections = 64 * 1024;
    private int maxSubscriptions;
    private long maxPending = DEFAULT_MAX_PENDING;
    private Duration pingInterval = Duration.ofMinutes(2);
    private int maxPingsOut = 2;
    private Duration writeDeadline = Duration.ofSeconds(10);
    /** Null until set: the default depends on TLS, as in Go. */
    private Duration authTimeout;
    private Duration lameDuckDuration = Duration.ofMinutes(2);
    private Duration lameDuckGracePeriod = Duration.ofSeconds(10);
    private String username = "";
    private String password = "";
    private String authToken = "";
    private java.util.List<User> users = java.util.List.of();
    private java.util.List<AccountConfig> accounts = java.util.List.of();
    private java.util.List<AccountConfig.Mapping> mappings = java.util.List.of();
    private String systemAccount = AccountConfig.SYSTEM;
    private boolean noSystemAccount;
    private OperatorOptions operator = OperatorOptions.NONE;
    private String noAuthUser = "";
    private boolean debug;
    private boolean trace;
    private boolean logTime = true;
    private Path logFile;
    private Path pidFile;
    private Path portsFileDir;
    private Path configFile;
    private int httpPort;
    private int httpsPort;
    private String httpHost = "";
    private String httpBasePath = "";
    private LogOptions logging = LogOptions.DEFAULT;
    private Path pluginsDir;
    private TlsOptions tls;
    private boolean allowNonTls;
    private final Set<String> enabledPlugins = new LinkedHashSet<>();
    private final Map<String, Object> configSections = new LinkedHashMap<>();
    private Map<String, Map<String, Object>> accountSettings = Map.of();
    /** Top-level blocks Go does not know, kept for drop-in plugins: name to (message, fatal). */
    private final Map<String, Map.Entry<String, Boolean>> unclaimedSections = new LinkedHashMap<>();
    /** Values that Go flags set in plugin sections (-sd, --routes...): section to key to value. */
    private final Map<String, Map<String, Object>> sectionFlagValues = new LinkedHashMap<>();
    /** Sections that a flag turns on (-js, --cluster), with the flag, for the error when no plugin owns one. */
    private final Map<String, String> sectionsEnabledByFlags = new LinkedHashMap<>();

    public String host() {
        return host;
    }

    public ServerOptions host(String host) {
        this.host = host;
        return this;
    }

    public int port() {
        return port;
    }

    public ServerOptions port(int port) {
        this.port = port;
        return this;
    }

    public String serverName() {
        return serverName;
    }

    public ServerOptions serverName(String serverName) {
        this.serverName = serverName;
        return this;
    }

    public int maxPayload() {
        return maxPayload;
    }

    public ServerOptions maxPayload(int maxPayload) {
        this.maxPayload = maxPayload;
        return this;
    }

    public int maxControlLine() {
        return maxControlLine;
    }

    public ServerOptions maxControlLine(int maxControlLine) {
        this.maxControlLine = maxControlLine;
        return this;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public ServerOptions maxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    /** Maximum subscriptions per connection; 0 for no limit. */
    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    public ServerOptions maxSubscriptions(int maxSubscriptions) {
        this.maxSubscriptions = maxSubscriptions;
        return this;
    }

    public long maxPending() {
        return maxPending;
    }

    public ServerOptions maxPending(long maxPending) {
        this.maxPending = maxPending;
        return this;
    }

    public Duration pingInterval() {
        return pingInterval;
    }

    public ServerOptions pingInterval(Duration pingInterval) {
        this.pingInterval = pingInterval;
        return this;
    }

    public int maxPingsOut() {
        return maxPingsOut;
    }

    public ServerOptions maxPingsOut(int maxPingsOut) {
        this.maxPingsOut = maxPingsOut;
        return this;
    }

    public Duration writeDeadline() {
        return writeDeadline;
    }

    public ServerOptions writeDeadline(Duration writeDeadline) {
        this.writeDeadline = writeDeadline;
        return this;
    }

    /** The authorization timeout; by default 2 s, or the TLS handshake timeout plus 1 s with TLS (Go's rule). */
    public Duration authTimeout() {
        if (authTimeout != null) {
            return authTimeout;
        }
        return TlsOptions.defaultAuthTimeout(Optional.ofNullable(tls));
    }

    public ServerOptions authTimeout(Duration authTimeout) {
        this.authTimeout = authTimeout;
        return this;
    }

    public Duration lameDuckDuration() {
        return lameDuckDuration;
    }

    public ServerOptions lameDuckDuration(Duration lameDuckDuration) {
        this.lameDuckDuration = lameDuckDuration;
        return this;
    }

    public Duration lameDuckGracePeriod() {
        return lameDuckGracePeriod;
    }

    public ServerOptions lameDuckGracePeriod(Duration lameDuckGracePeriod) {
        this.lameDuckGracePeriod = lameDuckGracePeriod;
        return this;
    }

    public String username() {
        return username;
    }

    public ServerOptions username(String username) {
        this.username = username;
        return this;
    }

    public String password() {
        return password;
    }

    public ServerOptions password(String password) {
        this.password = password;
        return this;
    }

    public String authToken() {
        return authToken;
    }

    public ServerOptions authToken(String authToken) {
        this.authToken = authToken;
        return this;
    }

    public boolean debug() {
        return debug;
    }

    public ServerOptions debug(boolean debug) {
        this.debug = debug;
        return this;
    }

    public boolean trace() {
        return trace;
    }

    public ServerOptions trace(boolean trace) {
        this.trace = trace;
        return this;
    }

    public boolean logTime() {
        return logTime;
    }

    public ServerOptions logTime(boolean logTime) {
        this.logTime = logTime;
        return this;
    }

    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    public ServerOptions logFile(Path logFile) {
        this.logFile = logFile;
        return this;
    }

    public Optional<Path> pidFile() {
        return Optional.ofNullable(pidFile);
    }

    public ServerOptions pidFile(Path pidFile) {
        this.pidFile = pidFile;
        return this;
    }

    public Optional<Path> portsFileDir() {
        return Optional.ofNullable(portsFileDir);
    }

    public ServerOptions portsFileDir(Path portsFileDir) {
        this.portsFileDir = portsFileDir;
        return this;
    }

    public Optional<Path> configFile() {
        return Optional.ofNullable(configFile);
    }

    public ServerOptions configFile(Path configFile) {
        this.configFile = configFile;
        return this;
    }

    /** Monitoring port; 0 when monitoring is off. */
    public int httpPort() {
        return httpPort;
    }

    public ServerOptions httpPort(int httpPort) {
        this.httpPort = httpPort;
        return this;
    }

    /** HTTPS monitoring port ({@code https_port}, {@code -ms}), on the client port's TLS; 0 when off. */
    public int httpsPort() {
        return httpsPort;
    }

    public ServerOptions httpsPort(int httpsPort) {
        this.httpsPort = httpsPort;
        return this;
    }

    /** {@code http_base_path} as configured: the monitoring endpoints are served under it; empty for "/". */
    public String httpBasePath() {
        return httpBasePath;
    }

    public ServerOptions httpBasePath(String basePath) {
        this.httpBasePath = basePath;
        return this;
    }

    /** Log rotation, UTC timestamps and syslog. */
    public LogOptions logging() {
        return logging;
    }

    public ServerOptions logging(LogOptions logging) {
        this.logging = java.util.Objects.requireNonNull(logging, "logging");
        return this;
    }

    public String httpHost() {
        return httpHost;
    }

    public ServerOptions httpHost(String httpHost) {
        this.httpHost = httpHost;
        return this;
    }

    public Optional<Path> pluginsDir() {
        return Optional.ofNullable(pluginsDir);
    }

    public ServerOptions pluginsDir(Path pluginsDir) {
        this.pluginsDir = pluginsDir;
        return this;
    }

    /** Plugin ids switched on with {@code --enable} or a Go-compatible flag such as {@code -js}. */
    public Set<String> enabledPlugins() {
        return enabledPlugins;
    }

    public ServerOptions enable(String pluginId) {
        enabledPlugins.add(pluginId);
        return this;
    }

    /**
     * A top-level block the kernel does not know, which a drop-in plugin may own: {@code message} is the
     * unknown-field report (with its position) given when no installed plugin claims it; {@code fatal} when that
     * report is an error rather than a warning.
     */
    public ServerOptions unclaimedSection(String name, String message, boolean fatal) {
        unclaimedSections.put(name, Map.entry(message, fatal));
        return this;
    }

    /** Top-level blocks that only a plugin could own, with the report due when none does. */
    public Map<String, Map.Entry<String, Boolean>> unclaimedSections() {
        return Map.copyOf(unclaimedSections);
    }

    /** Account blocks that plugins own (e.g. {@code jetstream}): account name to key to value. */
    public Map<String, Map<String, Object>> accountSettings() {
        return accountSettings;
    }

    public ServerOptions accountSettings(Map<String, Map<String, Object>> settings) {
        this.accountSettings = Map.copyOf(settings);
        return this;
    }

    /** Top-level config blocks by name, for the plugins that own them. */
    public Map<String, Object> configSections() {
        return configSections;
    }

    public ServerOptions configSection(String name, Object value) {
        configSections.put(name, value);
        return this;
    }

    /**
     * A Go flag that sets one value of a plugin's config section over the file's ({@code -sd DIR} is
     * {@code jetstream { store_dir: DIR }}), as Go's flags override the config file.
     *
     * @param flag    the flag as given, for messages
     * @param value   as the config parser would give it (String, Long, Boolean, List)
     * @param enables whether the flag alone turns the section on, as a present config block does
     */
    public ServerOptions sectionFlag(String flag, String section, String key, Object value, boolean enables) {
        sectionFlagValues.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, value);
        if (enables) {
            sectionsEnabledByFlags.putIfAbsent(section, flag);
        }
        return this;
    }

    /** Sections that are on: present in the config file or turned on by a flag. A plugin owning one starts. */
    public Set<String> presentSections() {
        Set<String> present = new LinkedHashSet<>(configSections.keySet());
        present.addAll(sectionsEnabledByFlags.keySet());
        return present;
    }

    /** Sections turned on by a flag, with that flag ({@code jetstream} by {@code -js}). */
    public Map<String, String> sectionsEnabledByFlags() {
        return Map.copyOf(sectionsEnabledByFlags);
    }

    /**
     * The section a plugin reads: the config file's block with the flags' values over it. A file value that
     * is not a block ({@code jetstream: enabled}) reads as {@code enabled: <value>}.
     */
    public Map<String, Object> section(String name) {
        Object fromFile = configSections.get(name);
        Map<String, Object> flags = sectionFlagValues.getOrDefault(name, Map.of());
        if (flags.isEmpty()) {
            if (fromFile instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> block = (Map<String, Object>) map;
                return block;
            }
            return fromFile == null ? Map.of() : Map.of("enabled", fromFile);
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        if (fromFile instanceof Map<?, ?> map) {
            map.forEach((k, v) -> merged.put(String.valueOf(k), v));
        } else if (fromFile != null) {
            merged.put("enabled", fromFile);
        }
        merged.putAll(flags);
        return merged;
    }

    /** Every section the file or a flag names, as {@link #section(String)} gives it. */
    public Map<String, Map<String, Object>> effectiveSections() {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        for (String name : configSections.keySet()) {
            all.put(name, section(name));
        }
        for (String name : sectionFlagValues.keySet()) {
            all.put(name, section(name));
        }
        return all;
    }

    /** Users from {@code authorization { users = [...] }}. */
    public java.util.List<User> users() {
        return users;
    }

    public ServerOptions users(java.util.List<User> users) {
        this.users = java.util.List.copyOf(users);
        return this;
    }

    /** Accounts from the {@code accounts { }} block, in file order. */
    public java.util.List<AccountConfig> accounts() {
        return accounts;
    }

    public ServerOptions accounts(java.util.List<AccountConfig> accounts) {
        this.accounts = java.util.List.copyOf(accounts);
        return this;
    }

    /** Subject mappings of the global account (top-level {@code mappings}). */
    public java.util.List<AccountConfig.Mapping> mappings() {
        return mappings;
    }

    public ServerOptions mappings(java.util.List<AccountConfig.Mapping> mappings) {
        this.mappings = java.util.List.copyOf(mappings);
        return this;
    }

    /** The account for server events, {@code $SYS} unless {@code system_account} names another. */
    public String systemAccount() {
        return systemAccount;
    }

    public ServerOptions systemAccount(String systemAccount) {
        this.systemAccount = systemAccount;
        this.systemAccountConfigured = true;
        return this;
    }

    private boolean systemAccountConfigured;

    /** Whether {@code system_account} (or the operator's JWT) named the system account, as Go's opts.SystemAccount. */
    public boolean systemAccountConfigured() {
        return systemAccountConfigured;
    }

    public boolean noSystemAccount() {
        return noSystemAccount;
    }

    public ServerOptions noSystemAccount(boolean noSystemAccount) {
        this.noSystemAccount = noSystemAccount;
        return this;
    }

    /** Operator (JWT) mode settings; {@link OperatorOptions#NONE} when not configured. */
    public OperatorOptions operator() {
        return operator;
    }

    public ServerOptions operator(OperatorOptions operatorOptions) {
        this.operator = operatorOptions;
        return this;
    }

    /** The user a client that sends no credentials is logged in as ({@code no_auth_user}); empty for none. */
    public String noAuthUser() {
        return noAuthUser;
    }

    public ServerOptions noAuthUser(String user) {
        this.noAuthUser = user;
        return this;
    }

    /** Whether clients must authenticate. */
    public boolean authRequired() {
        return !authToken.isEmpty() || !username.isEmpty() || !users.isEmpty() || operator.enabled();
    }

    /** TLS for the client port; empty when clients connect in plain text. */
    public Optional<TlsOptions> tls() {
        return Optional.ofNullable(tls);
    }

    /** Sets TLS for the client port, or switches it off with null. */
    public ServerOptions tls(TlsOptions tls) {
        this.tls = tls;
        return this;
    }

    /** {@code allow_non_tls}: with TLS configured, clients may still connect without it. */
    public boolean allowNonTls() {
        return allowNonTls;
    }

    public ServerOptions allowNonTls(boolean allowNonTls) {
        this.allowNonTls = allowNonTls;
        return this;
    }
}
