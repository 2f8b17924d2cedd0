package nats.mqtt.internal.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.transport.config.ConfigProblem;
import nats.transport.config.ConfigValues;
import nats.transport.tls.TlsBlockReader;
import nats.transport.tls.TlsOptions;

/**
 * Reads the {@code mqtt {}} block as Go's parseMQTT does (opts.go, 2.10): the same keys and aliases, the same
 * texts for mistakes, and the checks of Go's validateMQTTOptions that need nothing but the block.
 */
public final class MqttOptionsReader {

    private String host = "";
    private int port;
    private Optional<TlsOptions> tls = Optional.empty();
    private final List<String> tlsWarnings = new ArrayList<>();
    private final Map<String, Object> authBlock = new LinkedHashMap<>();
    private String noAuthUser = "";
    private String username = "";
    private String token = "";
    private double authTimeout;
    private String jsDomain = "";
    private int streamReplicas;
    private boolean consumerMemoryStorage;
    private Duration consumerInactiveThreshold = Duration.ZERO;
    private Duration ackWait = Duration.ZERO;
    private int maxAckPending;
    private boolean rejectQos2Publish;
    private boolean downgradeQos2Subscribe;
    private final List<String> warnings = new ArrayList<>();

    private MqttOptionsReader() {
    }

    /** Reads a block; an absent block reads as no listener. */
    public static MqttOptions read(Map<String, Object> block) throws ConfigProblem {
        MqttOptionsReader r = new MqttOptionsReader();
        for (Map.Entry<String, Object> e : block.entrySet()) {
            r.entry(block, e.getKey(), e.getValue());
        }
        return r.finish(block);
    }

    private void entry(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        switch (ConfigValues.goLower(key)) {
            case "listen" -> listen(m, key, v);
            case "port" -> port = (int) int64(m, key, v);
            case "host", "net" -> host = string(m, key, v);
            case "tls" -> tls = Optional.of(new TlsBlockReader(w -> tlsWarnings.add(w.getMessage())).read(m, key, v));
            case "authorization", "authentication" -> authorization(m, key, v);
            case "no_auth_user" -> {
                noAuthUser = string(m, key, v);
                authBlock.put(key, v);
            }
            case "ack_wait", "ackwait" -> ackWait = ConfigValues.duration(m, key, v);
            case "max_ack_pending", "max_pending", "max_inflight" -> {
                long value = int64(m, key, v);
                if (value < 0 || value > 0xFFFF) {
                    throw new ConfigProblem(m, key, "invalid value " + value + ", should in [0..65535] range");
                }
                maxAckPending = (int) value;
            }
            case "js_domain" -> jsDomain = string(m, key, v);
            case "stream_replicas" -> streamReplicas = (int) int64(m, key, v);
            case "consumer_replicas" -> warnings.add("consumer replicas setting ignored in this server version");
            case "consumer_memory_storage" -> consumerMemoryStorage = bool(m, key, v);
            case "consumer_inactive_threshold", "consumer_auto_cleanup" ->
                    consumerInactiveThreshold = ConfigValues.duration(m, key, v);
            case "reject_qos2_publish" -> rejectQos2Publish = bool(m, key, v);
            case "downgrade_qos2_subscribe" -> downgradeQos2Subscribe = bool(m, key, v);
            default -> throw new ConfigProblem(m, key, "unknown field \"" + key + "\"");
        }
    }

    /** Go's parseListen: a port, or {@code host:port}. */
    private void listen(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof Long p) {
            port = p.intValue();
            return;
        }
        if (!(v instanceof String s)) {
            throw new ConfigProblem(m, key, "expected port or host:port, got " + goType(v));
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigProblem(m, key, "could not parse address string \"" + s + "\"");
        }
        String h = s.substring(0, colon);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        } else if (h.contains(":")) {
            throw new ConfigProblem(m, key, "could not parse address string \"" + s + "\"");
        }
        String p = s.substring(colon + 1);
        try {
            port = Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new ConfigProblem(m, key, "could not parse port \"" + p + "\"");
        }
        host = h;
    }

    /** Go's parseSimpleAuth: user, password, token and timeout; anything else is an unknown field. */
    private void authorization(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (!(v instanceof Map<?, ?>)) {
            throw new ConfigProblem(m, key, "interface conversion: interface {} is " + goType(v)
                    + ", not map[string]interface {}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> auth = (Map<String, Object>) v;
        for (Map.Entry<String, Object> e : auth.entrySet()) {
            String k = e.getKey();
            Object value = e.getValue();
            switch (ConfigValues.goLower(k)) {
                case "user", "username" -> username = string(auth, k, value);
                case "pass", "password" -> string(auth, k, value);
                case "token" -> token = string(auth, k, value);
                case "timeout" -> authTimeout = value instanceof Long l ? l : value instanceof Double d ? d : 1;
                default -> throw new ConfigProblem(auth, k, "unknown field \"" + k + "\"");
            }
        }
        authBlock.put(key, auth);
    }

    private MqttOptions finish(Map<String, Object> block) throws ConfigProblem {
        // Go's validateMQTTOptions checks nothing else when no port is set.
        if (port != 0) {
            if (ackWait.isNegative()) {
                throw new ConfigProblem(Map.of(), "", "ack wait must be a positive value");
            }
            if (host.isEmpty()) {
                host = MqttOptions.DEFAULT_HOST;
            }
        }
        return new MqttOptions(host, port, tls, tlsWarnings, authBlock, noAuthUser, username, token, authTimeout,
                jsDomain, streamReplicas, consumerMemoryStorage, consumerInactiveThreshold, ackWait, maxAckPending,
                rejectQos2Publish, downgradeQos2Subscribe, warnings);
    }

    /** Go asserts the value's type; a wrong one panics with this text, turned into a config error. */
    private static long int64(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof Long l) {
            return l;
        }
        throw new ConfigProblem(m, key, "interface conversion: interface {} is " + goType(v) + ", not int64");
    }

    private static String string(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof String s) {
            return s;
        }
        throw new ConfigProblem(m, key, "interface conversion: interface {} is " + goType(v) + ", not string");
    }

    private static boolean bool(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ConfigProblem(m, key, "interface conversion: interface {} is " + goType(v) + ", not bool");
    }

    /** How Go's %T names a parsed config value. */
    static String goType(Object v) {
        return switch (v) {
            case null -> "nil";
            case String s -> "string";
            case Long l -> "int64";
            case Double d -> "float64";
            case Boolean b -> "bool";
            case List<?> l -> "[]interface {}";
            case Map<?, ?> mp -> "map[string]interface {}";
            case java.time.Instant i -> "time.Time";
            default -> v.getClass().getSimpleName();
        };
    }
}
