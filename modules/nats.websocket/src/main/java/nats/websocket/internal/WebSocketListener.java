package nats.websocket.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import nats.api.ServerContext;
import nats.api.net.BoundListener;
import nats.api.net.ListenerSpec;
import nats.api.net.StreamProtocol;
import nats.api.net.TlsPolicy;
import nats.api.sessions.AuthOverride;
import nats.api.sessions.ClientProtocolSpec;
import nats.transport.tls.ServerTls;
import nats.transport.tls.TlsSetupException;

/**
 * The running WebSocket listener of one {@code websocket {}} block: the port opened on the kernel's accept
 * machinery (TLS run by the kernel when configured), the upgrade handler, and what the listener shows in
 * {@code /varz}.
 */
public final class WebSocketListener {

    private final WebSocketConfig config;
    private final ScheduledExecutorService timer;
    private final UpgradeHandler handler;
    private final BoundListener bound;

    private WebSocketListener(WebSocketConfig config, ScheduledExecutorService timer, UpgradeHandler handler,
                              BoundListener bound) {
        this.config = config;
        this.timer = timer;
        this.handler = handler;
        this.bound = bound;
    }

    /**
     * Opens the listener of {@code config}.
     *
     * @throws IOException         when the port cannot be bound
     * @throws TlsSetupException   when the TLS files cannot be loaded
     */
    public static WebSocketListener open(ServerContext context, WebSocketConfig config)
            throws IOException, TlsSetupException {
        System.Logger log = context.logger();
        Optional<TlsPolicy> tls = config.tls().isPresent() ? Optional.of(policy(config)) : Optional.empty();
        config.tlsWarnings().forEach(w -> log.log(System.Logger.Level.WARNING, w));
        OriginPolicy origins = new OriginPolicy(config.sameOrigin(), config.allowedOrigins(),
                problem -> log.log(System.Logger.Level.ERROR, "error parsing allowed origin: " + problem));
        Handshake handshake = new Handshake(config, origins, name -> protocol(context, name).isPresent());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nats-websocket-timer");
            t.setDaemon(true);
            return t;
        });
        Optional<AuthOverride> auth = config.authBlock().isEmpty() ? Optional.empty()
                : Optional.of(new AuthOverride(config.authBlock()));
        // A client may be accepted before open() returns the port it bound.
        CompletableFuture<Integer> boundPort = new CompletableFuture<>();
        UpgradeHandler handler = new UpgradeHandler(log, handshake, config.handshakeTimeout(), timer,
                (connection, cookieJwt) -> context.clientSessions().serveClientProtocol(connection,
                        new ClientProtocolSpec("websocket", auth,
                                infoOverrides(config, boundPort.join(), tls.isPresent()), cookieJwt)),
                name -> protocol(context, name));
        String scheme = tls.isPresent() ? "wss://" : "ws://";
        BoundListener bound;
        try {
            bound = context.listeners().open(new ListenerSpec("websocket", config.host(), config.port(), tls,
                    "Listening for websocket clients on " + scheme), handler);
        } catch (IOException | RuntimeException e) {
            timer.shutdownNow();
            boundPort.completeExceptionally(e);
            throw e;
        }
        boundPort.complete(bound.port());
        if (tls.isEmpty()) {
            log.log(System.Logger.Level.WARNING, "Websocket not configured with TLS. DO NOT USE IN PRODUCTION!");
        }
        WebSocketListener listener = new WebSocketListener(config, timer, handler, bound);
        context.monitoring().varzSection("websocket", listener::varz);
        return listener;
    }

    /**
     * Go 2.10+ tells WebSocket clients the WebSocket listener's address and whether it runs TLS, rather than
     * the client port's.
     */
    private static Map<String, Object> infoOverrides(WebSocketConfig config, int port, boolean tls) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("host", config.host());
        info.put("port", port);
        info.put("tls_required", tls ? Boolean.TRUE : null);
        info.put("tls_verify", null);
        info.put("tls_available", tls ? Boolean.TRUE : null);
        return info;
    }

    /** The block's TLS; a handshake_timeout bounds the TLS handshake too, as Go's does. */
    private static TlsPolicy policy(WebSocketConfig config) throws TlsSetupException {
        TlsPolicy p = ServerTls.create(config.tls().orElseThrow()).policy();
        Duration timeout = config.handshakeTimeout().isZero() ? p.handshakeTimeout() : config.handshakeTimeout();
        return new TlsPolicy(p.context(), p.verify(), p.mapUsers(), timeout, p.pinnedCerts(), p.cipherSuites(),
                p.protocols());
    }

    private static Optional<StreamProtocol> protocol(ServerContext context, String name) {
        return context.streamProtocol(name);
    }

    /** The port bound (the chosen one for {@code port: -1}). */
    public int port() {
        return bound.port();
    }

    /** Go's WebsocketOptsVarz, in its field order, empty values left out. */
    Map<String, Object> varz() {
        Map<String, Object> v = new LinkedHashMap<>();
        putIfSet(v, "host", config.host());
        v.put("port", bound.port());
        putIfSet(v, "advertise", config.advertise());
        putIfSet(v, "no_auth_user", config.noAuthUser());
        putIfSet(v, "jwt_cookie", config.jwtCookie());
        if (!config.handshakeTimeout().isZero()) {
            v.put("handshake_timeout", config.handshakeTimeout().toNanos());
        }
        if (config.authTimeout() != 0) {
            v.put("auth_timeout", config.authTimeout());
        }
        if (config.noTls()) {
            v.put("no_tls", true);
        }
        if (config.tls().map(t -> t.verifyAndMap()).orElse(false)) {
            v.put("tls_map", true);
        }
        List<String> pinned = config.tls().map(t -> List.copyOf(t.pinnedCerts())).orElse(List.of());
        if (!pinned.isEmpty()) {
            v.put("tls_pinned_certs", pinned);
        }
        if (config.sameOrigin()) {
            v.put("same_origin", true);
        }
        if (!config.allowedOrigins().isEmpty()) {
            v.put("allowed_origins", config.allowedOrigins());
        }
        if (config.compression()) {
            v.put("compression", true);
        }
        return v;
    }

    private static void putIfSet(Map<String, Object> v, String name, String value) {
        if (!value.isEmpty()) {
            v.put(name, value);
        }
    }

    /** Stops accepting (lame-duck mode); upgraded clients stay until the kernel closes them. */
    public void stopAccepting() {
        bound.close();
        handler.closeUpgrading();
    }

    /** Stops accepting and releases the listener's timer. */
    public void close() {
        stopAccepting();
        timer.shutdownNow();
    }

    /** The configuration the listener runs with. */
    public WebSocketConfig config() {
        return config;
    }
}
