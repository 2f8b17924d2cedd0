package nats.leafnode.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import nats.transport.compress.CompressionConfigReader;
import nats.transport.compress.CompressionOptions;
import nats.leafnode.internal.LeafConfig.LeafAuth;
import nats.leafnode.internal.LeafConfig.LeafUser;
import nats.leafnode.internal.LeafConfig.RemoteConfig;
import nats.transport.config.ConfigProblem;
import nats.transport.config.ConfigValues;
import nats.transport.protocol.Subjects;
import nats.transport.tls.TlsBlockReader;
import nats.transport.tls.TlsOptions;

/** Reads the {@code leafnodes} section as Go's parseLeafNodes and parseRemoteLeafNodes do, with Go's texts. */
public final class LeafConfigReader {


    private final Consumer<ConfigProblem> warnings;

    public LeafConfigReader(Consumer<ConfigProblem> warnings) {
        this.warnings = warnings;
    }

    public LeafConfig read(Map<String, Object> section) throws ConfigProblem {
        String host = "";
        int port = 0;
        LeafAuth auth = new LeafAuth("", "", "", TlsOptions.DEFAULT_AUTH_TIMEOUT, List.of());
        Optional<TlsOptions> tls = Optional.empty();
        String advertise = "";
        boolean noAdvertise = false;
        Duration reconnect = LeafConfig.DEFAULT_RECONNECT;
        List<RemoteConfig> remotes = List.of();
        boolean authTimeoutSet = false;
        CompressionOptions compression = LeafConfig.DEFAULT_COMPRESSION;
        for (Map.Entry<String, Object> e : section.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (ConfigValues.goLower(key)) {
                case "listen" -> {
                    String[] hp = listen(section, key, v);
                    host = hp[0];
                    port = Integer.parseInt(hp[1]);
                }
                case "port" -> port = (int) ConfigValues.integer(section, key, v);
                case "host", "net" -> host = ConfigValues.string(section, key, v);
                case "authorization" -> {
                    Map<String, Object> block = ConfigValues.block(section, key, v);
                    auth = authorization(block, section, key);
                    authTimeoutSet = block.keySet().stream().anyMatch(k -> ConfigValues.goLower(k).equals("timeout"));
                }
                case "remotes" -> remotes = remotes(section, key, v);
                case "reconnect", "reconnect_delay", "reconnect_interval" ->
                        reconnect = Duration.ofSeconds(ConfigValues.integer(section, key, v));
                case "tls" -> tls = Optional.of(new TlsBlockReader(warnings).read(section, key, v));
                case "leafnode_advertise", "advertise" -> advertise = ConfigValues.string(section, key, v);
                case "no_advertise" -> noAdvertise = ConfigValues.bool(section, key, v);
                case "min_version", "minimum_version" -> warnings.accept(new ConfigProblem(section, key,
                        "leafnodes \"" + key + "\" is not supported by jnatsd and is ignored"));
                case "compression" -> compression = CompressionConfigReader.read(section, key, v,
                        CompressionOptions.S2_AUTO);
                default -> throw ConfigValues.unknownField(section, key);
            }
        }
        if (host.isEmpty()) {
            host = LeafConfig.DEFAULT_HOST;
        }
        if (!authTimeoutSet && tls.isPresent()) {
            auth = new LeafAuth(auth.user(), auth.password(), auth.account(),
                    TlsOptions.defaultAuthTimeout(tls), auth.users());
        }
        return new LeafConfig(host, port, auth, tls, advertise, noAdvertise, reconnect, remotes, compression);
    }

    private LeafAuth authorization(Map<String, Object> block, Map<String, Object> parent, String parentKey)
            throws ConfigProblem {
        String user = "";
        String password = "";
        String account = "";
        Duration timeout = TlsOptions.DEFAULT_AUTH_TIMEOUT;
        List<LeafUser> users = List.of();
        for (Map.Entry<String, Object> e : block.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (ConfigValues.goLower(key)) {
                case "user", "username" -> user = ConfigValues.string(block, key, v);
                case "pass", "password" -> password = ConfigValues.string(block, key, v);
                case "timeout" -> timeout = v instanceof Double d ? Duration.ofNanos(Math.round(d * 1e9))
                        : v instanceof Long l ? Duration.ofSeconds(l) : Duration.ofSeconds(1);
                case "users" -> users = users(block, key, v);
                case "account" -> account = ConfigValues.string(block, key, v);
                default -> throw ConfigValues.unknownField(block, key);
            }
        }
        if (!users.isEmpty()) {
            if (!user.isEmpty()) {
                throw new ConfigProblem(parent, parentKey, "can not have a single user/pass and a users array");
            }
            Set<String> seen = new HashSet<>();
            for (LeafUser u : users) {
                if (!seen.add(u.user())) {
                    throw new ConfigProblem(parent, parentKey,
                            "duplicate user \"" + u.user() + "\" detected in leafnode authorization");
                }
            }
        }
        return new LeafAuth(user, password, account, timeout, users);
    }

    private static List<LeafUser> users(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (!(v instanceof List<?> list)) {
            throw new ConfigProblem(m, key, "Expected users field to be an array, got " + v);
        }
        List<LeafUser> users = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> raw)) {
                throw new ConfigProblem(m, key, "Expected user entry to be a map/struct, got " + item);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> u = (Map<String, Object>) raw;
            String user = "";
            String password = "";
            String account = "";
            for (Map.Entry<String, Object> e : u.entrySet()) {
                switch (ConfigValues.goLower(e.getKey())) {
                    case "user", "username" -> user = ConfigValues.string(u, e.getKey(), e.getValue());
                    case "pass", "password" -> password = ConfigValues.string(u, e.getKey(), e.getValue());
                    case "account" -> account = ConfigValues.string(u, e.getKey(), e.getValue());
                    default -> throw ConfigValues.unknownField(u, e.getKey());
                }
            }
            users.add(new LeafUser(user, password, account));
        }
        return users;
    }

    private List<RemoteConfig> remotes(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (!(v instanceof List<?> list)) {
            throw new ConfigProblem(m, key, "Expected remotes field to be an array, got " + ConfigValues.goType(v));
        }
        List<RemoteConfig> remotes = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> raw)) {
                throw new ConfigProblem(m, key, "Expected remote leafnode entry to be a map/struct, got " + item);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) raw;
            remotes.add(remote(r));
        }
        return remotes;
    }

    private RemoteConfig remote(Map<String, Object> r) throws ConfigProblem {
        List<LeafUrl> urls = new ArrayList<>();
        String account = "";
        String credentials = "";
        List<String> denyImports = List.of();
        List<String> denyExports = List.of();
        Optional<RemoteTls> tls = Optional.empty();
        boolean hub = false;
        boolean wsCompression = false;
        boolean wsNoMasking = false;
        CompressionOptions compression = LeafConfig.DEFAULT_COMPRESSION;
        for (Map.Entry<String, Object> e : r.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (ConfigValues.goLower(key)) {
                case "url", "urls" -> urls.addAll(urls(r, key, v));
                case "account", "local" -> account = ConfigValues.string(r, key, v);
                case "creds", "credentials" -> credentials = expand(ConfigValues.string(r, key, v));
                case "tls" -> tls = Optional.of(RemoteTls.read(r, key, v));
                case "hub" -> hub = ConfigValues.bool(r, key, v);
                case "deny_imports", "deny_import" -> denyImports = subjects(r, key, v);
                case "deny_exports", "deny_export" -> denyExports = subjects(r, key, v);
                case "ws_compress", "ws_compression", "websocket_compress", "websocket_compression" ->
                        wsCompression = ConfigValues.bool(r, key, v);
                case "ws_no_masking", "websocket_no_masking" -> wsNoMasking = ConfigValues.bool(r, key, v);
                case "compression" -> compression = CompressionConfigReader.read(r, key, v, CompressionOptions.S2_AUTO);
                case "no_randomize", "dont_randomize", "jetstream_cluster_migrate",
                     "js_cluster_migrate" -> warnings.accept(new ConfigProblem(r, key,
                        "remote leafnode \"" + key + "\" is not supported by jnatsd and is ignored"));
                default -> throw ConfigValues.unknownField(r, key);
            }
        }
        boolean ws = urls.stream().anyMatch(LeafUrl::isWebSocket);
        if (ws && urls.stream().anyMatch(u -> !u.isWebSocket())) {
            throw new ConfigProblem(r, "urls", "remote leaf node configuration cannot have a mix of websocket and "
                    + "non-websocket urls: " + urls.stream().map(LeafUrl::redacted).toList());
        }
        return new RemoteConfig(urls, account, credentials, denyImports, denyExports, tls, hub, wsCompression,
                wsNoMasking, compression);
    }

    private static List<LeafUrl> urls(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        List<?> list = v instanceof List<?> l ? l : v instanceof String s ? List.of(s) : null;
        if (list == null) {
            throw new ConfigProblem(m, key, "Expected remote leafnode url to be an array or string, got " + v);
        }
        List<LeafUrl> urls = new ArrayList<>();
        for (Object item : list) {
            try {
                urls.add(LeafUrl.parse(String.valueOf(item)));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem(m, key, e.getMessage());
            }
        }
        return urls;
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
            throw new ConfigProblem(m, key,
                    "Expected subject permissions to be a subject, or array of subjects, got " + ConfigValues.goType(v));
        }
        for (String s : subjects) {
            if (!Subjects.isValidSubject(s)) {
                throw new ConfigProblem(m, key, "subject \"" + s + "\" is not a valid subject");
            }
        }
        return subjects;
    }

    private static String[] listen(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof Long l) {
            return new String[] {"", Long.toString(l)};
        }
        if (!(v instanceof String s)) {
            throw new ConfigProblem(m, key, "expected port or host:port, got " + ConfigValues.goType(v));
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigProblem(m, key, "could not parse address string \"" + s + "\"");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = s.substring(colon + 1);
        try {
            return new String[] {host, Integer.toString(Integer.parseInt(port))};
        } catch (NumberFormatException e) {
            throw new ConfigProblem(m, key, "could not parse port \"" + port + "\"");
        }
    }

    /** Go's expandPath: a leading {@code ~} is the home directory. */
    private static String expand(String path) {
        if (path.startsWith("~")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }
}
