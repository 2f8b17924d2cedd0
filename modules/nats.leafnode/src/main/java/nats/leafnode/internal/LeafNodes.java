package nats.leafnode.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import nats.transport.compress.CompressionOptions;
import nats.api.ServerContext;
import nats.api.ServerIdentity;
import nats.api.ServerSettings;
import nats.api.accounts.AccountDirectory;
import nats.api.links.Links;
import nats.api.net.BoundListener;
import nats.api.net.Connection;
import nats.api.net.ConnectionReader;
import nats.api.net.ListenerSpec;
import nats.transport.json.JsonWriter;
import nats.transport.net.PlainConnection;
import nats.transport.tls.ServerTls;
import nats.transport.tls.TlsHandshake;
import nats.transport.tls.TlsSetupException;
import nats.transport.protocol.ProtocolException;

/**
 * This server's leaf-node side: the listener for leaf nodes that connect here (this server is their hub), the
 * remotes it connects to (it is their leaf), the connections of both kinds, and each account's loop-detection
 * subject ({@code $LDS.<random>}, announced on every leaf connection of the account: if it comes back, the
 * leaf nodes form a loop).
 */
public final class LeafNodes {

    /** Go's leafNodeReconnectDelayAfterLoopDetected. */
    static final Duration LOOP_DELAY = Duration.ofSeconds(30);
    /** Go's leafNodeReconnectDelayAfterClusterNameSame. */
    static final Duration SAME_CLUSTER_DELAY = Duration.ofSeconds(30);
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final ServerContext context;
    private final System.Logger log;
    private volatile LeafConfig config;
    private final ScheduledExecutorService timers;
    private final AtomicLong nextCid = new AtomicLong();
    private final Map<Long, LeafConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, String> loopSubjects = new ConcurrentHashMap<>();
    private final List<Remote> remotes = new ArrayList<>();
    private volatile boolean running;
    private volatile BoundListener listener;
    /** Go 2.11's MsgTraceProto: the protocol level at which a peer carries trace hops and sends its events. */
    static final int MSG_TRACE_PROTO = 3;

    /** The listener's TLS, run after the plain INFO as Go does; null without TLS (a reload may replace it). */
    private volatile ServerTls serverTls;
    private final LocalServer local;
    /** The cluster's leafnode URLs, learnt over routes. */
    private final LeafUrlGossip urlGossip = new LeafUrlGossip(this);

    public LeafNodes(ServerContext context, LeafConfig config) throws TlsSetupException {
        this.serverTls = config.tls().isPresent() ? ServerTls.create(config.tls().get()) : null;
        this.context = context;
        this.log = context.logger();
        this.config = config;
        this.local = new LocalServer(this);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nats-leaf-timers");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens the leafnode listener (when a port is set) and dials the remotes. */
    public void start() throws IOException {
        running = true;
        if (config.listens()) {
            listener = context.listeners().open(new ListenerSpec("leafnodes", config.host(), config.port(),
                    Optional.empty(), "Listening for leafnode connections on"), this::accepted);
            // Go's websocket listener creates a leaf connection for its /leafnode endpoint when leaf nodes are
            // accepted here; the WebSocket plugin hands such connections over by this name.
            context.registerStreamProtocol(new nats.api.net.StreamProtocol() {
                @Override
                public String name() {
                    return "leafnode";
                }

                @Override
                public void serve(Connection connection, String carrier) {
                    serveCarried(connection);
                }
            });
        }
        if (config.listens()) {
            urlGossip.addOwn(advertisedUrl());
        }
        context.links().addRouteGossip(urlGossip);
        new LeafMonitoring(this).register(context.monitoring());
        for (LeafConfig.RemoteConfig r : config.remotes()) {
            Remote remote = new Remote(this, r);
            remotes.add(remote);
            remote.connectSoon(Duration.ZERO);
        }
    }

    /**
     * Applies a reload {@link LeafReload} accepted: the listener's TLS and each remote's TLS for connections made
     * from now on; the running remotes keep their deny lists, as in Go; a new compression mode (the listener's or
     * a remote's) is applied to the connections as Go 2.10 does ({@link LeafConnection#compressionReloaded}).
     */
    public void reload(LeafConfig fresh) throws TlsSetupException {
        ServerTls tls = fresh.tls().isPresent() ? ServerTls.create(fresh.tls().get()) : null;
        for (Remote r : remotes) {
            for (LeafConfig.RemoteConfig candidate : fresh.remotes()) {
                if (LeafReload.key(candidate).equals(LeafReload.key(r.config()))) {
                    r.tls(candidate.tls());
                    r.compression(candidate.compression());
                }
            }
        }
        serverTls = tls;
        config = fresh;
        List<LeafConnection> renegotiate = new ArrayList<>();
        for (LeafConnection c : connections.values()) {
            if (c.compressionReloaded()) {
                renegotiate.add(c);
            }
        }
        // Go closes them as ClientClosed; each leaf dials again and negotiates with the new mode.
        renegotiate.forEach(c -> c.close("Client Closed"));
    }

    public void stop() {
        running = false;
        BoundListener l = listener;
        if (l != null) {
            l.close();
        }
        for (LeafConnection c : new ArrayList<>(connections.values())) {
            c.close("Server Shutdown");
        }
        timers.shutdownNow();
    }

    // ---- connections -------------------------------------------------------------------------------------

    private ConnectionReader accepted(Connection connection) {
        if (!running) {
            connection.close();
            return ConnectionReader.HANDED_OVER;
        }
        if (serverTls != null && connection instanceof PlainConnection plain) {
            // Go's order: the INFO in plain text, then the TLS handshake; this plugin reads the connection.
            Thread.ofPlatform().daemon().name("nats-leaf-tls").start(() -> acceptTls(plain));
            return ConnectionReader.HANDED_OVER;
        }
        LeafConnection leaf = new LeafConnection(this, nextCid.incrementAndGet(), connection, null);
        connections.put(leaf.cid, leaf);
        leaf.start();
        return leaf.channel.reader();
    }

    private void acceptTls(PlainConnection plain) {
        long cid = nextCid.incrementAndGet();
        String nonce = nonce();
        Connection tls;
        try {
            tls = TlsHandshake.accept(plain.channel(), serverTls, false, greetingLine(cid, nonce));
        } catch (TlsHandshake.Refused e) {
            log.log(e.level(), "{0} - lid:{1} - {2}", plain.remoteAddress(), cid, e.getMessage());
            return;
        }
        LeafConnection leaf = new LeafConnection(this, cid, tls, null, nonce);
        connections.put(leaf.cid, leaf);
        if (!running) {
            leaf.close("Server Shutdown");
            return;
        }
        leaf.start();
        leaf.channel.readLoop();
    }

    /** A leaf node that came in over another plugin's listener (WebSocket): served on the calling thread. */
    private void serveCarried(Connection connection) {
        if (!running) {
            connection.close("Server Shutdown");
            return;
        }
        LeafConnection leaf = new LeafConnection(this, nextCid.incrementAndGet(), connection, null);
        connections.put(leaf.cid, leaf);
        leaf.start();
        leaf.channel.readLoop();
    }

    /** A connection a remote dialled: becomes a leaf connection read by a platform thread of its own. */
    void solicited(Remote remote, Connection connection, byte[] info) {
        LeafConnection leaf = new LeafConnection(this, nextCid.incrementAndGet(), connection, remote);
        connections.put(leaf.cid, leaf);
        if (!running) {
            leaf.close("Server Shutdown");
            return;
        }
        leaf.start();
        Thread.ofPlatform().daemon().name("nats-leaf-in-" + leaf.cid).start(() -> {
            try {
                leaf.channel.read(info, 0, info.length);
            } catch (ProtocolException e) {
                leaf.channel.readEnded(e);
                return;
            }
            leaf.channel.readLoop();
        });
    }

    /** The handshake finished: the connection is logged as Go logs it. */
    boolean registered(LeafConnection c) {
        if (!running || c.isClosed()) {
            return false;
        }
        log.log(System.Logger.Level.INFO, "{0} - lid:{1} - Leafnode connection created{2} {3}", c.remoteAddress(),
                c.cid, c.remote != null ? " for account: " + c.handshake.account() : "", c.handshake.remoteName());
        return true;
    }

    void connectionClosed(LeafConnection c, String reason) {
        connections.remove(c.cid, c);
        log.log(System.Logger.Level.INFO, "{0} - lid:{1} - Leafnode connection closed: {2} account: {3}",
                c.remoteAddress(), c.cid, reason, c.handshake.account());
        if (c.remote != null && running) {
            c.remote.closed(c);
        }
    }

    /** Bound leaf connections, for monitoring. */
    public List<LeafConnection> connections() {
        List<LeafConnection> list = new ArrayList<>();
        for (LeafConnection c : connections.values()) {
            if (c.isBound() && !c.isClosed()) {
                list.add(c);
            }
        }
        list.sort((a, b) -> Long.compare(a.cid, b.cid));
        return list;
    }

    // ---- protocol helpers ----------------------------------------------------------------------------------

    /** The account's loop-detection subject, made once per account as Go's {@code acc.lds}. */
    String loopSubject(String account) {
        return loopSubjects.computeIfAbsent(account, a -> LeafConnection.LDS_PREFIX + randomId());
    }

    /** The hub's first INFO: with the {@code compression} it is configured with (Go 2.10; 2.9 peers ignore it). */
    byte[] greetingLine(long cid, String nonce) {
        String mode = config.compression().mode();
        return infoLine(cid, nonce, Optional.empty(), Optional.empty(), Optional.empty(),
                mode.equals(CompressionOptions.NOT_SUPPORTED) ? "" : mode);
    }

    /** The INFO either side sends once it has chosen compression {@code mode} (Go's negotiateLeafCompression). */
    byte[] compressionInfoLine(long cid, String nonce, String mode) {
        if (!config.listens()) {
            // A leaf without a leafnode listener has no leafnode INFO of its own (Go's is empty then); the hub
            // reads only the mode from this one.
            ServerIdentity id = identity();
            return ("INFO " + new JsonWriter().beginObject().field("server_id", id.serverId())
                    .field("server_name", id.serverName()).field("version", id.serverVersion())
                    .field("proto", MSG_TRACE_PROTO).field("headers", true).field("client_id", cid)
                    .field("compression", mode).endObject() + "\r\n").getBytes(StandardCharsets.UTF_8);
        }
        return infoLine(cid, nonce, Optional.empty(), Optional.empty(), Optional.empty(), mode);
    }

    byte[] infoLine(long cid, String nonce, Optional<String> remoteAccount, Optional<Map<String, Object>> imports,
                    Optional<Map<String, Object>> exports) {
        return infoLine(cid, nonce, remoteAccount, imports, exports, "");
    }

    /**
     * The leafnode INFO (Go's leafNodeInfo): the first one carries the nonce, the one after CONNECT the bound
     * account ({@code remote_account}) and {@code connect_info}.
     */
    private byte[] infoLine(long cid, String nonce, Optional<String> remoteAccount,
                            Optional<Map<String, Object>> imports, Optional<Map<String, Object>> exports,
                            String compression) {
        ServerIdentity id = identity();
        JsonWriter json = new JsonWriter().beginObject()
                .field("server_id", id.serverId()).field("server_name", id.serverName())
                .field("version", id.serverVersion()).field("proto", MSG_TRACE_PROTO).field("go", runtimeVersion())
                .field("host", config.host()).field("port", port()).field("headers", true)
                .field("auth_required", true);
        if (config.tls().isPresent()) {
            json.field("tls_required", true);
            if (config.tls().get().verify()) {
                json.field("tls_verify", true);
            }
        }
        json.field("max_payload", settings().maxPayload());
        LocalServer.State js = local.get();
        if (js.enabled()) {
            json.field("jetstream", true);
        }
        if (!nonce.isEmpty()) {
            json.field("nonce", nonce);
        }
        if (cid != 0) {
            json.field("client_id", cid);
        }
        if (!js.cluster().isEmpty()) {
            json.field("cluster", js.cluster());
        }
        if (!js.domain().isEmpty()) {
            json.field("domain", js.domain());
        }
        List<String> ws = urlGossip.wsUrls();
        if (!ws.isEmpty()) {
            json.name("ws_connect_urls").value(ws);
        }
        json.name("leafnode_urls").value(urlGossip.urls());
        imports.ifPresent(i -> json.name("import").value(i));
        exports.ifPresent(e -> json.name("export").value(e));
        remoteAccount.ifPresent(a -> json.field("remote_account", a));
        if (!compression.isEmpty()) {
            json.field("compression", compression);
        }
        json.field("info_on_connect", true);
        if (remoteAccount.isPresent()) {
            json.field("connect_info", true);
        }
        return ("INFO " + json.endObject() + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Tells the leaf nodes connected here that the cluster's leafnode URLs changed: Go's async INFO (the leafnode
     * INFO without nonce or client id), which a leaf takes as the new list of servers it may dial.
     */
    void sendAsyncInfo() {
        if (!config.listens() || !running) {
            return;
        }
        byte[] line = infoLine(0, "", Optional.empty(), Optional.empty(), Optional.empty());
        for (LeafConnection c : connections.values()) {
            if (c.remote == null && c.isBound() && !c.isClosed()) {
                c.sendLine(line);
            }
        }
    }

    /** {@code host:port} other leaf nodes may dial: the advertise setting, else the listener's address. */
    String advertisedUrl() {
        if (!config.advertise().isEmpty()) {
            return config.advertise().contains(":") ? config.advertise() : config.advertise() + ":" + port();
        }
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostAddress();
            } catch (IOException e) {
                host = "127.0.0.1";
            }
        }
        return host + ":" + port();
    }

    static String nonce() {
        byte[] raw = new byte[11];
        new SecureRandom().nextBytes(raw);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static String randomId() {
        SecureRandom random = new SecureRandom();
        char[] id = new char[22];
        for (int i = 0; i < id.length; i++) {
            id[i] = BASE62[random.nextInt(BASE62.length)];
        }
        return new String(id);
    }

    static String runtimeVersion() {
        StringBuilder sb = new StringBuilder("java");
        List<Integer> parts = Runtime.version().version();
        for (int i = 0; i < parts.size(); i++) {
            sb.append(i == 0 ? "" : ".").append(parts.get(i));
        }
        return sb.toString();
    }

    // ---- what connections need -----------------------------------------------------------------------------

    /** The leafnode port bound (the chosen one with port -1), 0 without a listener. */
    public int port() {
        BoundListener l = listener;
        return l == null ? Math.max(0, config.port()) : l.port();
    }

    String globalAccount() {
        return context.accounts().global().name();
    }

    LeafConfig config() {
        return config;
    }

    List<Remote> remotes() {
        return remotes;
    }

    nats.api.sessions.ClientSessions sessions() {
        return context.clientSessions();
    }

    AccountDirectory accounts() {
        return context.accounts();
    }

    ServerIdentity identity() {
        return context.identity();
    }

    ServerSettings settings() {
        return context.settings();
    }

    Links links() {
        return context.links();
    }

    /** This server's JetStream state and cluster name, as its VARZ tells them. */
    LocalServer.State local() {
        return local.get();
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    System.Logger log() {
        return log;
    }

    boolean running() {
        return running;
    }
}
