package nats.cluster.internal;

import java.io.IOException;
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
    enum Registration { ADDED_FIRST, ADDED, DUPLICATE, REFUSED, STOPPED }

    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final ServerContext context;
    private final System.Logger log;
    private volatile ClusterConfig config;
    private volatile Optional<TlsPolicy> tls;
    private volatile String name;
    private volatile boolean dynamic;
    private final ScheduledExecutorService timers;
    private final AtomicLong nextRid = new AtomicLong();
    /** Registered routes by rid, and the peers' connections by their server id. */
    private final Map<Long, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    /** Routes not registered yet (handshaking), so a shutdown closes them too. */
    private final Set<Route> pending = ConcurrentHashMap.newKeySet();
    private final ConnectUrls connectUrls;
    private final Solicitor solicitor;
    private final RouteInfoWriter infoWriter = new RouteInfoWriter(this);
    private final AccountRoutes accountRoutes = new AccountRoutes(this);
    private final ImplicitRoutes implicitRoutes;
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
        this.implicitRoutes = new ImplicitRoutes(this, peers, solicitor);
    }

    /** Opens the route listener, starts the interest relay and dials the configured routes. */
    public void start() throws IOException {
        running = true;
        log.log(System.Logger.Level.INFO, "Cluster name is {0}", name);
        if (dynamic) {
            log.log(System.Logger.Level.WARNING, "Cluster name was dynamically generated, consider setting one");
        }
        interest = context.links().watchLocalInterest(new OriginInterestRelay(this));
        listener = context.listeners().open(new ListenerSpec("cluster", config.host(), config.port(), tls,
                "Listening for route connections on"), this::accepted);
        new ClusterMonitoring(this).register(context.monitoring());
        timers.scheduleAtFixedRate(() -> {
            long deadlineNanos = this.config.writeDeadline().orElse(context.settings().writeDeadline()).toNanos();
            allRoutes().forEach(r -> r.channel.writeDeadlineTick(deadlineNanos));
        }, 1, 1, TimeUnit.SECONDS);
        for (RouteUrl url : config.routes()) {
            solicitor.connect(url, true, true, "");
        }
    }

    /** Closes every route and the listener. */
    public void stop() {
        running = false;
        for (nats.api.links.RouteGossip g : context.links().routeGossip()) {
            g.routesStopping();
        }
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
        Route route = new Route(this, nextRid.incrementAndGet(), connection, false, null, false, "");
        pending.add(route);
        route.start();
        log.log(System.Logger.Level.INFO, "{0} - rid:{1} - Route connection created", route.remoteAddress(),
                route.rid);
        return route.channel.reader();
    }

    /** A connection this server dialled: becomes a route with its own reader. */
    void solicited(Connection connection, RouteUrl url, boolean explicit, String account) {
        Route route = new Route(this, nextRid.incrementAndGet(), connection, true, url, explicit, account);
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

    /**
     * Go 2.10's addRoute: a pinned account's route, or a pooled one in the slot the dialling side chose (the
     * dialling side takes the first free slot and dials the next until the pool is full); a peer without pooling
     * (Go 2.9) gets one route, the first kept and a second a duplicate, as before. Pool sizes must match.
     */
    Registration addRoute(Route route, RemoteInfo info) {
        ClusterConfig c = config;
        String account = route.account();
        int size = c.routesPoolSize();
        boolean pool = info.routePoolSize() > 0;
        String refusal = null;
        if (info.routePoolSize() <= 0 || !c.pooling()) {
            if (!account.isEmpty()) {
                refusal = "Not possible to have a dedicate route for account \"" + account + "\" between those servers";
                route.handshake.noReconnect(true);
            } else {
                pool = false;
                route.noPool = true;
                route.poolIdx = 0;
            }
        } else if (info.routePoolSize() != size) {
            refusal = "Mismatch route pool size: " + size + " vs " + info.routePoolSize();
        } else if (route.solicited) {
            if (info.routePoolIdx() != 0) {
                refusal = "Route pool index should not be set but is set to " + info.routePoolIdx();
            }
        } else if (info.routePoolIdx() < 0 || info.routePoolIdx() >= size) {
            refusal = "Invalid route pool index: " + info.routePoolIdx() + " - pool size is " + info.routePoolSize();
        }
        if (refusal == null && !account.isEmpty() && !isPinned(account)) {
            refusal = "No route for account \"" + account + "\"";
        }
        if (refusal != null) {
            log.log(System.Logger.Level.ERROR, "{0} - rid:{1} - {2}", route.remoteAddress(), route.rid, refusal);
            route.sendError(refusal);
            return Registration.REFUSED;
        }
        boolean firstOfPeer;
        int filled;
        synchronized (this) {
            if (!running) {
                return Registration.STOPPED;
            }
            Peer peer = peers.computeIfAbsent(info.id(), id -> new Peer(id, size));
            if (account.isEmpty() && peer.pool.length != size) {
                // The pool size changed on reload: the old pool closed; a connection of it still here waits.
                if (!peer.poolEmpty()) {
                    log.log(System.Logger.Level.DEBUG, "Route pool of {0} still closing, refusing a new one", info.id());
                    return Registration.DUPLICATE;
                }
                peer.resize(size);
            }
            if (!account.isEmpty()) {
                Route existing = peer.pinned.get(account);
                if (existing != null) {
                    existing.handshake.takeOver(route.handshake);
                    route.handshake.noReconnect(true);
                    return Registration.DUPLICATE;
                }
                peer.pinned.put(account, route);
                firstOfPeer = false;
                filled = 0;
            } else {
                int idx = peer.slotFor(route, info.routePoolIdx(), pool);
                if (idx == Peer.TAKEN) {
                    return Registration.DUPLICATE;
                }
                if (idx == Peer.FULL) {
                    log.log(System.Logger.Level.DEBUG, "Route pool size reached, closing extra connection to \"{0}\"",
                            info.id());
                    route.handshake.noReconnect(true);
                    return Registration.DUPLICATE;
                }
                route.poolIdx = idx;
                peer.pool[idx] = route;
                int count = peer.poolCount();
                firstOfPeer = !pool || count == 1;
                if (firstOfPeer) {
                    peer.connectUrls = info.connectUrls();
                }
                filled = pool && route.solicited ? count : size;
            }
            route.registered();
            routes.put(route.rid, route);
            pending.remove(route);
        }
        if (route.solicited && account.isEmpty()) {
            // Go sends a pooled route's INFO once its slot is known.
            route.sendLine(routeInfoLine(account, c.compression().forInfo(route.compression), route.poolIdx));
        }
        // What this server is interested in goes to the new connection; changes meanwhile reach it too (or twice).
        interest.replay((a, subject, queue, weight) -> {
            if (route.carries(a)) {
                route.sendInterest(a, subject, queue, weight);
            }
        });
        if (!account.isEmpty()) {
            accountRoutes.registered(route);
            // The other servers dial their own route for this account to the new peer (Go forwards this INFO too).
            implicitRoutes.forward(info, ImplicitRoutes.address(route, info));
            return Registration.ADDED;
        }
        if (firstOfPeer) {
            for (nats.api.links.RouteGossip g : context.links().routeGossip()) {
                g.routeRegistered(info.id(), info.json(), fields -> route.sendLine(infoLine(fields)));
            }
            if (peers.size() > 1) {
                implicitRoutes.forward(info, ImplicitRoutes.address(route, info));
            }
            connectUrls.add(info.connectUrls());
        }
        if (firstOfPeer && pool && route.solicited) {
            // Go dials a route per pinned account to every configured server at start; this server waits until the
            // peer has shown it pools, so a Go 2.9 peer is never offered one (Go 2.10 refuses it after the fact).
            RouteUrl url = route.handshake.url();
            boolean explicit = route.handshake.explicit();
            for (String pinned : pinnedAccounts()) {
                solicitor.connect(url, explicit, true, pinned);
            }
        }
        if (filled < size) {
            // Go fills the pool from the dialling side, a connection at a time.
            RouteUrl url = route.handshake.url();
            boolean explicit = route.handshake.explicit();
            timers.schedule(() -> solicitor.connect(url, explicit, true, ""),
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(100), TimeUnit.MILLISECONDS);
        }
        return firstOfPeer ? Registration.ADDED_FIRST : Registration.ADDED;
    }

    /**
     * Whether {@code account} has routes of its own (configured, the system account with pooling on, or pinned at a
     * peer's request during its reload).
     */
    boolean isPinned(String account) {
        return config.pinned(context.settings().systemAccount()).contains(account)
                || accountRoutes.pinnedByPeers().contains(account);
    }

    List<String> pinnedAccounts() {
        List<String> configured = config.pinned(context.settings().systemAccount());
        if (accountRoutes.pinnedByPeers().isEmpty()) {
            return configured;
        }
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(configured);
        all.addAll(accountRoutes.pinnedByPeers());
        return List.copyOf(all);
    }

    AccountRoutes accountRoutes() {
        return accountRoutes;
    }

    /** Whether a route of {@code account}'s own to this peer is registered. */
    synchronized boolean hasAccountRoute(String peerId, String account) {
        Peer p = peers.get(peerId);
        return p != null && p.pinned.containsKey(account);
    }

    /** Go's computeRoutePoolIdx: FNV-1a of the account name, modulo the pool size. */
    int poolIndex(String account) {
        return PoolIndex.of(account, config.routesPoolSize());
    }

    /** Go's processImplicitRoute: a peer told us of another server; dial it unless known or configured. */
    void gossip(RemoteInfo info) {
        implicitRoutes.learned(info);
    }

    /** A route closed: forget it, withdraw its client URLs, and reconnect as Go's reconnect decides. */
    void routeClosed(Route route, String reason) {
        boolean wasRegistered;
        boolean lastOfPeer;
        List<String> urls = List.of();
        synchronized (this) {
            pending.remove(route);
            wasRegistered = routes.remove(route.rid, route);
            Peer peer = peers.get(route.handshake.remoteId());
            lastOfPeer = wasRegistered && forget(route);
            if (lastOfPeer && peer != null) {
                urls = peer.connectUrls;
                peer.connectUrls = List.of();
            }
        }
        log.log(System.Logger.Level.INFO, "{0} - rid:{1} - Router connection closed: {2}", route.remoteAddress(),
                route.rid, reason);
        if (lastOfPeer) {
            connectUrls.remove(urls);
            RemoteInfo first = route.handshake.firstInfo();
            for (nats.api.links.RouteGossip g : context.links().routeGossip()) {
                g.routeClosed(route.handshake.remoteId(), first == null ? Map.of() : first.json());
            }
        }
        solicitor.afterClose(route);
    }

    /** Takes a closed route out of its peer; true when it was the peer's last pooled one. Under the lock. */
    private boolean forget(Route route) {
        Peer peer = peers.get(route.handshake.remoteId());
        if (peer == null) {
            return false;
        }
        boolean pooled = route.account().isEmpty();
        if (!pooled) {
            peer.pinned.remove(route.account(), route);
        } else if (route.poolIdx >= 0 && peer.pool[route.poolIdx] == route) {
            peer.pool[route.poolIdx] = null;
        } else {
            return false;
        }
        if (peer.empty()) {
            peers.remove(peer.id, peer);
        }
        return pooled && peer.poolEmpty();
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
        List<String> urls;
        synchronized (this) {
            Peer peer = peers.get(route.handshake.remoteId());
            if (peer == null) {
                return;
            }
            urls = peer.connectUrls;
            peer.connectUrls = List.of();
        }
        connectUrls.remove(urls);
    }

    /** Go's updateRemoteRoutePerms: interest the peer may now take that it could not before is sent to it. */
    void peerPermissionsChanged(Route route, RoutePermissions before, RoutePermissions now) {
        interest.replay((account, subject, queue, weight) -> {
            if (route.carries(account) && now.canExport(subject) && !before.canExport(subject)) {
                route.sendInterest(account, subject, queue, weight);
            }
        });
    }

    // ---- what routes need ------------------------------------------------------------------------------------

    /**
     * The INFO a route connection starts with (Go's generateRouteInitialInfoJSON): with a nonce, the account of
     * a pinned route, the compression mode and the pool slot.
     */
    byte[] routeInfoLine(String account, String compression, int poolIdx) {
        return routeInfoLine(true, false, account, compression, poolIdx);
    }

    /** A later INFO (lame duck, reload): no nonce, account, compression or pool slot, as Go clears them. */
    byte[] routeInfoLine() {
        return routeInfoLine(false, false, "", "", 0);
    }

    private byte[] routeInfoLine(boolean withNonce, boolean ldm) {
        return routeInfoLine(withNonce, ldm, "", "", 0);
    }

    private byte[] routeInfoLine(boolean withNonce, boolean ldm, String account, String compression, int poolIdx) {
        return infoWriter.line(withNonce, ldm, account, compression, poolIdx);
    }

    /** An INFO line with these fields (another link type's gossip over the routes). */
    private static byte[] infoLine(Map<String, Object> fields) {
        return RouteInfoWriter.infoLine(fields);
    }

    /** The route port bound (the chosen one with port -1). */
    public int port() {
        BoundListener l = listener;
        return l == null ? config.port() : l.port();
    }

    private static String generatedName() {
        SecureRandom random = new SecureRandom();
        char[] id = new char[22];
        for (int i = 0; i < id.length; i++) {
            id[i] = BASE62[random.nextInt(BASE62.length)];
        }
        return new String(id);
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
        solicitor.connect(url, true, true, "");
    }

    /** Dials a pooled route ({@code account} empty) or an account's own route (a reload re-pooling). */
    void solicitRoute(RouteUrl url, boolean explicit, String account) {
        solicitor.connect(url, explicit, true, account);
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
        Peer p = peers.get(serverId);
        return p != null && !p.poolEmpty();
    }

    /** Registered routes, for monitoring. */
    public List<Route> registeredRoutes() {
        return new ArrayList<>(routes.values());
    }

    /** The registered routes, live (no copy), for relaying interest. */
    java.util.Collection<Route> routeList() {
        return routes.values();
    }

    private List<Route> allRoutes() {
        List<Route> all = new ArrayList<>(routes.values());
        all.addAll(pending);
        return all;
    }
}
