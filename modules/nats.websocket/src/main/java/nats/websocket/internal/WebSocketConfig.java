package nats.websocket.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.transport.config.ConfigProblem;
import nats.transport.config.ConfigValues;
import nats.transport.config.GoDuration;
import nats.transport.tls.TlsBlockReader;
import nats.transport.tls.TlsOptions;

/**
 * The {@code websocket {}} block, read as Go's parseWebsocket reads it (opts.go) with the same keys, aliases
 * and error texts, and checked as Go's validateWebsocketOptions checks it where that needs nothing but the
 * block (TLS unless {@code no_tls}, parseable allowed origins, a JWT cookie only in operator mode is checked
 * at start).
 *
 * @param host             the address to listen on (Go's default {@code 0.0.0.0})
 * @param port             the port; 0 means the block configures no listener, -1 a random port
 * @param advertise        {@code host:port} advertised to clients in a cluster
 * @param noTls            run without TLS ({@code no_tls: true})
 * @param tls              the {@code tls {}} block, loaded
 * @param tlsWarnings      what the TLS block reader wants the operator to know
 * @param sameOrigin       the {@code Origin} must match the request's host
 * @param allowedOrigins   the origins accepted, as configured
 * @param compression      negotiate permessage-deflate
 * @param handshakeTimeout how long the upgrade (and TLS handshake) may take; zero for no limit, Go's default
 * @param jwtCookie        the cookie holding a user JWT for clients whose CONNECT has none
 * @param noAuthUser       the server user a client without credentials becomes
 * @param username         {@code authorization { user }}: the single user of these clients
 * @param password         {@code authorization { password }}
 * @param token            {@code authorization { token }}
 * @param authTimeout      {@code authorization { timeout }} in seconds; 0 for the server's auth_timeout
 * @param authBlock        the keys of the block the kernel reads for the credentials override
 */
public record WebSocketConfig(String host, int port, String advertise, boolean noTls, Optional<TlsOptions> tls,
                              List<String> tlsWarnings, boolean sameOrigin, List<String> allowedOrigins,
                              boolean compression, Duration handshakeTimeout, String jwtCookie, String noAuthUser,
                              String username, String password, String token, double authTimeout,
                              Map<String, Object> authBlock) {

    /** Go's DEFAULT_HOST for the websocket listener. */
    public static final String DEFAULT_HOST = "0.0.0.0";

    public WebSocketConfig {
        tlsWarnings = List.copyOf(tlsWarnings);
        allowedOrigins = List.copyOf(allowedOrigins);
        authBlock = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(authBlock));
    }

    /** Whether the block configures a listener (Go starts none without a port). */
    public boolean listens() {
        return port != 0;
    }

    /** Whether the block overrides the server's credentials for its clients (Go's authOverride). */
    public boolean overridesAuth() {
        return !username.isEmpty() || !token.isEmpty() || !noAuthUser.isEmpty();
    }

    /**
     * Reads and checks {@code section}.
     *
     * @throws ConfigProblem with Go's text, at the offending key
     */
    public static WebSocketConfig read(Map<String, Object> section) throws ConfigProblem {
        Reader r = new Reader();
        for (Map.Entry<String, Object> e : section.entrySet()) {
            r.option(section, e.getKey(), e.getValue());
        }
        WebSocketConfig config = new WebSocketConfig(r.host.isEmpty() ? DEFAULT_HOST : r.host, r.port, r.advertise,
                r.noTls, r.tls, r.tlsWarnings, r.sameOrigin, r.allowedOrigins, r.compression, r.handshakeTimeout,
                r.jwtCookie, r.noAuthUser, r.username, r.password, r.token, r.authTimeout, r.authBlock);
        config.check(r);
        return config;
    }

    /** Go's validateWebsocketOptions, for what the block alone decides. */
    private void check(Reader r) throws ConfigProblem {
        if (!listens()) {
            return;
        }
        if (port < -1 || port > 65535) {
            throw new ConfigProblem(r.portWhere, r.portKey, "websocket port " + port + " is out of range (-1 for a "
                    + "random port, or 1 to 65535)");
        }
        if (tls.isEmpty() && !noTls) {
            throw new ConfigProblem(Map.of(), "", "websocket requires TLS configuration");
        }
        for (String origin : allowedOrigins) {
            Optional<String> problem = GoUrl.parseProblem(origin);
            if (problem.isPresent()) {
                // Go finds this when it validates the options, after reading them: no position.
                throw new ConfigProblem(Map.of(), "", "unable to parse allowed origin: " + problem.get());
            }
        }
    }

    /** One pass over the block's keys, as Go's switch on the lower-cased key. */
    private static final class Reader {
        String host = "";
        int port;
        Map<String, Object> portWhere = Map.of();
        String portKey = "";
        String advertise = "";
        boolean noTls;
        Optional<TlsOptions> tls = Optional.empty();
        final List<String> tlsWarnings = new ArrayList<>();
        boolean sameOrigin;
        List<String> allowedOrigins = List.of();
        boolean compression;
        Duration handshakeTimeout = Duration.ZERO;
        String jwtCookie = "";
        String noAuthUser = "";
        String username = "";
        String password = "";
        String token = "";
        double authTimeout;
        final Map<String, Object> authBlock = new LinkedHashMap<>();

        void option(Map<String, Object> m, String key, Object v) throws ConfigProblem {
            switch (ConfigValues.goLower(key)) {
                case "listen" -> listen(m, key, v);
                case "port" -> {
                    port = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                            ConfigValues.integer(m, key, v)));
                    portWhere = m;
                    portKey = key;
                }
                case "host", "net" -> host = ConfigValues.string(m, key, v);
                case "advertise" -> advertise = ConfigValues.string(m, key, v);
                case "no_tls" -> noTls = ConfigValues.bool(m, key, v);
                case "tls" -> tls = Optional.of(new TlsBlockReader(w -> tlsWarnings.add(w.getMessage()))
                        .read(m, key, v));
                case "same_origin" -> sameOrigin = ConfigValues.bool(m, key, v);
                case "allowed_origins", "allowed_origin", "allow_origins", "allow_origin", "origins", "origin" -> {
                    allowedOrigins = stringArray(m, key, v);
                }
                case "handshake_timeout" -> handshakeTimeout = handshakeTimeout(m, key, v);
                case "compress", "compression" -> compression = ConfigValues.bool(m, key, v);
                case "authorization", "authentication" -> authorization(m, key, v);
                case "jwt_cookie" -> jwtCookie = ConfigValues.string(m, key, v);
                case "no_auth_user" -> {
                    noAuthUser = ConfigValues.string(m, key, v);
                    authBlock.put(key, v);
                }
                default -> throw new ConfigProblem(m, key, "unknown field \"" + key + "\"");
            }
        }

        /** Go's parseListen: a port, or {@code host:port} split as net.SplitHostPort splits it. */
        private void listen(Map<String, Object> m, String key, Object v) throws ConfigProblem {
            if (v instanceof Long l) {
                port = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, l));
            } else if (v instanceof String s) {
                String[] hp = GoUrl.splitHostPort(s)
                        .orElseThrow(() -> new ConfigProblem(m, key, "could not parse address string \"" + s + "\""));
                try {
                    port = Integer.parseInt(hp[1]);
                } catch (NumberFormatException e) {
                    throw new ConfigProblem(m, key, "could not parse port \"" + hp[1] + "\"");
                }
                host = hp[0];
            } else {
                throw new ConfigProblem(m, key, "expected port or host:port, got " + GoUrl.goType(v));
            }
            portWhere = m;
            portKey = key;
        }

        private static List<String> stringArray(Map<String, Object> m, String key, Object v) throws ConfigProblem {
            if (v instanceof String s) {
                return List.of(s);
            }
            if (v instanceof List<?> list) {
                List<String> out = new ArrayList<>();
                for (Object item : list) {
                    if (!(item instanceof String s)) {
                        throw new ConfigProblem(m, key, "error parsing allowed origins: unsupported type in array "
                                + GoUrl.goType(item));
                    }
                    out.add(s);
                }
                return out;
            }
            throw new ConfigProblem(m, key, "error parsing allowed origins: unsupported type " + GoUrl.goType(v));
        }

        private static Duration handshakeTimeout(Map<String, Object> m, String key, Object v) throws ConfigProblem {
            if (v instanceof Long l) {
                return Duration.ofSeconds(l);
            }
            if (v instanceof String s) {
                try {
                    return GoDuration.parse(s);
                } catch (IllegalArgumentException e) {
                    throw new ConfigProblem(m, key, e.getMessage());
                }
            }
            throw new ConfigProblem(m, key, "error parsing handshake timeout: unsupported type " + GoUrl.goType(v));
        }

        /** Go's parseSimpleAuth: user, password, token and timeout; anything else is an unknown field. */
        private void authorization(Map<String, Object> m, String key, Object v) throws ConfigProblem {
            Map<String, Object> auth = ConfigValues.block(m, key, v);
            for (Map.Entry<String, Object> e : auth.entrySet()) {
                String k = e.getKey();
                Object value = e.getValue();
                switch (ConfigValues.goLower(k)) {
                    case "user", "username" -> username = ConfigValues.string(auth, k, value);
                    case "pass", "password" -> password = ConfigValues.string(auth, k, value);
                    case "token" -> token = ConfigValues.string(auth, k, value);
                    // Go reads a number of seconds, and takes any other value as one second.
                    case "timeout" -> authTimeout = value instanceof Number n ? n.doubleValue() : 1;
                    default -> throw new ConfigProblem(auth, k, "unknown field \"" + k + "\"");
                }
            }
            authBlock.put(key, auth);
        }
    }
}
