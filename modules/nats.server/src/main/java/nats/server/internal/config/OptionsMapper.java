package nats.server.internal.config;

import nats.transport.config.ConfigProblem;
import nats.transport.tls.TlsBlockReader;
import nats.transport.tls.TlsOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import nats.server.options.AccountConfig;
import nats.server.options.OperatorOptions;
import nats.server.options.Permissions;
import nats.server.options.ServerOptions;
import nats.server.options.User;

/**
 * Applies a parsed configuration to {@link ServerOptions}, reading the top-level keys as the Go server's
 * {@code processConfigFileLine} does (keys matched case-insensitively; aliases such as {@code net} for
 * {@code host} included). Blocks owned by plugins ({@code cluster}, {@code jetstream}, {@code mqtt}, ...) are
 * handed over unchanged through {@link ServerOptions#configSection(String, Object)}.
 *
 * <p>Either every option is applied or, when a value is wrong, none is and a {@link ConfigException} names the
 * key's file, line and column.
 */
public final class OptionsMapper {

    /** Go's defaults, which a zero value in the file stands for (Go's setBaselineOptions). */
    private static final int DEFAULT_MAX_CONNECTIONS = 64 * 1024;
    private static final Duration DEFAULT_PING_INTERVAL = Duration.ofMinutes(2);
    private static final int DEFAULT_PING_MAX = 2;
    private static final Duration DEFAULT_WRITE_DEADLINE = Duration.ofSeconds(10);
    private static final Duration DEFAULT_LAME_DUCK_GRACE_PERIOD = Duration.ofSeconds(10);
    private static final Duration MIN_LAME_DUCK_DURATION = Duration.ofSeconds(30);

    /** Top-level keys (lower case) that plugins own, with the section name they are handed over under. */
    private static final Map<String, String> SECTIONS = Map.ofEntries(
            Map.entry("cluster", "cluster"),
            Map.entry("gateway", "gateway"),
            Map.entry("leafnodes", "leafnodes"),
            Map.entry("leaf", "leafnodes"),
            Map.entry("jetstream", "jetstream"),
            Map.entry("store_dir", "store_dir"),
            Map.entry("storedir", "store_dir"),
            Map.entry("mqtt", "mqtt"),
            Map.entry("websocket", "websocket"),
            Map.entry("ws", "websocket"),
            Map.entry("ocsp", "ocsp"),
            Map.entry("resolver_tls", "resolver_tls"),
            Map.entry("resolver_pinned_accounts", "resolver_pinned_accounts"),
            Map.entry("default_js_domain", "default_js_domain"),
            Map.entry("server_tags", "server_tags"));

    /** Go server options the kernel does not implement: accepted with a warning. */
    private static final Set<String> UNSUPPORTED = Set.of(
            "client_advertise", "disable_sublist_cache", "no_sublist_cache", "prof_port", "max_traced_msg_len",
            "max_sub_tokens", "max_subscription_tokens", "no_header_support", "connect_error_reports",
            "reconnect_error_reports");


    private final boolean pedantic;
    private final List<Consumer<ServerOptions>> actions = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private Long maxPayload;
    private String maxPayloadKey;
    private Long maxPending;
    private String maxPendingKey;
    private Map<String, Object> top;
    private final AccountsMapper accounts = new AccountsMapper(this);
    private final OperatorMapper operators = new OperatorMapper();
    /** Users of the authorization block, joined with the accounts' users once both are read. */
    private List<User> authorizationUsers = List.of();
    private boolean singleUserOrToken;
    private boolean authorizationToken;
    private String noAuthUser = "";
    private String noAuthUserKey;
    private Map<String, Object> authorizationMap;
    private String authorizationKey;

    private OptionsMapper(boolean pedantic) {
        this.pedantic = pedantic;
    }

    /** A mapper for reading one block (a listener's credentials) outside a whole config file. */
    static OptionsMapper forBlock() {
        return new OptionsMapper(false);
    }

    /**
     * Sets {@code options} from the top-level keys of {@code config}.
     *
     * @param pedantic whether an unknown key is an error (as it is in the Go server) rather than a warning
     * @return warnings for the caller to log, each {@code file:line:column: message} when the position is known
     * @throws ConfigException for a value of the wrong type or out of range, or an unknown key when pedantic;
     *                         {@code options} is then left unchanged
     */
    public static List<String> apply(Map<String, Object> config, ServerOptions options, boolean pedantic)
            throws ConfigException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        OptionsMapper mapper = new OptionsMapper(pedantic);
        mapper.top = config;
        for (Map.Entry<String, Object> e : config.entrySet()) {
            mapper.option(e.getKey(), e.getValue());
        }
        mapper.checkPayloadAgainstPending(options);
        mapper.joinUsers();
        mapper.operators.systemAccountFromOperator(mapper.actions);
        for (Consumer<ServerOptions> action : mapper.actions) {
            action.accept(options);
        }
        return List.copyOf(mapper.warnings);
    }

    private void option(String key, Object v) throws ConfigException {
        Map<String, Object> m = top;
        String k = Lexer.goLower(key);
        switch (k) {
            case "listen" -> {
                HostPort hp = hostPort(m, key, v);
                actions.add(o -> {
                    if (hp.host() != null) {
                        o.host(hp.host().isEmpty() ? "0.0.0.0" : hp.host());
                    }
                    o.port(hp.port() == 0 ? ServerOptions.DEFAULT_PORT : hp.port());
                });
            }
            case "host", "net" -> {
                String host = string(m, key, v);
                actions.add(o -> o.host(host.isEmpty() ? "0.0.0.0" : host));
            }
            case "port" -> {
                int port = port(m, key, v);
                actions.add(o -> o.port(port == 0 ? ServerOptions.DEFAULT_PORT : port));
            }
            case "server_name" -> {
                String name = string(m, key, v);
                actions.add(o -> o.serverName(name));
            }
            case "debug" -> {
                boolean b = bool(m, key, v);
                actions.add(o -> o.debug(b));
            }
            case "trace" -> {
                boolean b = bool(m, key, v);
                actions.add(o -> o.trace(b));
            }
            case "trace_verbose" -> {
                boolean b = bool(m, key, v);
                actions.add(o -> o.trace(b));
                warnings.add(warning(m, key, "trace_verbose is treated as trace: jnatsd has no more verbose "
                        + "tracing"));
            }
            case "logtime" -> {
                boolean b = bool(m, key, v);
                actions.add(o -> o.logTime(b));
            }
            case "logtime_utc" -> {
                boolean b = bool(m, key, v);
                actions.add(o -> o.logging(o.logging().withUtc(b)));
            }
            case "logfile_size_limit", "log_size_limit" -> {
                long n = integer(m, key, v);
                actions.add(o -> o.logging(o.logging().withSizeLimit(n)));
            }
            case "logfile_max_num", "log_max_num" -> {
                long n = integer(m, key, v);
                actions.add(o -> o.logging(o.logging().withMaxFiles(n)));
            }
            case "syslog" -> {
                boolean b = bool(m, key, v);
                actions.add(o -> o.logging(o.logging().withSyslog(b)));
            }
            case "remote_syslog" -> {
                String address = string(m, key, v);
                actions.add(o -> o.logging(o.logging().withRemoteSyslog(address)));
            }
            case "max_payload", "max_control_line" -> {
                long n = integer(m, key, v);
                if (n > Integer.MAX_VALUE) {
                    throw error(m, key, key + " value is too big");
                }
                if (n < 0) {
                    throw error(m, key, key + " can not be negative");
                }
                int value = (int) n;
                if (k.equals("max_payload")) {
                    maxPayload = n == 0 ? (long) ServerOptions.DEFAULT_MAX_PAYLOAD : n;
                    maxPayloadKey = key;
                    actions.add(o -> o.maxPayload(value == 0 ? ServerOptions.DEFAULT_MAX_PAYLOAD : value));
                } else {
                    actions.add(o -> o.maxControlLine(value == 0 ? ServerOptions.DEFAULT_MAX_CONTROL_LINE : value));
                }
            }
            case "max_pending" -> {
                long n = integer(m, key, v);
                if (n < 0) {
                    throw error(m, key, key + " can not be negative");
                }
                maxPending = n == 0 ? ServerOptions.DEFAULT_MAX_PENDING : n;
                maxPendingKey = key;
                actions.add(o -> o.maxPending(n == 0 ? ServerOptions.DEFAULT_MAX_PENDING : n));
            }
            case "max_connections", "max_conn" -> {
                long n = integer(m, key, v);
                // Go: 0 means the default; a negative value means no limit.
                int value = n == 0 ? DEFAULT_MAX_CONNECTIONS
                        : n < 0 || n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
                actions.add(o -> o.maxConnections(value));
            }
            case "max_subscriptions", "max_subs" -> {
                long n = integer(m, key, v);
                // 0 and negative values mean no limit, as in Go.
                int value = n <= 0 ? 0 : n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
                actions.add(o -> o.maxSubscriptions(value));
            }
            case "ping_interval" -> {
                Duration d = positiveDuration(m, key, v);
                actions.add(o -> o.pingInterval(d.isZero() ? DEFAULT_PING_INTERVAL : d));
            }
            case "ping_max" -> {
                long n = integer(m, key, v);
                if (n < 0 || n > Integer.MAX_VALUE) {
                    throw error(m, key, key + " must be between 0 and " + Integer.MAX_VALUE + ", got " + n);
                }
                actions.add(o -> o.maxPingsOut(n == 0 ? DEFAULT_PING_MAX : (int) n));
            }
            case "write_deadline" -> {
                Duration d = positiveDuration(m, key, v);
                actions.add(o -> o.writeDeadline(d.isZero() ? DEFAULT_WRITE_DEADLINE : d));
            }
            case "authorization" -> authorization(m, key, v);
            case "accounts" -> accounts.accounts(m, key, v);
            case "no_auth_user" -> {
                noAuthUser = string(m, key, v);
                noAuthUserKey = key;
            }
            case "operator", "operators", "roots", "root", "root_operators", "root_operator" -> {
                List<String> jwts = operators.operators(m, key, v);
                actions.add(o -> o.operator(o.operator().withOperators(jwts)));
            }
            case "trusted", "trusted_keys" -> {
                List<String> keys = operators.trustedKeys(m, key, v);
                actions.add(o -> o.operator(o.operator().withTrustedKeys(keys)));
            }
            case "resolver", "account_resolver", "accounts_resolver" -> {
                OperatorOptions.Resolver r = operators.resolver(m, key, v);
                actions.add(o -> o.operator(o.operator().withResolver(r)));
            }
            case "resolver_preload" -> {
                Map<String, String> preload = operators.preload(m, key, v);
                actions.add(o -> o.operator(o.operator().withPreload(preload)));
            }
            case "system_account", "system" -> {
                String name = string(m, key, v);
                operators.systemAccountSet();
                actions.add(o -> o.systemAccount(name));
            }
            case "no_system_account", "no_system", "no_sys_acc" -> {
                boolean off = bool(m, key, v);
                actions.add(o -> o.noSystemAccount(off));
            }
            case "mappings", "maps" -> {
                List<AccountConfig.Mapping> mappings = accounts.mappings(m, key, v);
                actions.add(o -> o.mappings(mappings));
            }
            case "tls" -> {
                TlsOptions tls;
                try {
                    tls = new TlsBlockReader(w -> warnings.add(warning(w))).read(m, key, v);
                } catch (ConfigProblem e) {
                    throw error(e);
                }
                actions.add(o -> o.tls(tls));
            }
            case "allow_non_tls" -> {
                boolean b = bool(m, key, v);
                actions.add(o -> o.allowNonTls(b));
            }
            case "logfile", "log_file" -> {
                Path p = path(m, key, v);
                actions.add(o -> o.logFile(p));
            }
            case "pidfile", "pid_file" -> {
                Path p = path(m, key, v);
                actions.add(o -> o.pidFile(p));
            }
            case "ports_file_dir" -> {
                Path p = path(m, key, v);
                actions.add(o -> o.portsFileDir(p));
            }
            case "http" -> {
                HostPort hp = hostPort(m, key, v);
                actions.add(o -> {
                    if (hp.host() != null) {
                        o.httpHost(hp.host());
                    }
                    o.httpPort(hp.port());
                });
            }
            case "http_port", "monitor_port" -> {
                int port = port(m, key, v);
                actions.add(o -> o.httpPort(port));
            }
            case "https" -> {
                HostPort hp = hostPort(m, key, v);
                actions.add(o -> {
                    if (hp.host() != null) {
                        o.httpHost(hp.host());
                    }
                    o.httpsPort(hp.port());
                });
            }
            case "https_port" -> {
                int port = port(m, key, v);
                actions.add(o -> o.httpsPort(port));
            }
            case "http_base_path" -> {
                String base = string(m, key, v);
                actions.add(o -> o.httpBasePath(base));
            }
            case "http_host" -> {
                // Not a Go config key (Go takes the host from "http: host:port"); accepted for convenience.
                String host = string(m, key, v);
                actions.add(o -> o.httpHost(host));
            }
            case "lame_duck_duration" -> {
                Duration d = durationString(m, key, v);
                if (d.compareTo(MIN_LAME_DUCK_DURATION) < 0) {
                    throw error(m, key, "invalid lame_duck_duration of " + v + ", minimum is 30 seconds");
                }
                actions.add(o -> o.lameDuckDuration(d));
            }
            case "lame_duck_grace_period" -> {
                Duration d = durationString(m, key, v);
                if (d.isNegative()) {
                    throw error(m, key, "invalid lame_duck_grace_period, needs to be positive");
                }
                actions.add(o -> o.lameDuckGracePeriod(d.isZero() ? DEFAULT_LAME_DUCK_GRACE_PERIOD : d));
            }
            default -> {
                String section = SECTIONS.get(k);
                if (section != null) {
                    actions.add(o -> o.configSection(section, v));
                } else if (UNSUPPORTED.contains(k)) {
                    warnings.add(warning(m, key, "'" + key + "' is a nats-server option jnatsd does not "
                            + "support; it is ignored"));
                } else if (m == top && v instanceof Map<?, ?> && !(m instanceof ConfigMap cm && cm.usedAsVariable(key))) {
                    // Perhaps the block of a drop-in plugin: kept for it, reported as unknown only if no
                    // installed plugin owns it (checked when the plugins are known).
                    String reason = "unknown field \"" + key + "\"";
                    String text = pedantic ? error(m, key, reason).getMessage() : warning(m, key, reason);
                    boolean fatal = pedantic;
                    actions.add(o -> o.configSection(key, v).unclaimedSection(key, text, fatal));
                } else {
                    unknown(m, key);
                }
            }
        }
    }

    private void authorization(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (!(v instanceof Map<?, ?>)) {
            throw error(m, key, "expected a map to define " + key + ", got " + ConfigParser.typeName(v));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> am = (Map<String, Object>) v;
        String user = "";
        String pass = "";
        String token = "";
        Duration timeout = null;
        List<User> users = List.of();
        Permissions defaultPermissions = null;
        for (Map.Entry<String, Object> e : am.entrySet()) {
            String ak = e.getKey();
            Object av = e.getValue();
            switch (Lexer.goLower(ak)) {
                case "user", "username" -> user = string(am, ak, av);
                case "pass", "password" -> pass = string(am, ak, av);
                case "users" -> users = users(am, ak, av);
                case "default_permission", "default_permissions", "permissions" ->
                        defaultPermissions = permissions(am, ak, av);
                case "token" -> token = string(am, ak, av);
                case "timeout" -> timeout = authTimeout(am, ak, av);
                default -> unknown(am, ak);
            }
        }
        if ((!user.isEmpty() || !pass.isEmpty()) && !token.isEmpty()) {
            throw error(m, key, "Cannot have a user/pass and token");
        }
        if (!users.isEmpty() && !user.isEmpty()) {
            throw error(m, key, "Can not have a single user/pass and a users array");
        }
        if (!users.isEmpty() && !token.isEmpty()) {
            throw error(m, key, "Can not have a token and a users array");
        }
        String u = user;
        String p = pass;
        String t = token;
        Duration to = timeout;
        // As in Go, default permissions apply to the users that have none of their own.
        Permissions defaults = defaultPermissions;
        List<User> us = defaults == null ? users : users.stream()
                .map(x -> x.permissions() == Permissions.UNRESTRICTED ? x.withPermissions(defaults) : x)
                .toList();
        authorizationUsers = us;
        singleUserOrToken = !u.isEmpty() || !t.isEmpty();
        authorizationToken = !t.isEmpty();
        authorizationMap = m;
        authorizationKey = key;
        actions.add(o -> {
            o.username(u).password(p).authToken(t);
            // Zero keeps Go's default, which depends on TLS (ServerOptions#authTimeout).
            if (to != null && !to.isZero()) {
                o.authTimeout(to);
            }
        });
    }

    /** {@code users = [ {user: a, password: b}, ... ]}; per-user permissions are not supported yet. */
    List<User> users(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (!(v instanceof List<?> list)) {
            throw error(m, key, "expected an array of users, got " + ConfigParser.typeName(v));
        }
        List<User> users = new ArrayList<>();
        for (Object entry : list) {
            if (!(entry instanceof Map<?, ?>)) {
                throw error(m, key, "expected a user map, got " + ConfigParser.typeName(entry));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> um = (Map<String, Object>) entry;
            String name = "";
            String password = "";
            String nkey = "";
            List<String> connectionTypes = List.of();
            Permissions permissions = Permissions.UNRESTRICTED;
            for (Map.Entry<String, Object> e : um.entrySet()) {
                switch (Lexer.goLower(e.getKey())) {
                    case "nkey" -> nkey = string(um, e.getKey(), e.getValue());
                    case "user", "username" -> name = string(um, e.getKey(), e.getValue());
                    case "pass", "password" -> password = string(um, e.getKey(), e.getValue());
                    case "permission", "permissions", "authorization" ->
                            permissions = permissions(um, e.getKey(), e.getValue());
                    case "allowed_connection_types", "connection_types", "clients" -> {
                        connectionTypes = stringOrList(um, e.getKey(), e.getValue());
                        String invalid = nats.server.internal.auth.ConnectionTypes.invalid(connectionTypes);
                        if (invalid != null) {
                            throw error(um, e.getKey(), invalid);
                        }
                    }
                    default -> unknown(um, e.getKey());
                }
            }
            if (nkey.isEmpty() && name.isEmpty()) {
                throw error(m, key, "User entry requires a user");
            }
            if (!nkey.isEmpty()) {
                if (!nats.server.internal.auth.NKey.isValidPublicKey(nkey, nats.server.internal.auth.NKey.Type.USER)) {
                    throw error(m, key, "Not a valid public nkey for a user");
                }
                if (!name.isEmpty() || !password.isEmpty()) {
                    throw error(m, key, "Nkey users do not take usernames or passwords");
                }
                users.add(User.withNkey(nkey, permissions).withConnectionTypes(connectionTypes));
            } else {
                users.add(new User(name, password, permissions).withConnectionTypes(connectionTypes));
            }
        }
        return users;
    }

    /** {@code permissions { publish: ..., subscribe: ... }} in Go's forms (list, string, or allow/deny map). */
    Permissions permissions(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (!(v instanceof Map<?, ?>)) {
            throw error(m, key, "Expected permissions to be a map/struct, got " + ConfigParser.typeName(v));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> pm = (Map<String, Object>) v;
        Permissions.Rules publish = Permissions.Rules.ANY;
        Permissions.Rules subscribe = Permissions.Rules.ANY;
        Permissions.Responses responses = null;
        for (Map.Entry<String, Object> e : pm.entrySet()) {
            switch (Lexer.goLower(e.getKey())) {
                case "pub", "publish", "import" -> publish = rules(pm, e.getKey(), e.getValue());
                case "sub", "subscribe", "export" -> subscribe = rules(pm, e.getKey(), e.getValue());
                case "allow_responses", "publish_allow_responses" -> responses = responses(pm, e.getKey(), e.getValue());
                default -> throw error(pm, e.getKey(), "Unknown field \"" + e.getKey() + "\" parsing permissions");
            }
        }
        Permissions p = new Permissions(publish, subscribe);
        return responses == null ? p : p.withResponses(responses);
    }

    /** {@code allow_responses: true} or {@code {max: n, expires: "1m"}}; false or null allows none. */
    private Permissions.Responses responses(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (v instanceof Boolean b) {
            return b ? Permissions.DEFAULT_RESPONSES : null;
        }
        if (!(v instanceof Map<?, ?>)) {
            throw error(m, key, "error parsing response permissions, expected a boolean or a map");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> rm = (Map<String, Object>) v;
        int max = Permissions.DEFAULT_RESPONSES.maxMsgs();
        Duration expires = Permissions.DEFAULT_RESPONSES.expires();
        for (Map.Entry<String, Object> e : rm.entrySet()) {
            switch (Lexer.goLower(e.getKey())) {
                case "max", "max_msgs", "max_messages", "max_responses" -> {
                    long n = integer(rm, e.getKey(), e.getValue());
                    if (n != 0) {
                        max = (int) n;
                    }
                }
                case "expires", "expiration", "ttl" -> {
                    if (!(e.getValue() instanceof String d)) {
                        throw error(rm, e.getKey(), "error parsing expires, not a duration string");
                    }
                    Duration ttl;
                    try {
                        ttl = nats.transport.config.GoDuration.parse(d);
                    } catch (IllegalArgumentException ex) {
                        throw error(rm, e.getKey(), "error parsing expires: " + ex.getMessage());
                    }
                    if (!ttl.isZero()) {
                        expires = ttl;
                    }
                }
                default -> throw error(rm, e.getKey(), "Unknown field \"" + e.getKey() + "\" parsing permissions");
            }
        }
        return new Permissions.Responses(max, expires);
    }

    /** A bare list or string allows; a map may have allow and deny lists. */
    private Permissions.Rules rules(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (v instanceof Map<?, ?>) {
            @SuppressWarnings("unchecked")
            Map<String, Object> rm = (Map<String, Object>) v;
            Optional<List<String>> allow = Optional.empty();
            List<String> deny = List.of();
            for (Map.Entry<String, Object> e : rm.entrySet()) {
                switch (Lexer.goLower(e.getKey())) {
                    case "allow" -> allow = Optional.of(subjects(rm, e.getKey(), e.getValue()));
                    case "deny" -> deny = subjects(rm, e.getKey(), e.getValue());
                    default -> throw error(rm, e.getKey(),
                            "Unknown field name \"" + e.getKey() + "\" parsing subject permissions, only 'allow' or 'deny' are permitted");
                }
            }
            return new Permissions.Rules(allow, deny);
        }
        return new Permissions.Rules(Optional.of(subjects(m, key, v)), List.of());
    }

    private List<String> subjects(Map<String, Object> m, String key, Object v) throws ConfigException {
        List<String> out = stringOrList(m, key, v);
        for (String subject : out) {
            String s = subject.strip();
            int space = s.indexOf(' ');
            String subj = space < 0 ? s : s.substring(0, space);
            if (!nats.transport.protocol.Subjects.isValidSubject(subj)) {
                throw error(m, key, "subject \"" + subject + "\" is not a valid subject");
            }
        }
        return out;
    }

    /** A string or a list of strings. */
    private List<String> stringOrList(Map<String, Object> m, String key, Object v) throws ConfigException {
        List<String> out = new ArrayList<>();
        for (Object item : v instanceof List<?> list ? list : List.of(v)) {
            out.add(string(m, key, item));
        }
        return out;
    }

    /** Go reads the timeout as seconds, integer or fractional; anything else counts as 1 second. */
    private Duration authTimeout(Map<String, Object> m, String key, Object v) throws ConfigException {
        double seconds;
        if (v instanceof Long l) {
            seconds = l;
        } else if (v instanceof Double d) {
            seconds = d;
        } else {
            warnings.add(warning(m, key, "the authorization timeout should be a number of seconds; "
                    + ConfigParser.typeName(v) + " counts as 1 second, as in the Go server"));
            seconds = 1;
        }
        if (seconds < 0 || seconds > Integer.MAX_VALUE) {
            throw error(m, key, "the authorization timeout must be between 0 and " + Integer.MAX_VALUE
                    + " seconds, got " + v);
        }
        return Duration.ofNanos(Math.round(seconds * 1_000_000_000d));
    }

    /** All users, from the authorization block and the accounts, each name once (Go's duplicate check). */
    private void joinUsers() throws ConfigException {
        List<User> fromAccounts = accounts.users();
        if (!fromAccounts.isEmpty() && singleUserOrToken) {
            // Go reads the accounts first and then finds the authorization block clashing with their users.
            throw error(authorizationMap, authorizationKey, authorizationToken
                    ? "Can not have a token and a users array" : "Can not have a single user/pass and a users array");
        }
        List<User> all = new ArrayList<>(authorizationUsers);
        Set<String> seen = new java.util.HashSet<>();
        authorizationUsers.forEach(u -> seen.add(u.isNkeyUser() ? u.nkey() : u.name()));
        for (User u : fromAccounts) {
            if (!seen.add(u.isNkeyUser() ? u.nkey() : u.name())) {
                throw accounts.usersError(u.isNkeyUser() ? "Duplicate nkey \"" + u.nkey() + "\" detected"
                        : "Duplicate user \"" + u.name() + "\" detected");
            }
            all.add(u);
        }
        List<AccountConfig> accountList = accounts.accountConfigs();
        if (!noAuthUser.isEmpty()) {
            // Go's validateNoAuthUser.
            if (operators.hasOperators()) {
                throw error(top, noAuthUserKey, "no_auth_user not compatible with Trusted Operator");
            }
            if (all.isEmpty()) {
                throw error(top, noAuthUserKey, "no_auth_user: \"" + noAuthUser + "\" present, but users are not defined");
            }
            if (all.stream().noneMatch(u -> u.name().equals(noAuthUser))) {
                throw error(top, noAuthUserKey, "no_auth_user: \"" + noAuthUser
                        + "\" not present as user in authorization block or account configuration");
            }
        }
        String nau = noAuthUser;
        Map<String, Map<String, Object>> settings = Map.copyOf(accounts.pluginSettings());
        actions.add(o -> o.users(all).accounts(accountList).noAuthUser(nau).accountSettings(settings));
    }

    private void checkPayloadAgainstPending(ServerOptions current) throws ConfigException {
        if (maxPayload == null && maxPending == null) {
            return;
        }
        long payload = maxPayload != null ? maxPayload : current.maxPayload();
        long pending = maxPending != null ? maxPending : current.maxPending();
        if (payload > pending) {
            String key = maxPayloadKey != null ? maxPayloadKey : maxPendingKey;
            throw error(top, key, "max_payload (" + payload + ") cannot be higher than max_pending (" + pending
                    + ")");
        }
    }

    /** A Go option jnatsd does not honour yet: reported as a warning, never silently dropped. */
    void unsupported(Map<String, Object> m, String key, String reason) {
        warnings.add(warning(m, key, reason));
    }

    void unknown(Map<String, Object> m, String key) throws ConfigException {
        if (m instanceof ConfigMap cm && cm.usedAsVariable(key)) {
            return; // a key defined only to be referenced as $key, which Go does not report
        }
        String reason = "unknown field \"" + key + "\"";
        if (pedantic) {
            throw error(m, key, reason);
        }
        warnings.add(warning(m, key, reason));
    }

    // ---- typed access --------------------------------------------------------------------------------------

    private record HostPort(String host, int port) {
    }

    /** Go's parseListen: a port number, or "host:port" split as net.SplitHostPort does (host null for a port). */
    private HostPort hostPort(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (v instanceof Long) {
            return new HostPort(null, port(m, key, v));
        }
        if (!(v instanceof String s)) {
            throw error(m, key, "expected port or host:port for " + key + ", got " + ConfigParser.typeName(v));
        }
        String[] split = splitHostPort(s);
        if (split == null) {
            throw error(m, key, "could not parse address string \"" + s + "\"");
        }
        String portText = split[1];
        long port;
        try {
            if (!portText.matches("[+-]?[0-9]+")) {
                throw new NumberFormatException();
            }
            port = Long.parseLong(portText);
        } catch (NumberFormatException e) {
            throw error(m, key, "could not parse port \"" + portText + "\"");
        }
        return new HostPort(split[0], checkPort(m, key, port));
    }

    /** net.SplitHostPort: {host, port}, or null when Go would return an error. */
    static String[] splitHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return null; // missing port in address
        }
        String host;
        int afterOpen = 0;
        int afterClose = 0;
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            if (end < 0) {
                return null; // missing ']' in address
            }
            if (end + 1 != colon) {
                return null; // missing port, or too many colons
            }
            host = hostPort.substring(1, end);
            afterOpen = 1;
            afterClose = end + 1;
        } else {
            host = hostPort.substring(0, colon);
            if (host.indexOf(':') >= 0) {
                return null; // too many colons in address
            }
        }
        if (hostPort.indexOf('[', afterOpen) >= 0 || hostPort.indexOf(']', afterClose) >= 0) {
            return null; // unexpected '[' or ']' in address
        }
        return new String[] {host, hostPort.substring(colon + 1)};
    }

    private int port(Map<String, Object> m, String key, Object v) throws ConfigException {
        return checkPort(m, key, integer(m, key, v));
    }

    private int checkPort(Map<String, Object> m, String key, long port) throws ConfigException {
        if (port < -1 || port > 65535) {
            throw error(m, key, key + ": port " + port + " is out of range (-1 for a random port, 0 for the "
                    + "default, or 1 to 65535)");
        }
        return (int) port;
    }

    long integer(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (v instanceof Long l) {
            return l;
        }
        throw error(m, key, "expected an integer for " + key + ", got " + ConfigParser.typeName(v));
    }

    String string(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (v instanceof String s) {
            return s;
        }
        throw error(m, key, "expected a string for " + key + ", got " + ConfigParser.typeName(v)
                + " (put the value in quotes)");
    }

    boolean bool(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (v instanceof Boolean b) {
            return b;
        }
        throw error(m, key, "expected a boolean (true/false, yes/no, on/off) for " + key + ", got "
                + ConfigParser.typeName(v));
    }

    /** A file or directory name; an empty string means none, as in Go. */
    private Path path(Map<String, Object> m, String key, Object v) throws ConfigException {
        String s = string(m, key, v);
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw error(m, key, "invalid path for " + key + ": " + e.getMessage());
        }
    }

    /**
     * A duration as Go's parseDuration reads ping_interval and write_deadline: a duration string, or (with a
     * warning) an integer number of seconds. Negative durations are refused.
     */
    private Duration positiveDuration(Map<String, Object> m, String key, Object v) throws ConfigException {
        Duration d;
        if (v instanceof String s) {
            d = goDuration(m, key, s);
        } else if (v instanceof Long l) {
            String hint = suffixHint(m, key);
            warnings.add(warning(m, key, key + " should be converted to a duration" + hint));
            try {
                d = Duration.ofSeconds(l);
            } catch (ArithmeticException e) {
                throw error(m, key, key + " of " + l + " seconds is out of range");
            }
        } else {
            throw error(m, key, "expected a duration such as \"2m\" for " + key + ", got "
                    + ConfigParser.typeName(v));
        }
        if (d.isNegative()) {
            throw error(m, key, key + " can not be negative");
        }
        return d;
    }

    /** A duration that Go only accepts as a string (lame_duck_duration, lame_duck_grace_period). */
    private Duration durationString(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (v instanceof String s) {
            return goDuration(m, key, s);
        }
        throw error(m, key, "expected a duration string such as \"2m\" for " + key + ", got "
                + ConfigParser.typeName(v) + suffixHint(m, key));
    }

    Duration goDuration(Map<String, Object> m, String key, String s) throws ConfigException {
        try {
            return nats.transport.config.GoDuration.parse(s);
        } catch (IllegalArgumentException e) {
            throw error(m, key, "error parsing " + key + ": " + e.getMessage());
        }
    }

    /** When an integer was written with a size suffix (2m is 2,000,000), says so. */
    private static String suffixHint(Map<String, Object> m, String key) {
        String raw = origin(m, key).map(ConfigMap.Origin::rawValue).orElse(null);
        if (raw != null && !raw.isEmpty() && Character.isLetter(raw.charAt(raw.length() - 1))) {
            return " (unquoted, " + raw + " is a number with a size suffix, not a duration: write \"" + raw
                    + "\" in quotes)";
        }
        return "";
    }

    // ---- positions -----------------------------------------------------------------------------------------

    private static Optional<ConfigMap.Origin> origin(Map<String, Object> m, String key) {
        return m instanceof ConfigMap cm ? cm.origin(key) : Optional.empty();
    }

    static ConfigException error(Map<String, Object> m, String key, String reason) {
        Optional<ConfigMap.Origin> o = origin(m, key);
        return o.isPresent() ? new ConfigException(o.get().file(), o.get().line(), o.get().column(), reason)
                : new ConfigException(null, 0, 0, reason);
    }

    /** Records a warning at {@code key}'s position. */
    void warn(Map<String, Object> m, String key, String reason) {
        warnings.add(warning(m, key, reason));
    }

    static String warning(Map<String, Object> m, String key, String reason) {
        return origin(m, key).map(o -> o.position() + ": " + reason).orElse(reason);
    }

    /** A problem a block reader of nats.transport (or a plugin) found, placed where the parser read it. */
    public static ConfigException error(ConfigProblem problem) {
        return error(problem.where(), problem.key(), problem.getMessage());
    }

    static String warning(ConfigProblem problem) {
        return warning(problem.where(), problem.key(), problem.getMessage());
    }
}
