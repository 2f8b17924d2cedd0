package nats.gateway.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import nats.transport.config.ConfigProblem;
import nats.transport.config.ConfigValues;
import nats.transport.tls.TlsBlockReader;
import nats.transport.tls.TlsOptions;

/** Reads the {@code gateway} section as Go's parseGateway and validateGatewayOptions do, with Go's texts. */
public final class GatewayConfigReader {

    private final Consumer<ConfigProblem> warnings;

    public GatewayConfigReader(Consumer<ConfigProblem> warnings) {
        this.warnings = warnings;
    }

    public GatewayConfig read(Map<String, Object> section) throws ConfigProblem {
        String name = "";
        String host = "";
        int port = 0;
        String advertise = "";
        String user = "";
        String password = "";
        Optional<Duration> authTimeout = Optional.empty();
        Optional<TlsOptions> tls = Optional.empty();
        int connectRetries = 0;
        boolean rejectUnknown = false;
        List<RemoteGatewayConfig> gateways = List.of();
        for (Map.Entry<String, Object> e : section.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (ConfigValues.goLower(key)) {
                case "name" -> name = ConfigValues.string(section, key, v);
                case "listen" -> {
                    int[] portOut = new int[1];
                    host = listen(section, key, v, portOut);
                    port = portOut[0];
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
                                    "Gateway authorization does not allow multiple users");
                            case "token" -> throw new ConfigProblem(section, key,
                                    "Gateway authorization does not support tokens");
                            default -> throw ConfigValues.unknownField(auth, a.getKey());
                        }
                    }
                }
                case "tls" -> tls = Optional.of(new TlsBlockReader(warnings).allowingKnownUrlsCheck().read(section, key, v));
                case "advertise" -> advertise = ConfigValues.string(section, key, v);
                case "connect_retries" -> connectRetries = (int) ConfigValues.integer(section, key, v);
                case "gateways" -> gateways = gateways(section, key, v);
                case "reject_unknown", "reject_unknown_cluster" -> rejectUnknown = ConfigValues.bool(section, key, v);
                default -> throw ConfigValues.unknownField(section, key);
            }
        }
        if (host.isEmpty()) {
            host = GatewayConfig.DEFAULT_HOST;
        }
        return new GatewayConfig(name, host, port, advertise, user, password,
                authTimeout.orElse(TlsOptions.defaultAuthTimeout(tls)), tls, connectRetries, rejectUnknown, gateways);
    }

    /**
     * Go's validateGatewayOptions, which Go runs when the server starts, not under {@code -t} (its errors carry
     * no position).
     */
    public static void validateForStart(GatewayConfig c) throws ConfigProblem {
        if (c.name().isEmpty() && c.port() == 0) {
            return;
        }
        if (c.name().isEmpty()) {
            throw new ConfigProblem(Map.of(), "", "gateway has no name");
        }
        if (c.port() == 0) {
            throw new ConfigProblem(Map.of(), "", "gateway \"" + c.name()
                    + "\" has no port specified (select -1 for random port)");
        }
        for (int i = 0; i < c.gateways().size(); i++) {
            RemoteGatewayConfig g = c.gateways().get(i);
            if (g.name().isEmpty()) {
                throw new ConfigProblem(Map.of(), "", "gateway in the list " + i + " has no name");
            }
            if (g.urls().isEmpty()) {
                throw new ConfigProblem(Map.of(), "", "gateway \"" + g.name() + "\" has no URL");
            }
        }
    }

    private List<RemoteGatewayConfig> gateways(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (!(v instanceof List<?> list)) {
            throw new ConfigProblem(m, key, "Expected gateways field to be an array, got " + ConfigValues.goType(v));
        }
        List<RemoteGatewayConfig> remotes = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> raw)) {
                throw new ConfigProblem(m, key, "Expected gateway entry to be a map/struct, got " + item);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> g = (Map<String, Object>) raw;
            String name = "";
            List<GatewayUrl> urls = new ArrayList<>();
            Optional<TlsOptions> tls = Optional.empty();
            for (Map.Entry<String, Object> e : g.entrySet()) {
                switch (ConfigValues.goLower(e.getKey())) {
                    case "name" -> name = ConfigValues.string(g, e.getKey(), e.getValue());
                    case "tls" -> tls = Optional.of(new TlsBlockReader(warnings).allowingKnownUrlsCheck().read(g, e.getKey(), e.getValue()));
                    case "url" -> urls.add(url(g, e.getKey(), e.getValue()));
                    case "urls" -> {
                        if (!(e.getValue() instanceof List<?> us)) {
                            throw new ConfigProblem(g, e.getKey(), "Expected urls field to be an array, got "
                                    + ConfigValues.goType(e.getValue()));
                        }
                        urls.clear();
                        for (Object u : us) {
                            urls.add(url(g, e.getKey(), u));
                        }
                    }
                    default -> throw ConfigValues.unknownField(g, e.getKey());
                }
            }
            remotes.add(new RemoteGatewayConfig(name, urls, tls));
        }
        return remotes;
    }

    private static GatewayUrl url(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        try {
            return GatewayUrl.parse(String.valueOf(v));
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(m, key, e.getMessage());
        }
    }

    /** Go's parseListen: a port, or {@code host:port}. */
    private static String listen(Map<String, Object> m, String key, Object v, int[] port) throws ConfigProblem {
        if (v instanceof Long l) {
            port[0] = l.intValue();
            return "";
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
        try {
            port[0] = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigProblem(m, key, "could not parse port \"" + s.substring(colon + 1) + "\"");
        }
        return host;
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
}
