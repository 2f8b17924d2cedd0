package nats.gateway.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import nats.api.ServerContext;
import nats.api.ServerIdentity;
import nats.api.ServerSettings;
import nats.api.accounts.AccountListener;
import nats.api.accounts.PluginAccount;
import nats.api.links.InterestWatch;
import nats.api.links.Links;
import nats.api.messaging.MessageOrigin;
import nats.api.net.BoundListener;
import nats.api.net.Connection;
import nats.api.net.ConnectionReader;
import nats.api.net.ListenerSpec;
import nats.api.net.TlsPolicy;
import nats.transport.protocol.InterestLine;
import nats.transport.tls.ServerTls;
import nats.transport.tls.TlsOptions;
import nats.transport.tls.TlsSetupException;

/**
 * This server's gateways (Go's srvGateway): the listener, one outbound connection per remote cluster and the
 * inbound ones from each remote server, the remotes known (configured or implicit), this cluster's gateway URLs
 * (gossiped over routes), the cluster's interest that inbound connections announce, and the reply routing.
 */
public final class Gateways {

    /** Go's gateway INFO commands. */
    static final int CMD_GOSSIP = 1;
    static final int CMD_ALL_SUBS_START = 2;
    static final int CMD_ALL_SUBS_COMPLETE = 3;
    /** Go 2.9 switches every account to interest-only at once (gateway_iom); tests may ask for the old way. */
    static final boolean FORCE_INTEREST_ONLY = !Boolean.getBoolean("nats.gateway.optimistic");
    /** Go's gatewaySolicitDelay: the cluster gets a second to form before gateways are dialled. */
    private static final long SOLICIT_DELAY_MILLIS = Long.getLong("nats.gateway.solicitDelayMillis", 1000);

    private final ServerContext context;
    private final System.Logger log;
    private volatile GatewayConfig config;
    private volatile Optional<TlsPolicy> tls;
    private final ScheduledExecutorService timers;
    private final AtomicLong nextCid = new AtomicLong();
    private final Map<String, RemoteGateway> remotes = new ConcurrentHashMap<>();
    private final Map<String, GatewayConnection> outbound = new ConcurrentHashMap<>();
    private final Map<Long, GatewayConnection> inbound = new ConcurrentHashMap<>();
    private final Set<GatewayConnection> pending = ConcurrentHashMap.newKeySet();
    /** This cluster's gateway URLs, counted (Go's refCountedUrlSet): this server's and the routes'. */
    private final Map<String, Integer> clusterUrls = new LinkedHashMap<>();
    private final List<String> ownConfiguredUrls;
    private final ClusterInterest interest;
    private final ReplyPrefix replyPrefix;
    private final Dialer dialer;
    private final GatewayGossip gossip;
    private final GatewayInfo protocol;
    private volatile ReplyRouter replies;
    private volatile InterestWatch interestWatch;
    private volatile AccountListener.Registration accountWatch;
    private volatile BoundListener listener;
    private volatile String url = "";
    private volatile boolean running;

    public Gateways(ServerContext context, GatewayConfig config) throws TlsSetupException {
        this.context = context;
        this.log = context.logger();
        this.config = config;
        this.tls = config.tls().isPresent() ? Optional.of(ServerTls.create(config.tls().get()).policy())
                : Optional.empty();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nats-gateway-timers");
            t.setDaemon(true);
            return t;
        });
        this.interest = new ClusterInterest(this::clusterInterestChanged);
        this.replyPrefix = new ReplyPrefix(config.name(), context.identity().serverId());
        this.dialer = new Dialer(this);
        this.gossip = new GatewayGossip(this);
        this.protocol = new GatewayInfo(context, config, FORCE_INTEREST_ONLY);
        List<String> own = List.of();
        for (RemoteGatewayConfig r : config.gateways()) {
            if (r.name().equals(config.name())) {
                own = r.urls().stream().map(GatewayUrl::hostPort).toList();
                continue;
            }
            remotes.put(r.name(), new RemoteGateway(r.name(), r.urls(), policy(config.tlsFor(r)), false));
        }
        this.ownConfiguredUrls = own;
    }

    /** Opens the listener, starts following the cluster's interest, and dials the configured remotes a second later. */
    public void start() throws IOException {
        running = true;
        log.log(System.Logger.Level.INFO, "Gateway name is {0}", config.name());
        InterestWatch watch = context.links().watchInterest(interest, Set.of(MessageOrigin.ROUTE, MessageOrigin.LEAF));
        watch.replay(interest);
        interestWatch = watch;
        listener = context.listeners().open(new ListenerSpec("gateway", config.host(), config.port(), tls,
                "Listening for gateways connections on"), this::accepted);
        url = protocol.advertisedUrl(port());
        synchronized (clusterUrls) {
            clusterUrls.merge(url, 1, Integer::sum);
        }
        log.log(System.Logger.Level.INFO, config.advertise().isEmpty() ? "Address for gateway \"{0}\" is {1}"
                : "Advertise address for gateway \"{0}\" is set to {1}", config.name(), url);
        replies = new ReplyRouter(this);
        accountWatch = context.accounts().listen(new AccountListener() {
            @Override
            public void added(PluginAccount account) {
                accountAdded(account.name());
            }
        });
        context.links().addRouteGossip(gossip);
        new GatewayMonitoring(this).register(context.monitoring());
        timers.scheduleAtFixedRate(() -> {
            long deadline = context.settings().writeDeadline().toNanos();
            allConnections().forEach(c -> c.channel.writeDeadlineTick(deadline));
            interest.pruneRecent();
        }, 1, 1, TimeUnit.SECONDS);
        timers.schedule(() -> remotes.values().stream().filter(r -> !r.implicit)
                .forEach(r -> dialer.solicit(r, true)), SOLICIT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        running = false;
        BoundListener l = listener;
        if (l != null) {
            l.close();
        }
        for (GatewayConnection c : allConnections()) {
            c.close("Server Shutdown");
        }
        AccountListener.Registration a = accountWatch;
        if (a != null) {
            a.close();
        }
        InterestWatch w = interestWatch;
        if (w != null) {
            w.close();
        }
        ReplyRouter r = replies;
        if (r != null) {
            r.close();
        }
        timers.shutdownNow();
    }

    /**
     * A reload that changed only TLS (Go's updateRemotesTLSConfig; every other change is refused before): new
     * connections use the new certificates both ways, the listener is opened again on its port with them.
     */
    public void reloadTls(GatewayConfig fresh) throws TlsSetupException {
        Optional<TlsPolicy> policy = fresh.tls().isPresent() ? Optional.of(ServerTls.create(fresh.tls().get()).policy())
                : Optional.empty();
        for (RemoteGatewayConfig r : fresh.gateways()) {
            RemoteGateway live = remotes.get(r.name());
            if (live != null) {
                live.tls(policy(fresh.tlsFor(r)));
            }
        }
        for (RemoteGateway live : remotes.values()) {
            if (live.implicit) {
                live.tls(policy);
            }
        }
        config = fresh;
        tls = policy;
        BoundListener old = listener;
        if (old == null || !running) {
            return;
        }
        int bound = old.port();
        old.close();
        try {
            listener = context.listeners().open(new ListenerSpec("gateway", fresh.host(), bound, policy,
                    "Listening for gateways connections on"), this::accepted);
        } catch (IOException e) {
            log.log(System.Logger.Level.ERROR, "Error listening on gateway port: {0} - {1}", bound, e.getMessage());
        }
    }

    // ---- connections ---------------------------------------------------------------------------------------

    private ConnectionReader accepted(Connection connection) {
        if (!running) {
            connection.close();
            return ConnectionReader.HANDED_OVER;
        }
        GatewayConnection c = new GatewayConnection(this, nextCid.incrementAndGet(), connection, null, null);
        pending.add(c);
        log.log(System.Logger.Level.INFO, "{0} - gid:{1} - Processing inbound gateway connection",
                c.remoteAddress(), c.cid);
        c.start();
        return c.channel.reader();
    }

    /** A connection this server dialled to {@code remote}: becomes an outbound gateway with its own reader. */
    void solicited(Connection connection, RemoteGateway remote, GatewayUrl dialled) {
        GatewayConnection c = new GatewayConnection(this, nextCid.incrementAndGet(), connection, remote, dialled);
        pending.add(c);
        if (!running) {
            c.close("Server Shutdown");
            return;
        }
        log.log(System.Logger.Level.INFO, "{0} - gid:{1} - Creating outbound gateway connection to \"{2}\"",
                c.remoteAddress(), c.cid, remote.name);
        c.start();
        Thread.ofPlatform().daemon().name("nats-gateway-in-" + c.cid).start(c.channel::readLoop);
    }

    /** Go's registerOutboundGatewayConnection: one outbound connection per remote. */
    boolean registerOutbound(GatewayConnection c) {
        synchronized (this) {
            if (!running || outbound.containsKey(c.remote.name)) {
                return false;
            }
            outbound.put(c.remote.name, c);
            pending.remove(c);
        }
        return true;
    }

    /** An outbound connection is up: every account here may send to it (as its remote's mode allows). */
    void outboundRegistered(GatewayConnection c) {
        log.log(System.Logger.Level.INFO, "{0} - gid:{1} - Outbound gateway connection to \"{2}\" ({3}) registered",
                c.remoteAddress(), c.cid, c.remote.name, c.remoteId());
        for (PluginAccount account : context.accounts().all()) {
            c.outboundInterest().accountKnown(account.name());
        }
    }

    /**
     * Go's processGatewayInfo for an inbound connection's first INFO: register it, send this cluster's queue
     * interest, dial the remote back if not connected yet, tell it the other remotes, and switch every
     * account to interest-only mode (Go 2.9).
     */
    void inboundRegistered(GatewayConnection c, Map<String, Object> info) {
        InboundInterest ii = new InboundInterest(new InboundInterest.Sender() {
            @Override
            public void line(byte[] line) {
                c.sendLine(line);
            }

            @Override
            public void command(int command, String account) {
                c.sendLine(protocol.commandInfo(command, account));
            }
        }, interest);
        interest.locked(() -> {
            c.inboundInterest(ii);
            inbound.put(c.cid, c);
            pending.remove(c);
            interest.queueEntries().forEach((account, entries) -> entries.forEach(e ->
                    c.sendLine(InterestLine.encode("RS", account, e.subject(), e.queue(), 1))));
        });
        log.log(System.Logger.Level.INFO, "{0} - gid:{1} - Inbound gateway connection from \"{2}\" ({3}) registered",
                c.remoteAddress(), c.cid, c.remoteName(), c.remoteId());
        implicitGateway(info);
        gossipRemotesTo(c);
        if (FORCE_INTEREST_ONLY) {
            for (PluginAccount account : context.accounts().all()) {
                interest.locked(() -> ii.switchToInterestOnly(account.name()));
            }
        }
    }

    private void accountAdded(String account) {
        ReplyRouter r = replies;
        if (r != null) {
            r.accountAdded(account);
        }
        for (GatewayConnection c : outbound.values()) {
            OutboundInterest oi = c.outboundInterest();
            if (oi != null) {
                oi.accountKnown(account);
            }
        }
        if (FORCE_INTEREST_ONLY) {
            for (GatewayConnection c : inbound.values()) {
                interest.locked(() -> c.inboundInterest().switchToInterestOnly(account));
            }
        }
    }

    /** The cluster's interest changed: every inbound connection announces it as its account's mode says. */
    private void clusterInterestChanged(String account, ClusterInterest.Entry entry, boolean added) {
        for (GatewayConnection c : inbound.values()) {
            InboundInterest ii = c.inboundInterest();
            if (ii != null && !c.isClosed()) {
                ii.interestChanged(account, entry, added);
            }
        }
    }

    /** A message from {@code c} found no plain subscriber in this cluster. */
    void noInterest(GatewayConnection c, String account, String subject) {
        InboundInterest ii = c.inboundInterest();
        if (ii != null) {
            interest.locked(() -> ii.noInterest(account, subject));
        }
    }

    void closed(GatewayConnection c, String reason) {
        boolean registered;
        synchronized (this) {
            pending.remove(c);
            registered = c.outbound ? outbound.remove(c.remote.name, c) : inbound.remove(c.cid, c);
        }
        log.log(System.Logger.Level.INFO, "{0} - gid:{1} - Gateway connection closed: {2}", c.remoteAddress(), c.cid,
                reason);
        if (c.outbound && running && (registered || !"Wrong Gateway".equals(reason))) {
            // Go's reconnectGateway: a random pause under 100 ms, plus a second for a configured remote.
            long delay = ThreadLocalRandom.current().nextLong(100) + (c.remote.implicit ? 0 : 1000);
            timers.schedule(() -> {
                if (running && remotes.get(c.remote.name) == c.remote && !outbound.containsKey(c.remote.name)) {
                    dialer.solicit(c.remote, false);
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    // ---- implicit gateways and gossip ------------------------------------------------------------------------

    /** Go's processImplicitGateway: a remote learned from an INFO is dialled unless known already. */
    void implicitGateway(Map<String, Object> info) {
        String name = info.get("gateway") instanceof String s ? s : "";
        if (name.isEmpty() || name.equals(config.name()) || !running) {
            return;
        }
        List<String> urls = GatewayConnection.strings(info.get("gateway_urls"));
        RemoteGateway created;
        synchronized (this) {
            RemoteGateway known = remotes.get(name);
            if (known != null) {
                known.addUrls(urls);
                return;
            }
            if (config.rejectUnknown()) {
                return;
            }
            created = new RemoteGateway(name, List.of(), policy(config.tls()), true);
            created.addUrls(urls);
            if (created.hostPorts().isEmpty()) {
                return;
            }
            remotes.put(name, created);
        }
        dialer.solicit(created, true);
    }

    /** An implicit remote could not be reached: forgotten, unless it connected to us meanwhile. */
    synchronized boolean forgetImplicit(RemoteGateway remote) {
        for (GatewayConnection c : inbound.values()) {
            if (c.remoteName().equals(remote.name)) {
                return false;
            }
        }
        remotes.remove(remote.name, remote);
        return true;
    }

    /** Go's gossipGatewaysToInboundGateway: the remotes this server knows, for a full mesh of clusters. */
    private void gossipRemotesTo(GatewayConnection c) {
        for (RemoteGateway r : remotes.values()) {
            if (r.name.equals(c.remoteName())) {
                continue;
            }
            List<String> urls = r.hostPorts();
            if (!urls.isEmpty()) {
                c.sendLine(protocol.gossipInfo(r.name, urls));
            }
        }
    }

    /** Go's forwardNewGatewayToLocalCluster: the servers of this cluster learn the remote and dial it too. */
    void forwardToCluster(Map<String, Object> info) {
        String name = info.get("gateway") instanceof String s ? s : "";
        gossip.broadcast(gossipFields(name, GatewayConnection.strings(info.get("gateway_urls"))));
    }

    /** The INFO fields of a gateway gossip sent over routes. */
    Map<String, Object> gossipFields(String gateway, List<String> urls) {
        return protocol.gossipFields(gateway, urls);
    }

    /** This server's gateway INFO. */
    byte[] infoLine() {
        return protocol.infoLine(url, clusterUrls());
    }

    /** Outbound remotes with a connection, for a new route (Go's sendGatewayConfigsToRoute). */
    List<RemoteGateway> connectedRemotes() {
        List<RemoteGateway> list = new ArrayList<>();
        for (GatewayConnection c : outbound.values()) {
            list.add(c.remote);
        }
        return list;
    }

    /** A route announced its server's gateway URL (or withdrew it): inbound connections get the new INFO. */
    void clusterUrl(String hostPort, boolean added) {
        boolean changed;
        synchronized (clusterUrls) {
            if (added) {
                changed = clusterUrls.merge(hostPort, 1, Integer::sum) == 1;
            } else {
                Integer n = clusterUrls.get(hostPort);
                changed = n != null && n == 1;
                if (n != null) {
                    if (n <= 1) {
                        clusterUrls.remove(hostPort);
                    } else {
                        clusterUrls.put(hostPort, n - 1);
                    }
                }
            }
        }
        if (changed) {
            byte[] info = infoLine();
            inbound.values().forEach(c -> c.sendLine(info));
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private Optional<TlsPolicy> policy(Optional<TlsOptions> options) {
        if (options.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ServerTls.create(options.get()).policy());
        } catch (TlsSetupException e) {
            throw new IllegalStateException("gateway TLS configuration error: " + e.getMessage(), e);
        }
    }

    private List<GatewayConnection> allConnections() {
        List<GatewayConnection> all = new ArrayList<>(outbound.values());
        all.addAll(inbound.values());
        all.addAll(pending);
        return all;
    }

    // ---- what the parts need -----------------------------------------------------------------------------------

    /** The gateway port bound (the chosen one with port -1). */
    public int port() {
        BoundListener l = listener;
        return l == null ? config.port() : l.port();
    }

    public GatewayConfig config() {
        return config;
    }

    String url() {
        return url;
    }

    List<String> clusterUrls() {
        synchronized (clusterUrls) {
            return new ArrayList<>(clusterUrls.keySet());
        }
    }

    List<String> ownConfiguredUrls() {
        return ownConfiguredUrls;
    }

    boolean isConfigured(String name) {
        RemoteGateway r = remotes.get(name);
        return r != null && !r.implicit;
    }

    Map<String, RemoteGateway> remotes() {
        return remotes;
    }

    public List<GatewayConnection> outboundConnections() {
        return new ArrayList<>(outbound.values());
    }

    public List<GatewayConnection> inboundConnections() {
        return new ArrayList<>(inbound.values());
    }

    /** The outbound connection to the cluster whose gateway name hashes to the bytes at {@code off} of a routed reply. */
    GatewayConnection outboundFor(byte[] routedReply, int off) {
        for (GatewayConnection c : outbound.values()) {
            if (ReplyPrefix.hashAt(routedReply, off, c.remote.hashBytes)) {
                return c;
            }
        }
        return null;
    }

    ClusterInterest interest() {
        return interest;
    }

    ReplyPrefix replyPrefix() {
        return replyPrefix;
    }

    ServerIdentity identity() {
        return context.identity();
    }

    ServerSettings settings() {
        return context.settings();
    }

    ServerContext context() {
        return context;
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
}
