package nats.cluster.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import nats.transport.compress.CompressionConfigReader;
import nats.transport.compress.CompressionOptions;
import nats.transport.config.ConfigProblem;
import nats.transport.config.ConfigValues;
import nats.transport.protocol.Subjects;
import nats.transport.tls.TlsBlockReader;
import nats.transport.tls.TlsOptions;

/** Reads the {@code cluster} section as Go's parseCluster does, with Go's error texts. */
public final class ClusterConfigReader {

    private final Consumer<ConfigProblem> warnings;

    /** @param warnings told what Go warns about (a duplicate route, deprecated permissions) */
    public ClusterConfigReader(Consumer<ConfigProblem> warnings) {
        this.warnings = warnings;
    }

    public ClusterConfig read(Map<String, Object> section) throws ConfigProblem {
        String name = "";
        String host = "";
        int port = 0;
        String advertise = "";
        List<RouteUrl> routes = List.of();
        String user = "";
        String password = "";
        Optional<Duration> authTimeout = Optional.empty();
        Optional<TlsOptions> tls = Optional.empty();
        boolean noAdvertise = false;
        int connectRetries = 0;
        RoutePermissions permissions = null;
        RoutePermissions authPermissions = null;
        boolean connectBackoff = false;
        Optional<Duration> pingInterval = Optional.empty();
        int pingMax = 0;
        Optional<Duration> writeDeadline = Optional.empty();
        int poolSize = 0;
        List<String> pinned = List.of();
        CompressionOptions compression = CompressionOptions.DEFAULT;
        for (Map.Entry<String, Object> e : section.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (ConfigValues.goLower(key)) {
                case "name" -> name = ConfigValues.string(section, key, v);
                case "listen" -> {
                    HostPort hp = listen(section, key, v);
                    host = hp.host();
                    port = hp.port();
                }
                case "port" -> port = (int) ConfigValues.integer(section, key, v);
                case "host", "net" -> host = ConfigValues.string(section, key, v);
                case "authorization" -> {
                    Map<String, Object> auth = ConfigValues.block(section, key, v);
                    for (Map.Entry<String, Object> a : auth.entrySet()) {
                        switch (ConfigValues.goLower(a.getKey())) {
                            case "user", "username" -> user = ConfigValues.string(auth, a.getKey(), a.getValue());
                            case "pass", "password" -> password = ConfigValues.string(auth, a.getKey(), a.getValue());
                            case "timeout" -> authTimeout = Optional.of(timeout(a.getValue()));
                            case "users" -> throw new ConfigProblem(section, key,
                                    "Cluster authorization does not allow multiple users");
                            case "token" -> throw new ConfigProblem(section, key,
                                    "Cluster authorization does not support tokens");
                            case "default_permission", "default_permissions", "permissions" -> {
                                warnings.accept(new ConfigProblem(section, key,
                                        "setting \"permissions\" within cluster authorization block is deprecated"));
                                authPermissions = permissions(auth, a.getKey(), a.getValue());
                            }
                            default -> throw ConfigValues.unknownField(auth, a.getKey());
                        }
                    }
                }
                case "routes" -> routes = routes(section, key, v);
                case "tls" -> tls = Optional.of(new TlsBlockReader(warnings).allowingKnownUrlsCheck().read(section, key, v));
                case "cluster_advertise", "advertise" -> advertise = ConfigValues.string(section, key, v);
                case "no_advertise" -> noAdvertise = ConfigValues.bool(section, key, v);
                case "connect_retries" -> connectRetries = (int) ConfigValues.integer(section, key, v);
                case "permissions" -> permissions = permissions(section, key, v);
                case "connect_backoff" -> connectBackoff = ConfigValues.bool(section, key, v);
                case "ping_interval" -> pingInterval = Optional.of(ConfigValues.duration(section, key, v));
                case "ping_max" -> pingMax = (int) ConfigValues.integer(section, key, v);
                case "write_deadline" -> writeDeadline = Optional.of(ConfigValues.duration(section, key, v));
                case "pool_size" -> poolSize = (int) ConfigValues.integer(section, key, v);
                case "accounts" -> pinned = accounts(section, key, v);
                case "compression" -> compression = CompressionConfigReader.read(section, key, v,
                        CompressionOptions.S2_FAST);
                case "write_timeout" -> warnings.accept(new ConfigProblem(section, key,
                        "cluster \"write_timeout\" is not supported by jnatsd: a route that blocks beyond the write"
                        + " deadline is closed"));
                default -> throw ConfigValues.unknownField(section, key);
            }
        }
        if (permissions == null) {
            permissions = authPermissions == null ? RoutePermissions.NONE : authPermissions;
        }
        if (host.isEmpty()) {
            host = ClusterConfig.DEFAULT_HOST;
        }
        if (name.contains(" ") || name.contains("\n")) {
            throw new ConfigProblem(section, "name", "cluster name cannot contain spaces or new lines");
        }
        return new ClusterConfig(name, host, port, advertise, routes, user, password,
                authTimeout.orElse(TlsOptions.defaultAuthTimeout(tls)), tls, noAdvertise, connectRetries,
                permissions, connectBackoff, pingInterval, pingMax, writeDeadline, poolSize, pinned, compression);
    }

    /** Go's parseStringArray for {@code accounts}: a list of names (or one name). */
    private static List<String> accounts(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof String one) {
            return List.of(one);
        }
        if (!(v instanceof List<?> list)) {
            throw new ConfigProblem(m, key, "error parsing accounts: unsupported type " + ConfigValues.typeName(v));
        }
        List<String> names = new java.util.ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String name)) {
                throw new ConfigProblem(m, key, "error parsing accounts: unsupported type in array "
                        + ConfigValues.typeName(o));
            }
            names.add(name);
        }
        return names;
    }

    private record HostPort(String host, int port) {
    }

    /** Go's parseListen: a port, or {@code host:port} (a {@code --cluster} URL's scheme is dropped first). */
    private static HostPort listen(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof Long l) {
            return new HostPort("", l.intValue());
        }
        if (!(v instanceof String s)) {
            throw new ConfigProblem(m, key, "expected port or host:port, got " + ConfigValues.goType(v));
        }
        String text = s.contains("://") ? s.substring(s.indexOf("://") + 3) : s;
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigProblem(m, key, "could not parse address string \"" + s + "\"");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = text.substring(colon + 1);
        try {
            return new HostPort(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new ConfigProblem(m, key, "could not parse port \"" + port + "\"");
        }
    }

    private List<RouteUrl> routes(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        List<?> list = v instanceof List<?> l ? l : v instanceof String s ? List.of(s) : null;
        if (list == null) {
            throw new ConfigProblem(m, key, "expected an array of route URLs, got " + ConfigValues.typeName(v));
        }
        List<RouteUrl> routes = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Object item : list) {
            String url = String.valueOf(item);
            if (!seen.add(url)) {
                warnings.accept(new ConfigProblem(m, key, "Duplicate route entry detected"));
                continue;
            }
            try {
                routes.add(RouteUrl.parse(url));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem(m, key, e.getMessage());
            }
        }
        return routes;
    }

    private static Duration timeout(Object v) {
        if (v instanceof Long l) {
            return Duration.ofSeconds(l);
        }
        if (v instanceof Double d) {
            return Duration.ofNanos(Math.round(d * 1e9));
        }
        return Duration.ofSeconds(1);
    }

    /** Go's parseUserPermissions for routes: import (publish) and export (subscribe). */
    private static RoutePermissions permissions(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (!(v instanceof Map<?, ?>)) {
            throw new ConfigProblem(m, key, "Expected permissions to be a map/struct, got " + v);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) v;
        Optional<List<String>> importAllow = Optional.empty();
        List<String> importDeny = List.of();
        Optional<List<String>> exportAllow = Optional.empty();
        List<String> exportDeny = List.of();
        for (Map.Entry<String, Object> e : p.entrySet()) {
            switch (ConfigValues.goLower(e.getKey())) {
                case "pub", "publish", "import" -> {
                    Rules r = rules(p, e.getKey(), e.getValue());
                    importAllow = r.allow();
                    importDeny = r.deny();
                }
                case "sub", "subscribe", "export" -> {
                    Rules r = rules(p, e.getKey(), e.getValue());
                    exportAllow = r.allow();
                    exportDeny = r.deny();
                }
                case "publish_allow_responses", "allow_responses" -> throw new ConfigProblem(m, key,
                        "Cluster permissions do not support dynamic responses");
                default -> throw new ConfigProblem(p, e.getKey(),
                        "Unknown field \"" + e.getKey() + "\" parsing permissions");
            }
        }
        return new RoutePermissions(importAllow, importDeny, exportAllow, exportDeny);
    }

    private record Rules(Optional<List<String>> allow, List<String> deny) {
    }

    /** Go's parseVariablePermissions: {@code {allow, deny}}, or a subject or list of subjects (allow). */
    private static Rules rules(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> block = (Map<String, Object>) map;
            Optional<List<String>> allow = Optional.empty();
            List<String> deny = List.of();
            for (Map.Entry<String, Object> e : block.entrySet()) {
                switch (ConfigValues.goLower(e.getKey())) {
                    case "allow" -> allow = Optional.of(subjects(block, e.getKey(), e.getValue()));
                    case "deny" -> deny = subjects(block, e.getKey(), e.getValue());
                    default -> throw new ConfigProblem(block, e.getKey(), "Unknown field name \"" + e.getKey()
                            + "\" parsing subject permissions, only 'allow' or 'deny' are permitted");
                }
            }
            return new Rules(allow, deny);
        }
        return new Rules(Optional.of(subjects(m, key, v)), List.of());
    }

    private static List<String> subjects(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        List<String> subjects = new ArrayList<>();
        if (v instanceof String s) {
            subjects.add(s);
        } else if (v instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    throw new ConfigProblem(m, key, "Subject in permissions array cannot be cast to string");
                }
                subjects.add(s);
            }
        } else {
            throw new ConfigProblem(m, key, "Expected subject permissions to be a subject, or array of subjects, got "
                    + ConfigValues.goType(v));
        }
        for (String s : subjects) {
            if (!Subjects.isValidSubject(s)) {
                String[] parts = s.trim().split("\\s+");
                if (parts.length != 2) {
                    throw new ConfigProblem(m, key, "subject \"" + s + "\" is not a valid subject");
                } else if (!Subjects.isValidSubject(parts[0])) {
                    throw new ConfigProblem(m, key, "subject \"" + parts[0] + "\" is not a valid subject");
                }
            }
        }
        return List.copyOf(subjects);
    }
}
