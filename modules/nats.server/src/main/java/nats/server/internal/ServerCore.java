package nats.server.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
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
import nats.server.options.Permissions;
import nats.server.options.User;
import nats.server.internal.account.Account;
import nats.server.internal.account.AccountResolver;
import nats.server.internal.account.Accounts;
import nats.server.internal.account.OperatorTrust;
import nats.server.internal.auth.ConnectionTypes;
import nats.server.internal.auth.NonceSignature;
import nats.server.internal.auth.Passwords;
import nats.server.internal.client.Authenticated;
import nats.server.internal.client.ClientConnection;
import nats.server.internal.client.ConnectionSnapshot;
import nats.server.internal.client.ClosedConnections;
import nats.server.internal.client.ClientHost;
import nats.server.internal.client.ConnectOptions;
import nats.server.internal.json.JsonWriter;
import nats.server.internal.routing.Sublist;
import nats.server.internal.tls.ClientTls;

/**
 * The client-facing core: the listener, the registry of connections, the global account's routing table
 * and the timers that keep connections honest (auth timeout, PING/stale detection).
 */
public final class ServerCore implements ClientHost {

    private static final System.Logger LOG = System.getLogger(ServerCore.class.getName());
    /** The Go server release whose client-visible behaviour this server implements (see DESIGN 3a). */
    public static final String PROTOCOL_VERSION = "2.9.10";
    /** The Go server sends the first PING soon after CONNECT to measure RTT. */
    private static final long FIRST_PING_MILLIS = 2000;

    private volatile ServerOptions options;
    private volatile boolean nonceRequired;
    private final ServerIdentity identity;
    private final Accounts accounts;
    /** The client port's TLS; replaced on reload (new certificates apply to new connections). */
    private volatile Optional<ClientTls> tls;
    private final Map<Long, ClientConnection> clients = new ConcurrentHashMap<>();
    private final Map<Long, ScheduledFuture<?>> pingTimers = new ConcurrentHashMap<>();
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
    /** When the configuration in force was loaded: the start, then each reload (Go's config_load_time). */
    private volatile long configLoadedAtMillis = startedAtMillis;
    private ServerSocketChannel listener;
    private volatile boolean running;
    private volatile boolean lameDuck;
    private volatile ClientLifecycle lifecycle = ClientLifecycle.NONE;
    private int boundPort;
    private Thread acceptThread;

    /** A core without TLS on the client port. */
    public ServerCore(ServerOptions options) {
        this(options, Optional.empty());
    }

    /** A core whose client port uses {@code tls} (built from {@code options} when they configure TLS). */
    public ServerCore(ServerOptions options, Optional<ClientTls> tls) {
        this.options = options;
        this.nonceRequired = needsNonce(options);
        this.tls = tls;
        String id = StartupWork.serverId();
        this.identity = new ServerIdentity(id, options.serverName().isEmpty() ? id : options.serverName(),
                PROTOCOL_VERSION);
        this.accounts = Accounts.of(options);
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
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nats-timers");
            t.setDaemon(true);
            return t;
        });
    }

    /** Who hears about clients connecting and leaving (the system account's events). */
    public void lifecycle(ClientLifecycle listener) {
        this.lifecycle = listener;
    }

    public ServerIdentity identity() {
        return identity;
    }

    public long startedAtMillis() {
        return startedAtMillis;
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
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            int port = options.port() == ServerOptions.RANDOM_PORT ? 0 : options.port();
            channel.bind(new InetSocketAddress(options.host(), port), 1024);
            boundPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        listener = channel;
    }

    /** Binds the client port if {@link #bind()} did not, and accepts clients from now on. */
    public void start() throws IOException {
        bind();
        running = true;
        long deadlineNanos = options.writeDeadline().toNanos();
        long checkEvery = Math.max(50, Math.min(1000, options.writeDeadline().toMillis() / 4));
        timers.scheduleAtFixedRate(() -> clients.values().forEach(c -> c.writeDeadlineTick(deadlineNanos)),
                checkEvery, checkEvery, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(accounts::expireResponses, 1, 1, TimeUnit.SECONDS);
        acceptThread = Thread.ofPlatform().name("nats-accept").daemon(true).start(this::acceptLoop);
        LOG.log(System.Logger.Level.INFO, "Listening for client connections on {0}:{1}", options.host(),
                String.valueOf(boundPort));
        if (tls.isPresent()) {
            LOG.log(System.Logger.Level.INFO, "TLS required for client connections");
        }
    }

    public int port() {
        return boundPort;
    }

    private void acceptLoop() {
        while (running) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (running) {
                    LOG.log(System.Logger.Level.ERROR, "accept failed: " + e.getMessage());
                }
                continue;
            }
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ClientConnection client = new ClientConnection(this, channel, nextClientId.incrementAndGet(), tls);
                Thread.ofVirtual().name("nats-client-" + client.id()).start(() -> serve(client));
            } catch (IOException e) {
                closeQuietly(channel);
            }
        }
    }

    private void serve(ClientConnection client) {
        if (lameDuck || clients.size() >= options.maxConnections()) {
            // As in Go: the client gets INFO, then the error, then the connection closes.
            client.reject("maximum connections exceeded", "Maximum Connections Exceeded");
            return;
        }
        clients.put(client.id(), client);
        totalConnections.incrementAndGet();
        lifecycle.accepted(client);
        // As in Go, the auth timer starts after the TLS handshake.
        if (!client.greet()) {
            return;
        }
        if (options.authRequired()) {
            timers.schedule(client::authTimeoutTick, options.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        client.readLoop();
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

    @Override
    public byte[] infoLine(ClientConnection connection) {
        JsonWriter json = new JsonWriter().beginObject()
                .field("server_id", identity.serverId())
                .field("server_name", identity.serverName())
                .field("version", identity.serverVersion())
                .field("proto", 1)
                .field("go", nats.server.internal.monitor.RuntimeVersion.TEXT)
                .field("host", options.host())
                .field("port", boundPort)
                .field("headers", true);
        if (options.authRequired()) {
            json.field("auth_required", true);
        }
        Optional<ClientTls> current = tls;
        current.ifPresent(t -> tlsInfoFields(json, t));
        json.field("max_payload", options.maxPayload())
                .field("client_id", connection.id())
                .field("client_ip", connection.remoteIp());
        if (connection.nonce() != null) {
            json.field("nonce", connection.nonce());
        }
        if (lameDuck) {
            json.field("ldm", true);
        }
        json.endObject();
        return ("INFO " + json + " \r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Go's Info: tls_required unless allow_non_tls, then tls_available instead; tls_verify when verifying. */
    private void tlsInfoFields(JsonWriter json, ClientTls t) {
        if (!options.allowNonTls()) {
            json.field("tls_required", true);
        }
        if (t.options().verify()) {
            json.field("tls_verify", true);
        }
        if (options.allowNonTls()) {
            json.field("tls_available", true);
        }
    }

    @Override
    public Optional<Authenticated> authenticate(ConnectOptions connect, String nonce, String clientIp) {
        ServerOptions options = this.options; // one configuration for the whole check, even during a reload
        Account global = accounts.global();
        if (options.operator().enabled()) {
            return JwtAuthentication.authenticate(accounts, connect, nonce, clientIp);
        }
        if (!options.authToken().isEmpty()) {
            return granted(Passwords.matches(options.authToken(), connect.authToken()),
                    new Authenticated(global, Permissions.UNRESTRICTED, ""));
        }
        if (!options.users().isEmpty()) {
            if (!connect.nkey().isEmpty() && nonceRequired()) {
                return nkeyUser(options, connect, nonce);
            }
            boolean noCredentials = connect.user().isEmpty() && connect.pass().isEmpty()
                    && connect.authToken().isEmpty();
            if (noCredentials && !options.noAuthUser().isEmpty()) {
                // no_auth_user: a client without credentials is that user, as in Go.
                for (User user : options.users()) {
                    if (!user.isNkeyUser() && user.name().equals(options.noAuthUser())) {
                        Account account = accounts.get(user.account());
                        return granted(account != null && ConnectionTypes.allowsStandard(user.allowedConnectionTypes()),
                                new Authenticated(account, user.permissions(), user.name()));
                    }
                }
            }
            for (User user : options.users()) {
                if (!user.isNkeyUser() && user.name().equals(connect.user())) {
                    Account account = accounts.get(user.account());
                    return granted(Passwords.matches(user.password(), connect.pass()) && account != null
                                    && ConnectionTypes.allowsStandard(user.allowedConnectionTypes()),
                            new Authenticated(account, user.permissions(), user.name()));
                }
            }
            return Optional.empty();
        }
        boolean userOk = Passwords.equalsInConstantTime(options.username(), connect.user());
        boolean passOk = Passwords.matches(options.password(), connect.pass());
        return granted(userOk & passOk, new Authenticated(global, Permissions.UNRESTRICTED, options.username()));
    }

    @Override
    public Optional<Authenticated> authenticateAs(User user) {
        Account account = accounts.get(user.account());
        return account == null ? Optional.empty()
                : Optional.of(new Authenticated(account, user.permissions(), user.name()));
    }

    /** An nkey user proves the key by signing this connection's nonce. */
    private Optional<Authenticated> nkeyUser(ServerOptions options, ConnectOptions connect, String nonce) {
        for (User user : options.users()) {
            if (user.isNkeyUser() && user.nkey().equals(connect.nkey())) {
                Account account = accounts.get(user.account());
                boolean signed = nonce != null && NonceSignature.verify(user.nkey(), nonce, connect.signature());
                return granted(signed && account != null && ConnectionTypes.allowsStandard(user.allowedConnectionTypes()),
                        new Authenticated(account, user.permissions(), user.nkey()));
            }
        }
        return Optional.empty();
    }

    @Override
    public String serverName() {
        return identity.serverName();
    }

    @Override
    public boolean nonceRequired() {
        return nonceRequired;
    }

    /** Nonces are announced in operator mode and when nkey users exist; decided once per configuration. */
    private static boolean needsNonce(ServerOptions o) {
        return o.operator().enabled() || o.users().stream().anyMatch(User::isNkeyUser);
    }

    private static Optional<Authenticated> granted(boolean ok, Authenticated grant) {
        return ok ? Optional.of(grant) : Optional.empty();
    }

    @Override
    public void authenticated(ClientConnection connection) {
        if (pingTimers.containsKey(connection.id())) {
            return;
        }
        long interval = options.pingInterval().toMillis();
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(interval);
        long first = Math.min(interval, FIRST_PING_MILLIS);
        timers.schedule(() -> connection.pingTick(true, intervalNanos), first, TimeUnit.MILLISECONDS);
        connection.account().clientJoined();
        long expiresAt = connection.credentialsExpireAt();
        if (expiresAt > 0) {
            long delay = Math.max(0, expiresAt * 1000 - System.currentTimeMillis());
            timers.schedule(connection::credentialsExpired, delay, TimeUnit.MILLISECONDS);
        }
        watchAccountExpiry(connection);
        ScheduledFuture<?> periodic = timers.scheduleAtFixedRate(() -> connection.pingTick(false, intervalNanos),
                first + interval, interval, TimeUnit.MILLISECONDS);
        pingTimers.put(connection.id(), periodic);
        if (connection.isClosed()) {
            removed(connection);
        }
    }

    /**
     * Closes {@code connection} when its account's JWT expires, as Go does; an account renewed in the
     * meantime (a pushed JWT with a later expiry) moves the check to the new time.
     */
    private void watchAccountExpiry(ClientConnection connection) {
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
    public void removed(ClientConnection connection) {
        if (clients.remove(connection.id(), connection)) {
            closed.closed(connection, accounts.global().name());
            connection.account().addClosedTraffic(connection.inMsgs(), connection.inBytes(), connection.outMsgs(),
                    connection.outBytes());
            inMsgs.add(connection.inMsgs());
            inBytes.add(connection.inBytes());
            outMsgs.add(connection.outMsgs());
            outBytes.add(connection.outBytes());
        }
        ScheduledFuture<?> timer = pingTimers.remove(connection.id());
        if (timer != null) {
            timer.cancel(false);
            connection.account().clientLeft();
            lifecycle.disconnected(connection);
        }
    }

    @Override
    public void connected(ClientConnection connection) {
        if (!connection.isClosed()) {
            lifecycle.connected(connection);
        }
    }

    @Override
    public void authenticationFailed(ClientConnection connection) {
        lifecycle.authenticationFailed(connection);
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
        for (ClientConnection c : clients.values()) {
            im += c.inMsgs();
            ib += c.inBytes();
            om += c.outMsgs();
            ob += c.outBytes();
        }
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

    public List<ClientConnection> clients() {
        return List.copyOf(clients.values());
    }

    /** Visits the connected clients without copying them (for per-account summaries). */
    public void forEachClient(java.util.function.Consumer<ClientConnection> action) {
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
        this.nonceRequired = needsNonce(fresh);
        this.options = fresh;
        java.util.Set<Account> reshadow = new java.util.HashSet<>(accounts.configure(fresh));
        if (fresh.operator().enabled()) {
            reshadow.addAll(reloadPreloads(fresh));
        }
        for (ClientConnection c : clients()) {
            if (reshadow.contains(c.account())) {
                c.refreshShadows();
            }
            if (fresh.authRequired()) {
                c.reauthorize(authenticate(c.connectOptions(), c.nonce(), c.remoteIp()));
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
        for (ClientConnection c : clients()) {
            if (changed.contains(c.account()) && JwtAuthentication.revoked(c)) {
                c.credentialsRevoked();
            }
        }
        return changed;
    }

    /** A deleted account's clients are closed as Go closes them: as if the account's JWT had expired. */
    private void accountDeleted(Account account) {
        for (ClientConnection c : clients()) {
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
        for (ClientConnection c : clients()) {
            if (!changed.contains(c.account())) {
                continue;
            }
            c.refreshShadows();
            if (JwtAuthentication.revoked(c)) {
                c.credentialsRevoked();
            } else {
                c.reauthorize(authenticate(c.connectOptions(), c.nonce(), c.remoteIp()));
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
        List<ClientConnection> current = clients();
        long grace = options.lameDuckGracePeriod().toMillis();
        long spread = Math.max(0, options.lameDuckDuration().toMillis() - grace);
        for (int i = 0; i < current.size(); i++) {
            ClientConnection c = current.get(i);
            if (c.acceptsAsyncInfo()) {
                c.sendProtocol(infoLine(c));
            }
            long delay = grace + (current.size() <= 1 ? 0 : spread * i / current.size());
            timers.schedule(() -> c.close("Server Shutdown"), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops listening, closes every client after flushing what is queued for it. */
    public void shutdown() {
        running = false;
        closeListener();
        for (ClientConnection c : clients()) {
            c.close("Server Shutdown");
        }
        timers.shutdown();
    }

    private void closeListener() {
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // Closing a listener only fails if it is already gone.
            }
        }
        // The socket is released only once the thread blocked in accept() has left it; wait for that so
        // the port can be bound again as soon as this returns.
        if (acceptThread != null && acceptThread != Thread.currentThread()) {
            try {
                acceptThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to release.
        }
    }

}
