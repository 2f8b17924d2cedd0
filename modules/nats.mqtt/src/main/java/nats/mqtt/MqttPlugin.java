package nats.mqtt;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import nats.api.ApiRange;
import nats.api.PluginException;
import nats.api.ServerContext;
import nats.api.ServerPlugin;
import nats.api.messaging.InternalConnection;
import nats.api.net.Connection;
import nats.api.net.StreamProtocol;
import nats.api.net.TlsPolicy;
import nats.api.sessions.AuthOverride;
import nats.api.sessions.SessionException;
import nats.mqtt.internal.config.MqttOptions;
import nats.mqtt.internal.config.MqttOptionsReader;
import nats.mqtt.internal.server.MqttServer;
import nats.transport.config.ConfigProblem;
import nats.transport.tls.ServerTls;
import nats.transport.tls.TlsSetupException;

/**
 * Go's MQTT 3.1.1 listener as the {@code mqtt} plugin: enabled by an {@code mqtt {}} block or {@code --enable mqtt};
 * without a {@code port} the block opens nothing, as in Go. It needs the {@code jetstream} plugin, which keeps
 * the sessions, QoS 1 and 2 messages and retained messages in each account's {@code $MQTT_*} streams.
 */
public final class MqttPlugin implements ServerPlugin {

    /** Keys Go reloads; any other change of the block is refused. */
    private static final List<String> RELOADABLE = List.of("ack_wait", "ackwait", "max_ack_pending", "max_pending",
            "max_inflight", "stream_replicas", "consumer_replicas", "consumer_memory_storage",
            "consumer_inactive_threshold", "consumer_auto_cleanup");

    private static final String NEEDS_JETSTREAM = "mqtt requires JetStream to be enabled if running in standalone mode";

    private volatile MqttServer server;
    private volatile MqttOptions options;

    @Override
    public String id() {
        return "mqtt";
    }

    @Override
    public ApiRange requiredApi() {
        return ApiRange.atLeast("2.3");
    }

    @Override
    public Optional<String> configSection() {
        return Optional.of("mqtt");
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of("jetstream");
    }

    /** Go's text when JetStream is off (this server is always standalone for MQTT: no routes or leaf nodes yet). */
    @Override
    public Optional<String> missingDependency(String pluginId) {
        return pluginId.equals("jetstream") ? Optional.of(NEEDS_JETSTREAM) : Optional.empty();
    }

    @Override
    public void validate(Map<String, Object> section) throws PluginException {
        read(section);
    }

    @Override
    public void start(ServerContext context) throws PluginException {
        MqttOptions o = read(context.configSection());
        System.Logger log = context.logger();
        o.warnings().forEach(w -> log.log(System.Logger.Level.WARNING, "mqtt: " + w));
        if (!o.listens()) {
            log.log(System.Logger.Level.WARNING, "mqtt enabled without a port: no MQTT listener is started "
                    + "(configure mqtt { port: ... })");
            return;
        }
        checkAgainstServer(context, o);
        Optional<TlsPolicy> tls = Optional.empty();
        if (o.tls().isPresent()) {
            try {
                ServerTls serverTls = ServerTls.create(o.tls().get());
                serverTls.warnings().forEach(w -> log.log(System.Logger.Level.WARNING, "mqtt: " + w));
                tls = Optional.of(serverTls.policy());
            } catch (TlsSetupException e) {
                throw new PluginException("mqtt: " + e.getMessage(), e);
            }
        }
        o.tlsWarnings().forEach(w -> log.log(System.Logger.Level.WARNING, "mqtt: " + w));
        options = o;
        MqttServer s = new MqttServer(context, o, tls);
        try {
            s.start();
        } catch (IOException e) {
            s.stop();
            throw new PluginException("Unable to listen for MQTT connections: " + e.getMessage(), e);
        }
        server = s;
        context.monitoring().varzSection("mqtt", this::varz);
        // MQTT over WebSocket: the websocket plugin hands its /mqtt connections over.
        context.registerStreamProtocol(new StreamProtocol() {
            @Override
            public String name() {
                return "mqtt";
            }

            @Override
            public void serve(Connection connection, String carrier) {
                MqttServer running = server;
                if (running == null) {
                    connection.close("Server Shutdown");
                    return;
                }
                running.serveCarried(connection, carrier);
            }
        });
    }

    /** Go's validateMQTTOptions, for what depends on the rest of the configuration. */
    private static void checkAgainstServer(ServerContext context, MqttOptions o) throws PluginException {
        // Go 2.9 needs an explicit name: sessions are stored under a hash of it. The kernel names an unnamed
        // server after its id.
        if (context.identity().serverName().equals(context.identity().serverId())) {
            throw new PluginException("mqtt requires server name to be explicitly set");
        }
        if (!o.authBlock().isEmpty()) {
            try {
                context.clientSessions().checkAuthOverride("mqtt", new AuthOverride(o.authBlock()));
            } catch (SessionException e) {
                throw new PluginException(e.getMessage(), e);
            }
        }
        // The jetstream plugin serves $JS.API in every account when JetStream is on (its block may disable it).
        try (InternalConnection probe = context.accounts().global().connect("mqtt-check")) {
            if (!probe.hasInterest("$JS.API.INFO")) {
                throw new PluginException(NEEDS_JETSTREAM);
            }
        }
    }

    /** Go's MQTTOptsVarz, every field omitted when empty. */
    private Map<String, Object> varz() {
        MqttOptions o = options;
        MqttServer s = server;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", o.host());
        m.put("port", s == null ? o.port() : s.port());
        if (!o.noAuthUser().isEmpty()) {
            m.put("no_auth_user", o.noAuthUser());
        }
        if (o.authTimeout() != 0) {
            m.put("auth_timeout", o.authTimeout());
        }
        if (o.tls().map(t -> t.verifyAndMap()).orElse(false)) {
            m.put("tls_map", true);
        }
        m.put("tls_timeout", o.tlsTimeoutSeconds());
        o.tls().filter(t -> !t.pinnedCerts().isEmpty())
                .ifPresent(t -> m.put("tls_pinned_certs", t.pinnedCerts().stream().sorted().toList()));
        if (!o.jsDomain().isEmpty()) {
            m.put("js_domain", o.jsDomain());
        }
        if (!o.ackWait().isZero()) {
            m.put("ack_wait", o.ackWait().toNanos());
        }
        if (o.maxAckPending() != 0) {
            m.put("max_ack_pending", o.maxAckPending());
        }
        return m;
    }

    @Override
    public void checkReload(Map<String, Object> current, Map<String, Object> fresh) throws PluginException {
        read(fresh);
        if (!withoutReloadable(current).equals(withoutReloadable(fresh))) {
            throw new PluginException("config reload not supported for MQTT");
        }
    }

    @Override
    public void applyReload(Map<String, Object> current, Map<String, Object> fresh) {
        MqttServer s = server;
        if (s == null) {
            return;
        }
        try {
            MqttOptions o = read(fresh);
            options = o;
            s.reload(o);
        } catch (PluginException e) {
            // checkReload accepted it.
        }
    }

    private static Map<String, Object> withoutReloadable(Map<String, Object> section) {
        Map<String, Object> m = new LinkedHashMap<>(section);
        m.keySet().removeIf(k -> RELOADABLE.contains(k.toLowerCase(java.util.Locale.ROOT)));
        return m;
    }

    @Override
    public void enterLameDuckMode() {
        MqttServer s = server;
        if (s != null) {
            s.stopAccepting();
        }
    }

    @Override
    public void stop() {
        MqttServer s = server;
        server = null;
        if (s != null) {
            s.stop();
        }
    }

    private static MqttOptions read(Map<String, Object> section) throws PluginException {
        try {
            return MqttOptionsReader.read(section);
        } catch (ConfigProblem e) {
            throw new PluginException(e.getMessage(), e);
        }
    }
}
