package nats.server.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import nats.api.ServerIdentity;
import nats.server.options.ServerOptions;
import nats.server.options.AuthSettings;
import nats.server.options.Permissions;
import nats.server.options.User;
import nats.server.internal.account.Account;
import nats.server.internal.account.AccountResolver;
import nats.server.internal.account.Accounts;
import nats.server.internal.account.OperatorTrust;
import nats.server.internal.client.Authenticated;
import nats.server.internal.client.Client;
import nats.server.internal.client.ClientConnection;
import nats.server.internal.client.ClientProfile;
import nats.server.internal.client.ConnectionSnapshot;
import nats.server.internal.client.ClosedConnections;
import nats.server.internal.client.ClientHost;
import nats.server.internal.trace.MessageTracer;
import nats.server.internal.client.ConnectOptions;
import nats.transport.json.JsonWriter;
import nats.server.internal.listen.Acceptor;
import nats.server.internal.routing.Sublist;
import nats.server.internal.tls.ClientTls;

/**
 * The client-facing core: the listener, the registry of connections, the global account's routing table
 * and the timers that keep connections honest (auth timeout, PING/stale detection).
 */
public final class ServerCore implements ClientHost {

    private final MessageTracer tracer;

    private static final System.Logger LOG = System.getLogger(ServerCore.class.getName());
    /** The Go server release whose client-visible behaviour this server implements (see DESIGN 3a). */
    public static final String PROTOCOL_VERSION = "2.9.10";
    /** The Go server sends the first PING soon after CONNECT to measure RTT. */
    private static final long FIRST_PING_MILLIS = 2000;

    private volatile ServerOptions options;
    private volatile ServerAuthenticator authenticator;
    private final ServerIdentity identity;
    private final Accounts accounts;
    /** The client port's TLS; replaced on reload (new certificates apply to new connections). */
    private volatile Optional<ClientTls> tls;
    private final Map<Long, Client> clients = new ConcurrentHashMap<>();
    private final Map<Long, ScheduledFuture<?>> pingTimers = new ConcurrentHashMap<>();
    /** Clients that authenticated (counted in their account, reported on disconnect). */
    private final Map<Long, Client> joined = new ConcurrentHashMap<>();
    private final AtomicLong nextClientId = new AtomicLong();
    /** Numbers the server's system-account messages ({@code "seq"} in their server info), as Go's do. */
    private final AtomicLong systemSequence = new AtomicLong();
    private final ClosedConnections closed = new ClosedConnections(ClosedConnections.DEFAULT_CAPACITY);
    private final java.util.concurrent.atomic.LongAdder inMsgs = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder inBytes = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder outMsgs = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder outBytes = new java.util.concurrent.atomic.LongAdder();
    private final AtomicLong totalConnections = new AtomicLong();
    private final AtomicLong slowConsumers = new AtomicLong();
    private final ScheduledExecutorService timers;
    private final long startedAtMillis = System.currentTimeMillis();
    /** When the client port began accepting (the end of start-up), epoch milliseconds; 0 before. */
    private volatile long acceptingSinceMillis;
    /** When the configuration in force was loaded: the start, then each reload (Go's config_load_time). */
    private volatile long configLoadedAtMillis = startedAtMillis;
    private volatile Acceptor listener;
    private volatile boolean lameDuck;
    private volatile ClientLifecycle lifecycle = ClientLifecycle.NONE;
    private volatile int boundPort = -1;
    private volatile java.util.function.Supplier<long[]> linkTraffic = () -> new long[4];
    /** When a plugin last changed a field of the INFO (System.nanoTime); 0 never. */
    private volatile long infoChangedNanos;
    /** INFO fields plugins add (e.g. {@code jetstream}), in the order they were added. */
    private final Map<String, java.util.function.Supplier<Object>> infoFields =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

    /** A core without TLS on the client port. */
    public ServerCore(ServerOptions options) {
        this(options, Optional.empty());
    }

    /** A core whose client port uses {@code tls} (built from {@code options} when they configure TLS). */
    public ServerCore(ServerOptions options, Optional<ClientTls> tls) {
        this.options = options;
        this.tls = tls;
        String id = StartupWork.serverId();
        this.identity = new ServerIdentity(id, options.serverName().isEmpty() ? id : options.serverName(),
                PROTOCOL_VERSION);
        this.accounts = Accounts.of(options);
        this.authenticator = new ServerAuthenticator(accounts, AuthSettings.of(options), options.operator().enabled());
        if (options.operator().enabled()) {
            accounts.operatorMode(new OperatorTrust(options.operator()), AccountResolver.of(options.operator()),
                    options.systemAccount());
            ClaimsUpdates.subscribe(accounts, identity, options.host(), this::nextSystemSequence,
                    this::accountsChanged, this::accountDeleted);
        }
        if (accounts.system() != null) {
            // Go's system client and each account's internal client take the first client ids, so a Go
            // server's first client is cid 2 + the number of accounts; numbering the same keeps /connz alike.
            nextClientId.set(1 + accounts.all().size());
        }
        this.tracer = new MessageTracer(this::serverInfo, this::publishTraceEvent, this::accountTrace,
                name -> accounts.get(name) != null);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nats-timers");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public MessageTracer tracer() {
        return tracer;
    }

    /** Go's ServerInfo, as system events and trace events carry it: who sends, the next sequence number, when. */
    public Map<String, Object> serverInfo() {
        Map<String, Object> info = new java.util.LinkedHashMap<>();
        info.put("name", identity.serverName());
        info.put("host", options.host());
        info.put("id", identity.serverId());
        String cluster = clusterName();
        if (!cluster.isEmpty()) {
            info.put("cluster", cluster);
        }
        info.put("ver", identity.serverVersion());
        info.put("seq", nextSystemSequence());
        info.put("jetstream", jetStreamEnabled());
        info.put("time", java.time.Instant.now());
        return info;
    }

    private boolean publishTraceEvent(String account, String subject, byte[] headers, byte[] payload) {
        Account target = accounts.get(account);
        if (target == null) {
            return false;
        }
        nats.server.internal.account.InternalPublisher.publish(target, subject, "", headers, payload);
        return true;
    }

    /** An account's msg_trace settings, or null when it has no trace destination. */
    private MessageTracer.AccountTrace accountTrace(String account) {
        nats.server.options.AccountConfig config = accounts.config(account);
        if (config == null || config.trace().dest().isEmpty()) {
            return null;
        }
        return new MessageTracer.AccountTrace(config.trace().dest(), config.trace().sampling());
    }

    /** Who hears about clients connecting and leaving (the system account's events). */
    public void lifecycle(ClientLifecycle listener) {
        this.lifecycle = listener;
    }

    /** Leaf connections bound to an account here, by account name (the links' count, Go's nleafs). */
    private volatile java.util.function.ToIntFunction<String> leafCounts = account -> 0;

    public void leafCounts(java.util.function.ToIntFunction<String> counts) {
        this.leafCounts = counts;
    }

    /** Leaf connections bound to {@code account} on this server. */
    public int leafCount(nats.server.internal.account.Account account) {
        return leafCounts.applyAsInt(account.name());
    }

    /** A leaf connection bound to {@code account} came or went: the system account's events say so. */
    public void leafConnectionsChanged(nats.server.internal.account.Account account) {
        lifecycle.leafConnectionsChanged(account);
    }

    public ServerIdentity identity() {
        return identity;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    /** The client port's TLS in force (replaced by a reload); empty without TLS. */
    public Optional<ClientTls> clientTls() {
        return tls;
    }

    /** When the client port began accepting clients, epoch milliseconds; 0 before {@link #start()}. */
    public long acceptingSinceMillis() {
        return acceptingSinceMillis;
    }

    /** The next number for a message the server publishes in its system account. */
    public long nextSystemSequence() {
        return systemSequence.incrementAndGet();
    }

    public long configLoadedAtMillis() {
        return configLoadedAtMillis;
    }

    /**
     * Binds the client port without accepting yet: a client that connects now waits in the backlog and gets
     * INFO once {@link #start()} runs, so it never sees a half-started server, but it need not retry its
     * connect while the rest of the server starts (test harnesses give a new server little time).
     */
    public void bind() throws IOException {
        if (listener != null) {
            return;
        }
        bind(Acceptor.bind(options.host(), listenPort(options), "client"));
    }

    /** Takes a client port bound before the core existed (see {@link #bind()}); once, instead of binding. */
    public void bind(Acceptor bound) {
        if (listener != null) {
            throw new IllegalStateException("the client port is already bound");
        }
        listener = bound;
        boundPort = bound.port();
    }

    /** The port to bind for the client port: 0 (a free one) for -1 (RANDOM_PORT). */
    public static int listenPort(ServerOptions options) {
        return options.port() == ServerOptions.RANDOM_PORT ? 0 : options.port();
    }

    /** Binds the client port if {@link #bind()} did not, and accepts clients from now on. */
    public void start() throws IOException {
        bind();
        listener.accept(this::accepted);
        acceptingSinceMillis = System.currentTimeMillis();
        long deadlineNanos = options.writeDeadline().toNanos();
        long checkEvery = Math.max(50, Math.min(1000, options.writeDeadline().toMillis() / 4));
        timers.scheduleAtFixedRate(() -> clients.values().forEach(c -> {
            if (c instanceof ClientConnection connection) {
                connection.writeDeadlineTick(deadlineNanos);
            }
        }), checkEvery, checkEvery, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(accounts::expireResponses, 1, 1, TimeUnit.SECONDS);
        LOG.log(System.Logger.Level.INFO, "Listening for client connections on {0}:{1}", options.host(),
                String.valueOf(boundPort));
        if (tls.isPresent()) {
            LOG.log(System.Logger.Level.INFO, "TLS required for client connections");
        }
    }

    /** The client port bound; -1 before {@link #start()}. */
    public int port() {
        return boundPort;
    }

    private void accepted(SocketChannel channel) {
        ClientConnection client = new ClientConnection(this, channel, nextClientId(), tls);
        Thread.ofVirtual().name("nats-client-" + client.id()).start(() -> serve(client));
    }

    /** The next client id (cid), shared by every kind of client. */
    public long nextClientId() {
        return nextClientId.incrementAndGet();
    }

    /**
     * Serves the NATS client protocol over a plugin's byte stream (WebSocket) on the calling thread, which
     * becomes the client's reader, until the connection ends.
     */
    public void serve(nats.api.net.Connection connection, ClientProfile profile) {
        serve(new ClientConnection(this, connection, nextClientId(), Optional.empty(), profile));
    }

    private void serve(ClientConnection client) {
        if (lameDuck || clients.size() >= options.maxConnections()) {
            // As in Go: the client gets INFO, then the error, then the connection closes.
            client.reject("maximum connections exceeded", "Maximum Connections Exceeded");
            return;
        }
        register(client);
        // As in Go, the auth timer starts after the TLS handshake.
        if (!client.greet()) {
            return;
        }
        if (authRequired(client.profile())) {
            long timeout = client.profile().authTimeout().orElse(options.authTimeout()).toMillis();
            timers.schedule(client::authTimeoutTick, timeout, TimeUnit.MILLISECONDS);
        }
        client.readLoop();
    }

    /** Counts a new client in (before it authenticates, as Go lists it in /connz from the start). */
    public void register(Client client) {
        clients.put(client.id(), client);
        totalConnections.incrementAndGet();
        lifecycle.accepted(client);
    }

    /** Whether the server takes another client now (not in lame-duck mode, below max_connections). */
    public boolean acceptsClients() {
        return !lameDuck && clients.size() < options.maxConnections();
    }

    @Override
    public ServerOptions options() {
        return options;
    }

    @Override
    public Account globalAccount() {
        return accounts.global();
    }

    /** The global account's routing table (what plugins and monitoring without accounts see). */
    public Sublist sublist() {
        return accounts.global().sublist();
    }

    public Accounts accounts() {
        return accounts;
    }

    /**
     * The cluster this server is in: the INFO's {@code cluster} field, which the cluster plugin provides (Go's
     * ServerInfo takes it from the INFO too); empty without one.
     */
    public String clusterName() {
        java.util.function.Supplier<Object> field = infoFields.get("cluster");
        Object name = field == null ? null : field.get();
        return name instanceof String s ? s : "";
    }

    /** Whether a plugin announces JetStream in INFO (Go's ServerInfo {@code jetstream} in system events). */
    public boolean jetStreamEnabled() {
        java.util.function.Supplier<Object> js = infoFields.get("jetstream");
        return js != null && Boolean.TRUE.equals(js.get());
    }

    /** Adds an INFO field a plugin provides (e.g. {@code jetstream}). */
    public void infoField(String name, java.util.function.Supplier<Object> value) {
        infoFields.put(name, value);
    }

    /**
     * Sends the current INFO to every client that accepts asynchronous INFO (Go's sendAsyncInfoToClients), after
     * a plugin's INFO field changed (the cluster's {@code connect_urls}).
     */
    public void announceInfo() {
        infoChangedNanos = System.nanoTime();
        for (Client c : clients.values()) {
            if (c instanceof ClientConnection connection && connection.isConnected() && !c.isClosed()) {
                c.asyncInfo(infoLine(connection));
            }
        }
    }

    @Override
    public boolean infoChangedSince(long nanos) {
        long changed = infoChangedNanos;
        return changed != 0 && changed - nanos >= 0;
    }

    /** What links to other servers received and sent (in msgs, in bytes, out msgs, out bytes), for the totals. */
    public void linkTraffic(java.util.function.Supplier<long[]> traffic) {
        this.linkTraffic = traffic;
    }

    @Override
    public byte[] infoLine(ClientConnection connection) {
        Map<String, Object> overrides = connection.profile().infoOverrides();
        if (overrides.isEmpty() && infoFields.isEmpty()) {
            return infoLine(connection, Map.of());
        }
        Map<String, Object> extra = new java.util.LinkedHashMap<>();
        synchronized (infoFields) {
            infoFields.forEach((name, value) -> extra.put(name, value.get()));
        }
        extra.putAll(overrides);
        return infoLine(connection, extra);
    }

    /** INFO in Go's field order; {@code extra} replaces fields (a null value removes one) or adds them at the end. */
    private byte[] infoLine(ClientConnection connection, Map<String, Object> extra) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("server_id", identity.serverId());
        fields.put("server_name", identity.serverName());
        fields.put("version", identity.serverVersion());
        fields.put("proto", 1);
        fields.put("go", RuntimeVersion.TEXT);
        fields.put("host", options.host());
        fields.put("port", boundPort);
        fields.put("headers", true);
        if (authRequired(connection.profile())) {
            fields.put("auth_required", true);
        }
        // Placeholders keep Go's field order for a listener that sets its own TLS fields (a WebSocket's); those
        // still null at the end are dropped.
        fields.put("tls_required", null);
        fields.put("tls_verify", null);
        fields.put("tls_available", null);
        Optional<ClientTls> current = connection.profile() == ClientProfile.NATS ? tls : Optional.empty();
        current.ifPresent(t -> tlsInfoFields(fields, t));
        fields.put("max_payload", options.maxPayload());
        fields.put("client_id", connection.id());
        fields.put("client_ip", connection.remoteIp());
        if (connection.nonce() != null) {
            fields.put("nonce", connection.nonce());
        }
        fields.putAll(extra);
        fields.values().removeIf(java.util.Objects::isNull);
        // Go's Info has ldm after the cluster fields (cluster, connect_urls) plugins add.
        if (lameDuck) {
            fields.put("ldm", true);
        }
        JsonWriter json = new JsonWriter().beginObject();
        fields.forEach((name, value) -> json.name(name).value(value));
        json.endObject();
        return ("INFO " + json + " \r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Go's Info: tls_required unless allow_non_tls, then tls_available instead; tls_verify when verifying. */
    private void tlsInfoFields(Map<String, Object> fields, ClientTls t) {
        if (!options.allowNonTls()) {
            fields.put("tls_required", true);
        }
        if (t.options().verify()) {
            fields.put("tls_verify", true);
        }
        if (options.allowNonTls()) {
            fields.put("tls_available", true);
        }
    }

    @Override
    public boolean authRequired(ClientProfile profile) {
        return profile.auth().map(a -> a.required()).orElse(authenticator.required());
    }

    @Override
    public Optional<Authenticated> authenticate(ClientProfile profile, ConnectOptions connect, String nonce,
                                                String clientIp) {
        // One configuration for the whole check, even during a reload.
        nats.server.internal.client.Authenticator auth = profile.auth().orElse(authenticator);
        return auth.authenticate(connect, nonce, clientIp, profile.type());
    }

    /** The credentials of a listener block (websocket, mqtt) checked the way the server's are. */
    public nats.server.internal.client.Authenticator authenticatorFor(AuthSettings settings) {
        return new ServerAuthenticator(accounts, settings, options.operator().enabled());
    }

    @Override
    public Optional<Authenticated> authenticateAs(User user) {
        return authenticator.grant(user);
    }

    @Override
    public String serverName() {
        return identity.serverName();
    }

    @Override
    public boolean nonceRequired() {
        return authenticator.nonceRequired();
    }

    @Override
    public void authenticated(Client client) {
        if (joined.putIfAbsent(client.id(), client) != null) {
            return;
        }
        client.account().clientJoined();
        long expiresAt = client.credentialsExpireAt();
        if (expiresAt > 0) {
            long delay = Math.max(0, expiresAt * 1000 - System.currentTimeMillis());
            timers.schedule(client::credentialsExpired, delay, TimeUnit.MILLISECONDS);
        }
        watchAccountExpiry(client);
        if (client instanceof ClientConnection connection) {
            long interval = options.pingInterval().toMillis();
            long intervalNanos = TimeUnit.MILLISECONDS.toNanos(interval);
            long first = Math.min(interval, FIRST_PING_MILLIS);
            timers.schedule(() -> connection.pingTick(true, intervalNanos), first, TimeUnit.MILLISECONDS);
            pingTimers.put(client.id(), timers.scheduleAtFixedRate(() -> connection.pingTick(false, intervalNanos),
                    first + interval, interval, TimeUnit.MILLISECONDS));
        }
        if (client.isClosed()) {
            removed(client);
        }
    }

    /**
     * Closes {@code connection} when its account's JWT expires, as Go does; an account renewed in the
     * meantime (a pushed JWT with a later expiry) moves the check to the new time.
     */
    private void watchAccountExpiry(Client connection) {
        Account account = connection.account();
        long expires = account.jwt() == null ? 0 : account.jwt().claims().data().expires();
        if (expires <= 0 || connection.isClosed()) {
            return;
        }
        long delay = expires * 1000 - System.currentTimeMillis();
        if (delay <= 0) {
            // As Go: a client that joins an account whose JWT has run out is told so at once.
            connection.accountExpired();
            return;
        }
        timers.schedule(() -> {
            Account.JwtState now = account.jwt();
            if (now != null && now.claims().data().expires() > expires) {
                watchAccountExpiry(connection);
            } else if (now != null && now.claims().data().expires() > 0) {
                connection.accountExpired();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void removed(Client client) {
        if (clients.remove(client.id(), client)) {
            closed.closed(client, accounts.global().name());
            client.account().addClosedTraffic(client.inMsgs(), client.inBytes(), client.outMsgs(), client.outBytes());
            inMsgs.add(client.inMsgs());
            inBytes.add(client.inBytes());
            outMsgs.add(client.outMsgs());
            outBytes.add(client.outBytes());
        }
        ScheduledFuture<?> timer = pingTimers.remove(client.id());
        if (timer != null) {
            timer.cancel(false);
        }
        if (joined.remove(client.id(), client)) {
            client.account().clientLeft();
            lifecycle.disconnected(client);
        }
    }

    @Override
    public void connected(Client client) {
        if (!client.isClosed()) {
            lifecycle.connected(client);
        }
    }

    @Override
    public void authenticationFailed(Client client) {
        lifecycle.authenticationFailed(client);
    }

    /** Server-wide counters for monitoring. */
    public record Stats(long inMsgs, long inBytes, long outMsgs, long outBytes, long totalConnections,
                        long slowConsumers) {
    }

    /** Totals of closed connections plus the live ones: no shared counter on the message path. */
    public Stats stats() {
        long im = inMsgs.sum();
        long ib = inBytes.sum();
        long om = outMsgs.sum();
        long ob = outBytes.sum();
        for (Client c : clients.values()) {
            im += c.inMsgs();
            ib += c.inBytes();
            om += c.outMsgs();
            ob += c.outBytes();
        }
        // As in Go, messages received from and sent to other servers count in the server's totals.
        long[] links = linkTraffic.get();
        im += links[0];
        ib += links[1];
        om += links[2];
        ob += links[3];
        return new Stats(im, ib, om, ob, totalConnections.get(), slowConsumers.get());
    }

    @Override
    public void countSlowConsumer() {
        slowConsumers.incrementAndGet();
    }

    @Override
    public void scheduleForcedClose(Runnable action) {
        if (!timers.isShutdown()) {
            timers.schedule(action, options.writeDeadline().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public List<Client> clients() {
        return List.copyOf(clients.values());
    }

    /** Visits the connected clients without copying them (for per-account summaries). */
    public void forEachClient(java.util.function.Consumer<Client> action) {
        clients.values().forEach(action);
    }

    /** The most recently closed connections, oldest first. */
    public List<ConnectionSnapshot> closedConnections() {
        return closed.list();
    }

    public int clientCount() {
        return clients.size();
    }

    /**
     * Applies a reloaded configuration: limits and authorization take effect at once; accounts keep their
     * subscriptions and get the new imports and mappings; every client is checked against the new
     * credentials and permissions. The caller has checked that nothing un-reloadable changed.
     */
    public synchronized void reload(ServerOptions fresh, Optional<ClientTls> freshTls) {
        this.configLoadedAtMillis = System.currentTimeMillis();
        this.tls = freshTls;
        this.authenticator = new ServerAuthenticator(accounts, AuthSettings.of(fresh), fresh.operator().enabled());
        this.options = fresh;
        java.util.Set<Account> reshadow = new java.util.HashSet<>(accounts.configure(fresh));
        if (fresh.operator().enabled()) {
            reshadow.addAll(reloadPreloads(fresh));
        }
        for (Client c : clients()) {
            if (reshadow.contains(c.account())) {
                c.refreshShadows();
            }
            if (authRequired(c.profile())) {
                c.reauthorize(authenticate(c.profile(), c.connectOptions(), c.nonce(), c.remoteIp()));
            } else {
                c.reauthorize(Optional.of(new Authenticated(accounts.global(), Permissions.UNRESTRICTED, "")));
            }
        }
    }

    /** Operator mode: changed {@code resolver_preload} JWTs replace those of accounts in use, as Go reloads them. */
    private java.util.Set<Account> reloadPreloads(ServerOptions fresh) {
        java.util.Set<Account> changed = new java.util.HashSet<>();
        for (java.util.Map.Entry<String, String> e : fresh.operator().resolverPreload().entrySet()) {
            try {
                accounts.resolver().store(e.getKey(), e.getValue());
                if (accounts.get(e.getKey()) != null) {
                    changed.addAll(accounts.update(e.getKey(), e.getValue()));
                }
            } catch (java.io.IOException | nats.server.internal.auth.JwtException ex) {
                LOG.log(System.Logger.Level.ERROR, "Reloaded: account " + e.getKey() + " refused: " + ex.getMessage());
            }
        }
        for (Client c : clients()) {
            if (changed.contains(c.account()) && JwtAuthentication.revoked(c)) {
                c.credentialsRevoked();
            }
        }
        return changed;
    }

    /** A deleted account's clients are closed as Go closes them: as if the account's JWT had expired. */
    private void accountDeleted(Account account) {
        for (Client c : clients()) {
            if (c.account() == account) {
                c.accountExpired();
            }
        }
    }

    /**
     * After an account JWT update: clients of the changed accounts get new import shadows; users the
     * account now revokes are dropped ("User Authentication Revoked"); the others are checked again.
     */
    private void accountsChanged(java.util.Set<Account> changed) {
        for (Client c : clients()) {
            if (!changed.contains(c.account())) {
                continue;
            }
            c.refreshShadows();
            if (JwtAuthentication.revoked(c)) {
                c.credentialsRevoked();
            } else {
                c.reauthorize(authenticate(c.profile(), c.connectOptions(), c.nonce(), c.remoteIp()));
            }
        }
    }

    /**
     * Lame-duck mode: stop accepting, then close clients spread over the lame-duck duration so they do not
     * all reconnect elsewhere at once.
     */
    public void enterLameDuckMode() {
        if (lameDuck) {
            return;
        }
        lameDuck = true;
        closeListener();
        List<Client> current = clients();
        long grace = options.lameDuckGracePeriod().toMillis();
        long spread = Math.max(0, options.lameDuckDuration().toMillis() - grace);
        for (int i = 0; i < current.size(); i++) {
            Client c = current.get(i);
            if (c instanceof ClientConnection connection) {
                c.asyncInfo(infoLine(connection));
            }
            long delay = grace + (current.size() <= 1 ? 0 : spread * i / current.size());
            timers.schedule(() -> c.close("Server Shutdown"), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops listening, closes every client after flushing what is queued for it. */
    public void shutdown() {
        closeListener();
        for (Client c : clients()) {
            c.close("Server Shutdown");
        }
        timers.shutdown();
        tracer.close();
    }

    private void closeListener() {
        Acceptor current = listener;
        if (current != null) {
            current.close();
        }
    }

}
