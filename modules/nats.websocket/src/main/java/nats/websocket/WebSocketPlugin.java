package nats.websocket;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import nats.api.ApiRange;
import nats.api.PluginException;
import nats.api.ServerContext;
import nats.api.ServerPlugin;
import nats.api.sessions.AuthOverride;
import nats.api.sessions.SessionException;
import nats.transport.config.ConfigProblem;
import nats.transport.tls.TlsSetupException;
import nats.websocket.internal.WebSocketConfig;
import nats.websocket.internal.WebSocketListener;
import nats.websocket.internal.WebSocketRouteGossip;

/**
 * Go's {@code websocket {}} listener: NATS clients (and MQTT clients, when a plugin serves MQTT) over RFC 6455
 * WebSocket connections, with TLS, permessage-deflate, origin checks, a JWT cookie and the block's own
 * credentials. Enabled by the block (or its alias {@code ws}) or {@code --enable websocket}; without a
 * {@code port} the block opens nothing, as in Go.
 */
public final class WebSocketPlugin implements ServerPlugin {

    private volatile ServerContext context;
    private volatile WebSocketListener listener;
    /** The section the listener runs with. */
    private volatile Map<String, Object> running = Map.of();

    @Override
    public String id() {
        return "websocket";
    }

    @Override
    public ApiRange requiredApi() {
        return ApiRange.atLeast("2.3");
    }

    @Override
    public Optional<String> configSection() {
        return Optional.of("websocket");
    }

    @Override
    public void validate(Map<String, Object> section) throws PluginException {
        read(section);
    }

    @Override
    public void start(ServerContext context) throws PluginException {
        WebSocketConfig config = read(context.configSection());
        this.context = context;
        running = context.configSection();
        if (!config.listens()) {
            context.logger().log(System.Logger.Level.WARNING, "websocket enabled without a port: no websocket "
                    + "listener is started (configure websocket { port: ... })");
            return;
        }
        checkAgainstServer(context, config);
        try {
            listener = WebSocketListener.open(context, config);
            context.links().addRouteGossip(new WebSocketRouteGossip(() -> listener));
        } catch (IOException e) {
            throw new PluginException("Unable to listen for websocket connections: " + e.getMessage(), e);
        } catch (TlsSetupException e) {
            throw new PluginException("websocket: " + e.getMessage(), e);
        }
    }

    /** Go's validateWebsocketOptions, for what depends on the rest of the configuration. */
    private static void checkAgainstServer(ServerContext context, WebSocketConfig config) throws PluginException {
        if (!config.authBlock().isEmpty()) {
            try {
                context.clientSessions().checkAuthOverride("websocket", new AuthOverride(config.authBlock()));
            } catch (SessionException e) {
                throw new PluginException(e.getMessage(), e);
            }
        }
        if (!config.jwtCookie().isEmpty() && !context.settings().operatorMode()) {
            throw new PluginException("trusted operators or trusted keys configuration is required for JWT "
                    + "authentication via cookie \"" + config.jwtCookie() + "\"");
        }
    }

    /**
     * As Go: a change of the block's {@code tls} is taken, and on every reload its certificate files are read
     * again (Go reloads them too), by reopening the listener on its port; any other change is refused.
     */
    @Override
    public void checkReload(Map<String, Object> current, Map<String, Object> fresh) throws PluginException {
        WebSocketConfig before = read(current);
        WebSocketConfig after = read(fresh);
        if (!withoutTls(before).equals(withoutTls(after))) {
            throw new PluginException("config reload not supported for Websocket");
        }
    }

    @Override
    public void applyReload(Map<String, Object> current, Map<String, Object> fresh) {
        WebSocketListener old = listener;
        if (old == null) {
            return;
        }
        WebSocketConfig config;
        try {
            config = read(fresh);
        } catch (PluginException e) {
            return; // checkReload accepted it
        }
        if (config.tls().isEmpty() && Objects.equals(running, fresh)) {
            return;
        }
        // Same address and port (the one chosen for port -1), new TLS.
        WebSocketConfig samePort = new WebSocketConfig(config.host(), old.port(), config.advertise(),
                config.noTls(), config.tls(), config.tlsWarnings(), config.sameOrigin(), config.allowedOrigins(),
                config.compression(), config.handshakeTimeout(), config.jwtCookie(), config.noAuthUser(),
                config.username(), config.password(), config.token(), config.authTimeout(), config.authBlock());
        old.stopAccepting();
        try {
            listener = WebSocketListener.open(context, samePort);
            running = fresh;
            old.close();
        } catch (IOException | TlsSetupException | RuntimeException e) {
            System.getLogger(WebSocketPlugin.class.getName()).log(System.Logger.Level.ERROR,
                    "websocket: could not reopen the listener with the reloaded TLS: " + e.getMessage());
        }
    }

    @Override
    public void enterLameDuckMode() {
        WebSocketListener l = listener;
        if (l != null) {
            l.stopAccepting();
        }
    }

    @Override
    public void stop() {
        WebSocketListener l = listener;
        listener = null;
        if (l != null) {
            l.close();
        }
    }

    private static WebSocketConfig withoutTls(WebSocketConfig c) {
        return new WebSocketConfig(c.host(), c.port(), c.advertise(), c.noTls(), Optional.empty(),
                java.util.List.of(), c.sameOrigin(), c.allowedOrigins(), c.compression(), c.handshakeTimeout(),
                c.jwtCookie(), c.noAuthUser(), c.username(), c.password(), c.token(), c.authTimeout(),
                c.authBlock());
    }

    private static WebSocketConfig read(Map<String, Object> section) throws PluginException {
        try {
            return WebSocketConfig.read(section);
        } catch (ConfigProblem e) {
            throw new PluginException(e.getMessage(), e);
        }
    }
}
