package nats.cluster.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import nats.api.ServerContext;
import nats.api.ServerIdentity;
import nats.api.ServerSettings;
import nats.api.links.InterestWatch;
import nats.api.links.Links;
import nats.api.net.BoundListener;
import nats.api.net.Connection;
import nats.api.net.ConnectionReader;
import nats.api.net.ListenerSpec;
import nats.api.net.TlsPolicy;
import nats.transport.json.JsonWriter;

/**
 * This server's place in the cluster: the route listener, the routes by peer (one per peer, duplicates
 * resolved as Go resolves them), the cluster name (configured, or dynamic and negotiated), gossip of new
 * peers, this server's interest fanned out to every route, and the client URLs the routes announce.
 */
public final class Cluster {

    /**
     * The route protocol level announced in INFO: Go's MsgTraceProto (3), which tells a Go 2.11 peer that this
     * server understands message tracing; Go 2.9 and 2.10 peers announce 2 and accept any higher level.
     */
    static final int MSG_TRACE_PROTO = 3;


    /** How {@link #addRoute} went. */
    enum Registration { ADDED_FIRST, ADDED, DUPLICATE, STOPPED }

    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final ServerContext context;
    private final System.Logger log;
    private volatile ClusterConfig config;
    private volatile Optional<TlsPolicy> tls;
    private volatile String name;
    private volatile boolean dynamic;
    private final ScheduledExecutorService timers;
    private final AtomicLong nextRid = new AtomicLong();
    /** Registered routes by rid, and by the peer's server id. */
    private final Map<Long, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, Route> remotes = new ConcurrentHashMap<>();
    /** Routes not registered yet (handshaking), so a shutdown closes them too. */
    private final Set<Route> pending = ConcurrentHashMap.newKeySet();
    private final ConnectUrls connectUrls;
    private final Solicitor solicitor;
    private volatile boolean running;
    private volatile boolean lameDuck;
    private volatile InterestWatch interest;
    private volatile BoundListener listener;

    public Cluster(ServerContext context, ClusterConfig config, Optional<TlsPolicy> tls) {
        this.context = context;
        this.log = context.logger();
        this.config = config;
        this.tls = tls;
        this.name = config.dynamicName() ? generatedName() : config.name();
        this.dynamic = config.dynamicName();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nats-cluster-timers");
            t.setDaemon(true);
            return t;
        });
        this.connectUrls = new ConnectUrls(context, () -> this.config.noAdvertise(), () -> lameDuck);
        this.solicitor = new Solicitor(this);
    }

    /** Opens the route listener, starts the interest relay and dials the configured routes. */
    public void start() throws IOException {
        running = true;
        log.log(System.Logger.Level.INFO, "Cluster name is {0}", name);
        if (dynamic) {
            log.log(System.Logger.Level.WARNING, "Cluster name was dynamically generated, consider setting one");
        }
        interest = context.links().watchLocalInterest((account, subject, queue, weight) -> {
            for (Route r : routes.values()) {
                r.sendInterest(account, subject, queue, weight);
            }
        });
        listener = context.listeners().open(new ListenerSpec("cluster", config.host(), config.port(), tls,
                "Listening for route connections on"), this::accepted);
        new ClusterMonitoring(this).register(context.monitoring());
        timers.scheduleAtFixedRate(() -> {
            long deadlineNanos = this.config.writeDeadline().orElse(context.settings().writeDeadline()).toNanos();
            allRoutes().forEach(r -> r.channel.writeDeadlineTick(deadlineNanos));
        }, 1, 1, TimeUnit.SECONDS);
        for (RouteUrl url : config.routes()) {
            solicitor.connect(url, true, true);
        }
    }

    /** Closes every route and the listener. */
    public void stop() {
        running = false;
        BoundListener l = listener;
        if (l != null) {
            l.close();
        }
        for (Route r : allRoutes()) {
            r.handshake.noReconnect(true);
            r.close("Server Shutdown");
        }
        InterestWatch w = interest;
        if (w != null) {
            w.close();
        }
        timers.shutdownNow();
    }

    /** Lame-duck mode: peers hear it (they drop this server's client URLs), clients stop being sent here. */
    public void enterLameDuckMode() {
        lameDuck = true;
        byte[] info = routeInfoLine(false, true);
        routes.values().forEach(r -> r.sendLine(info));
    }

    // ---- accepting and dialling ----------------------------------------------------------------------------

    private ConnectionReader accepted(Connection connection) {
        if (!running) {
            connection.close();
            return ConnectionReader.HANDED_OVER;
        }
        Route route = new Route(this, nextRid.incrementAndGet(), connection, false, null, false);
        pending.add(route);
        route.start();
        log.log(System.Logger.Level.INFO, "{0} - rid:{1} - Route connection created", route.remoteAddress(),
                route.rid);
        return route.channel.reader();
    }

    /** A connection this server dialled: becomes a route with its own reader. */
    void solicited(Connection connection, RouteUrl url, boolean explicit) {
        Route route = new Route(this, nextRid.incrementAndGet(), connection, true, url, explicit);
        pending.add(route);
        if (!running) {
            route.close("Server Shutdown");
            return;
        }
        route.start();
        log.log(System.Logger.Level.INFO, "{0} - rid:{1} - Route connection created", route.remoteAddress(),
                route.rid);
        Thread.ofPlatform().daemon().name("nats-route-in-" + route.rid).start(route.channel::readLoop);
    }

    // ---- registration ----------------------------------------------------------------------------------------

    /** Go's addRoute: the first route to a peer is kept, a second one is a duplicate. */
    Registration addRoute(Route route, RemoteInfo info) {
        Route existing;
        boolean first;
        synchronized (this) {
            if (!running) {
                return Registration.STOPPED;
            }
            existing = remotes.get(info.id());
            if (existing == null) {
                route.registered();
                routes.put(route.rid, route);
                remotes.put(info.id(), route);
                pending.remove(route);
                first = routes.size() == 1;
            } else {
                existing.handshake.takeOver(route.handshake);
                return Registration.DUPLICATE;
            }
        }
        // What this server is interested in goes to the new peer; changes meanwhile reach it too (or twice).
        interest.replay(route::sendInterest);
        for (nats.api.links.RouteGossip g : context.links().routeGossip()) {
            g.routeRegistered(info.id(), info.json(), fields -> route.sendLine(infoLine(fields)));
        }
        if (!first) {
            String ip = info.ip().isEmpty() ? "nats-route://" + hostOnly(route.remoteAddress()) + ":" + info.port()
                    + "/" : info.ip();
            forwardNewRoute(info, ip);
        }
        connectUrls.add(info.connectUrls());
        return first ? Registration.ADDED_FIRST : Registration.ADDED;
    }

    /** Go's forwardNewRouteInfoToKnownServers: the other peers learn the new one and dial it. */
    private void forwardNewRoute(RemoteInfo info, String ip) {
        JsonWriter json = new JsonWriter();
        json.value(info.forwarded(ip));
        byte[] line = ("INFO " + json + "\r\n").getBytes(StandardCharsets.UTF_8);
        for (Route r : routes.values()) {
            if (!r.handshake.remoteId().equals(info.id())) {
                r.sendLine(line);
            }
        }
    }

    /** Go's processImplicitRoute: a peer told us of another server; dial it unless known or configured. */
    void gossip(RemoteInfo info) {
        if (!running || info.id().equals(identity().serverId()) || remotes.containsKey(info.id())) {
            return;
        }
        for (RouteUrl configured : config.routes()) {
            if (configured.sameAddress(info.host(), info.port())) {
                return;
            }
        }
        if (info.ip().isEmpty()) {
            return;
        }
        RouteUrl url;
        try {
            url = RouteUrl.parse(info.ip());
        } catch (IllegalArgumentException e) {
            log.log(System.Logger.Level.ERROR, "Error parsing URL from INFO: {0}", e.getMessage());
            return;
        }
        if (info.authRequired() && config.authRequired()) {
            url = new RouteUrl(url.text(), url.host(), url.port(), Optional.of(config.username()),
                    Optional.of(config.password()));
        }
        solicitor.connect(url, false, true);
    }

    /** A route closed: forget it, withdraw its client URLs, and reconnect as Go's reconnect decides. */
    void routeClosed(Route route, String reason) {
        boolean wasRegistered;
        synchronized (this) {
            pending.remove(route);
            wasRegistered = routes.remove(route.rid, route);
            remotes.remove(route.handshake.remoteId(), route);
        }
        log.log(System.Logger.Level.INFO, "{0} - rid:{1} - Router connection closed: {2}", route.remoteAddress(),
                route.rid, reason);
        if (wasRegistered) {
            connectUrls.remove(route.handshake.connectUrls());
            RemoteInfo first = route.handshake.firstInfo();
            for (nats.api.links.RouteGossip g : context.links().routeGossip()) {
                g.routeClosed(route.handshake.remoteId(), first == null ? Map.of() : first.json());
            }
        }
        reconnect(route);
    }

    private void reconnect(Route route) {
        RouteHandshake h = route.handshake;
        if (!running || h.noReconnect()) {
            return;
        }
        boolean retryImplicit = h.retry() || (h.didSolicit() && !h.explicit());
        if (!h.didSolicit() && !retryImplicit) {
            return;
        }
        String rid = h.remoteId();
        if (!rid.isEmpty() && remotes.containsKey(rid)) {
            log.log(System.Logger.Level.DEBUG, "Not attempting reconnect for solicited route, already connected to \"{0}\"",
                    rid);
            return;
        }
        if (h.url() == null || (!h.explicit() && !retryImplicit)) {
            return;
        }
        log.log(System.Logger.Level.DEBUG, "Attempting reconnect for solicited route \"{0}\"", h.url().redacted());
        solicitor.reconnect(h.url(), h.explicit());
    }

    // ---- cluster name ----------------------------------------------------------------------------------------

    /**
     * Takes a peer's cluster name (this one is dynamic and the peer's is configured or sorts higher), as Go does;
     * every other route closes, as on a Go server, and reconnects under the new name.
     */
    void adoptName(String adopted, boolean configured, Route except) {
        synchronized (this) {
            name = adopted;
            if (configured) {
                dynamic = false;
            }
        }
        log.log(System.Logger.Level.INFO, "Cluster name updated to {0}", adopted);
        for (Route r : allRoutes()) {
            if (r != except) {
                r.close("Cluster Name Conflict");
            }
        }
    }

    // ---- peers' INFO updates ---------------------------------------------------------------------------------

    void peerEnteredLameDuck(Route route) {
        List<String> urls = route.handshake.connectUrls();
        route.handshake.clearConnectUrls();
        connectUrls.remove(urls);
    }

    /** Go's updateRemoteRoutePerms: interest the peer may now take that it could not before is sent to it. */
    void peerPermissionsChanged(Route route, RoutePermissions before, RoutePermissions now) {
        interest.replay((account, subject, queue, weight) -> {
            if (now.canExport(subject) && !before.canExport(subject)) {
                route.sendInterest(account, subject, queue, weight);
            }
        });
    }

    // ---- what routes need ------------------------------------------------------------------------------------

    /** This server's route INFO (Go's routeInfo); the first one on a connection carries a nonce. */
    byte[] routeInfoLine(boolean withNonce) {
        return routeInfoLine(withNonce, false);
    }

    private byte[] routeInfoLine(boolean withNonce, boolean ldm) {
        ServerIdentity id = identity();
        ClusterConfig c = config;
        JsonWriter json = new JsonWriter().beginObject()
                .field("server_id", id.serverId()).field("server_name", id.serverName())
                .field("version", id.serverVersion()).field("proto", MSG_TRACE_PROTO).field("go", runtimeVersion());
        String[] advertised = advertised(c);
        json.field("host", advertised[0]).field("port", Integer.parseInt(advertised[1])).field("headers", true);
        if (c.authRequired()) {
            json.field("auth_required", true);
        }
        if (c.tls().isPresent()) {
            json.field("tls_required", true).field("tls_verify", true);
        }
        json.field("max_payload", context.settings().maxPayload());
        if (!c.advertise().isEmpty()) {
            json.field("ip", "nats-route://" + advertised[0] + ":" + advertised[1] + "/");
        }
        if (withNonce) {
            json.field("nonce", nonce());
        }
        json.field("cluster", name);
        if (dynamic) {
            json.field("cluster_dynamic", true);
        }
        if (!c.noAdvertise()) {
            List<String> own = connectUrls.own();
            if (!own.isEmpty()) {
                json.name("connect_urls").value(own);
            }
        }
        if (ldm) {
            json.field("ldm", true);
        }
        for (nats.api.links.RouteGossip g : context.links().routeGossip()) {
            for (Map.Entry<String, Object> f : g.routeInfoFields().entrySet()) {
                json.name(f.getKey()).value(f.getValue());
            }
        }
        c.permissions().importJson().ifPresent(p -> json.name("import").value(p));
        c.permissions().exportJson().ifPresent(p -> json.name("export").value(p));
        // Go joins "INFO", the JSON and CRLF with spaces for its own route INFO.
        return ("INFO " + json.endObject() + " \r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** An INFO line with these fields (another link type's gossip over the routes). */
    private static byte[] infoLine(Map<String, Object> fields) {
        JsonWriter json = new JsonWriter();
        json.value(fields);
        return ("INFO " + json + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The host and port peers should dial: cluster_advertise, else the listener's. */
    private String[] advertised(ClusterConfig c) {
        if (!c.advertise().isEmpty()) {
            String a = c.advertise();
            int colon = a.lastIndexOf(':');
            if (colon > 0 && !a.endsWith("]")) {
                return new String[] {a.substring(0, colon), a.substring(colon + 1)};
            }
            return new String[] {a, Integer.toString(port())};
        }
        return new String[] {c.host(), Integer.toString(port())};
    }

    /** The route port bound (the chosen one with port -1). */
    public int port() {
        BoundListener l = listener;
        return l == null ? config.port() : l.port();
    }

    private static String nonce() {
        byte[] raw = new byte[11];
        new SecureRandom().nextBytes(raw);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static String generatedName() {
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

    private static String hostOnly(String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    ClusterConfig config() {
        return config;
    }

    /** New TLS for routes from now on: the listener is opened again on its port with it (a reload). */
    void tls(Optional<TlsPolicy> policy) {
        this.tls = policy;
        BoundListener old = listener;
        if (old == null || !running) {
            return;
        }
        int bound = old.port();
        old.close();
        try {
            listener = context.listeners().open(new ListenerSpec("cluster", config.host(), bound, policy,
                    "Listening for route connections on"), this::accepted);
        } catch (IOException e) {
            log.log(System.Logger.Level.ERROR, "Error listening on router port: {0} - {1}", bound, e.getMessage());
        }
    }

    /** A configured name replaces the current one (a reload); routes stay. */
    void rename(String configured) {
        synchronized (this) {
            name = configured;
            dynamic = false;
        }
        log.log(System.Logger.Level.INFO, "Cluster name updated to {0}", configured);
    }

    /** Replays this server's interest into {@code target}. */
    void replayInterest(nats.api.links.LocalInterestListener target) {
        InterestWatch w = interest;
        if (w != null) {
            w.replay(target);
        }
    }

    /** Dials a route added by a reload. */
    void solicit(RouteUrl url) {
        solicitor.connect(url, true, true);
    }

    void config(ClusterConfig fresh) {
        this.config = fresh;
    }

    String name() {
        return name;
    }

    boolean dynamicName() {
        return dynamic;
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

    ScheduledExecutorService timers() {
        return timers;
    }

    System.Logger log() {
        return log;
    }

    boolean running() {
        return running;
    }

    Optional<TlsPolicy> tls() {
        return tls;
    }

    ConnectUrls connectUrls() {
        return connectUrls;
    }

    /** Whether a peer with this server id is connected. */
    boolean connectedTo(String serverId) {
        return remotes.containsKey(serverId);
    }

    /** Registered routes, for monitoring. */
    public List<Route> registeredRoutes() {
        return new ArrayList<>(routes.values());
    }

    private List<Route> allRoutes() {
        List<Route> all = new ArrayList<>(routes.values());
        all.addAll(pending);
        return all;
    }
}
