package nats.mqtt.internal.server;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import nats.api.ServerContext;
import nats.api.accounts.AccountListener;
import nats.api.accounts.PluginAccount;
import nats.api.net.BoundListener;
import nats.api.net.Connection;
import nats.api.net.ListenerSpec;
import nats.api.net.TlsPolicy;
import nats.api.sessions.AuthOverride;
import nats.api.sessions.ClientSession;
import nats.api.sessions.Credentials;
import nats.api.sessions.SessionOutcome;
import nats.api.sessions.SessionRequest;
import nats.mqtt.internal.codec.ConnectPacket;
import nats.mqtt.internal.codec.Packets;
import nats.mqtt.internal.config.MqttOptions;
import nats.mqtt.internal.js.JsApi;
import nats.mqtt.internal.js.JsApiException;
import nats.mqtt.internal.js.Nuid;
import nats.mqtt.internal.session.AccountSessions;
import nats.mqtt.internal.session.NodeNames;

/**
 * The MQTT server of one jnatsd: the {@code mqtt} listener on the kernel's machinery, the connections it
 * accepted, each account's sessions (created with the account's streams at its first MQTT client), and the
 * timers of keep-alives, connect timeouts, stores waiting for JetStream and the retained-message cache.
 */
public final class MqttServer {

    private static final System.Logger LOG = System.getLogger(MqttServer.class.getName());
    /** Go's default auth_timeout: a client has this long to send CONNECT (unless the block's own timeout says). */
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Go's default write_deadline. */
    private static final long WRITE_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Room for the topic and packet identifier of a PUBLISH beyond max_payload. */
    private static final int PACKET_OVERHEAD = 64 * 1024;

    private final ServerContext context;
    private volatile MqttOptions options;
    private final Optional<TlsPolicy> tls;
    private final String nodeId;
    private final Nuid nuid = new Nuid();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("nats-mqtt-timers").daemon(true).factory());
    private final Set<MqttConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<MqttConnection, Long> awaitingConnect = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<AccountSessions>> accounts = new ConcurrentHashMap<>();
    private final Optional<AuthOverride> auth;
    private volatile BoundListener listener;
    private AccountListener.Registration accountEvents;

    public MqttServer(ServerContext context, MqttOptions options, Optional<TlsPolicy> tls) {
        this.context = context;
        this.options = options;
        this.tls = tls;
        this.nodeId = NodeNames.hash(context.identity().serverName());
        this.auth = options.authBlock().isEmpty() ? Optional.empty() : Optional.of(new AuthOverride(options.authBlock()));
    }

    /** Opens the listener (Go logs {@code Listening for MQTT clients on mqtt://host:port}) and starts the timers. */
    public void start() throws IOException {
        String scheme = tls.isPresent() ? "tls" : "mqtt";
        listener = context.listeners().open(new ListenerSpec("mqtt", options.host(), options.port(), tls,
                "Listening for MQTT clients on " + scheme + "://"), this::accepted);
        accountEvents = context.accounts().listen(new AccountListener() {
            @Override
            public void added(PluginAccount account) {
            }

            @Override
            public void removed(PluginAccount account) {
                CompletableFuture<AccountSessions> gone = accounts.remove(account.name());
                if (gone != null && gone.isDone() && !gone.isCompletedExceptionally()) {
                    gone.join().stop();
                }
            }
        });
        timers.scheduleAtFixedRate(this::sweep, 250, 250, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(this::expireRetainedCaches, 2, 2, TimeUnit.MINUTES);
    }

    /** The port bound (the chosen one for -1). */
    public int port() {
        BoundListener l = listener;
        return l == null ? 0 : l.port();
    }

    private MqttConnection accepted(Connection connection) {
        return register(new MqttConnection(this, connection, "mqtt"));
    }

    private MqttConnection register(MqttConnection c) {
        connections.add(c);
        awaitingConnect.put(c, System.nanoTime());
        c.start();
        return c;
    }

    /**
     * Serves MQTT over a connection another plugin carries (the WebSocket listener's {@code /mqtt} endpoint) on
     * the calling thread, until it ends. Over WebSocket the kernel checks Go's {@code MQTT_WS} connection type.
     */
    public void serveCarried(Connection connection, String carrier) {
        MqttConnection c = register(new MqttConnection(this, connection,
                carrier.equals("websocket") ? "mqtt_ws" : "mqtt"));
        byte[] buffer = new byte[32 * 1024];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buffer);
        try {
            while (true) {
                bb.clear();
                int n = connection.read(bb);
                if (n < 0) {
                    break;
                }
                c.onBytes(buffer, 0, n);
            }
        } catch (IOException e) {
            // the end of this connection: closed() below says why
        } finally {
            c.closed();
        }
    }

    MqttOptions options() {
        return options;
    }

    String nuid() {
        return nuid.next();
    }

    /** The largest packet accepted: max_payload plus room for a topic; Go's own limit is the encoding's. */
    int maxPacketSize() {
        return (int) Math.min(Packets.MAX_REMAINING_LENGTH, (long) context.settings().maxPayload() + PACKET_OVERHEAD);
    }

    long writeDeadlineNanos() {
        return WRITE_DEADLINE_NANOS;
    }

    void connectTimeoutDone(MqttConnection c) {
        awaitingConnect.remove(c);
    }

    void removed(MqttConnection c) {
        connections.remove(c);
        awaitingConnect.remove(c);
    }

    /**
     * Authenticates a CONNECT through the kernel (the block's credentials override when it sets any); a refusal
     * is answered as Go answers it: CONNACK 5 for wrong credentials, a plain close for limits.
     */
    Optional<ClientSession> admit(MqttConnection c, ConnectPacket packet, String clientId) {
        // Go hands the password over as token and JWT as well: one field serves every method.
        Credentials credentials = new Credentials(packet.username(), packet.password(), packet.password(),
                packet.password(), "", "", "");
        boolean certificateUser = tls.map(TlsPolicy::mapUsers).orElse(false);
        SessionOutcome outcome = context.clientSessions().open(new SessionRequest(c.clientType, c.connection,
                credentials, "", "", "", auth, c, Map.of("mqtt_client", clientId), certificateUser));
        return switch (outcome) {
            case SessionOutcome.Opened opened -> Optional.of(opened.session());
            case SessionOutcome.Refused refused -> {
                if (refused.notAuthorized()) {
                    c.out.connAck(false, Packets.RC_NOT_AUTHORIZED);
                }
                c.error(refused.reason());
                c.closeFromReader(refused.notAuthorized() ? "Authentication Failure" : refused.reason());
                yield Optional.empty();
            }
        };
    }

    /** The account's sessions, created with its streams at its first MQTT client (others in the account wait). */
    AccountSessions accountSessions(PluginAccount account) throws JsApiException, InterruptedException {
        CompletableFuture<AccountSessions> mine = new CompletableFuture<>();
        CompletableFuture<AccountSessions> existing = accounts.putIfAbsent(account.name(), mine);
        if (existing == null) {
            try {
                JsApi api = new JsApi(account.connect("mqtt"), nodeId, options.jsDomain());
                try {
                    mine.complete(AccountSessions.create(account.name(), api, options, nodeId));
                } catch (JsApiException | RuntimeException e) {
                    api.close();
                    api.connection().close();
                    throw e;
                }
            } catch (JsApiException | RuntimeException e) {
                accounts.remove(account.name(), mine);
                mine.completeExceptionally(e);
                throw e;
            }
            return mine.join();
        }
        try {
            return existing.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JsApiException api) {
                throw api;
            }
            throw new JsApiException(500, 0, String.valueOf(e.getCause()));
        }
    }

    /** Starts the keep-alive check: no bytes for 1.5 times the keep-alive closes the client (Go's read deadline). */
    void keepAlive(MqttConnection c, long deadlineSeconds) {
        long deadline = TimeUnit.SECONDS.toNanos(Math.max(1, deadlineSeconds));
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (!connections.contains(c)) {
                return;
            }
            long idle = System.nanoTime() - c.lastReadNanos();
            if (idle >= deadline) {
                c.close("Read Error");
            } else {
                schedule(check[0], deadline - idle);
            }
        };
        schedule(check[0], deadline);
    }

    private ScheduledFuture<?> schedule(Runnable r, long nanos) {
        return timers.schedule(r, nanos, TimeUnit.NANOSECONDS);
    }

    /** Runs a short task off the caller's thread (acks from delivery handlers, which must not publish inline). */
    void background(Runnable task) {
        Thread.ofVirtual().start(task);
    }

    void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        try {
            for (Map.Entry<MqttConnection, Long> e : awaitingConnect.entrySet()) {
                if (now - e.getValue() > connectTimeoutNanos()) {
                    awaitingConnect.remove(e.getKey());
                    e.getKey().close("Authentication Timeout");
                }
            }
            for (MqttConnection c : connections) {
                c.sweep(now);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "MQTT timer failed", e);
        }
    }

    private long connectTimeoutNanos() {
        double seconds = options.authTimeout();
        return seconds > 0 ? (long) (seconds * 1e9) : CONNECT_TIMEOUT_NANOS;
    }

    private void expireRetainedCaches() {
        for (CompletableFuture<AccountSessions> f : accounts.values()) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                f.join().retained().expireCache();
            }
        }
    }

    /**
     * Applies a reload Go accepts (ack_wait, max_ack_pending and the consumer settings): new consumers are made
     * with the new values, and every session takes the new max_ack_pending at once.
     */
    public void reload(MqttOptions fresh) {
        MqttOptions old = options;
        options = fresh;
        for (CompletableFuture<AccountSessions> f : accounts.values()) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                AccountSessions as = f.join();
                as.options(fresh);
                as.maxAckPending(fresh.effectiveMaxAckPending());
            }
        }
        if (!old.ackWait().equals(fresh.ackWait())) {
            LOG.log(System.Logger.Level.INFO, "Reloaded: MQTT ack_wait = {0}", goDuration(fresh.ackWait()));
        }
        if (old.maxAckPending() != fresh.maxAckPending()) {
            LOG.log(System.Logger.Level.INFO, "Reloaded: MQTT max_ack_pending = {0}", fresh.maxAckPending());
        }
        if (old.streamReplicas() != fresh.streamReplicas()) {
            LOG.log(System.Logger.Level.INFO, "Reloaded: MQTT stream_replicas = {0}", fresh.streamReplicas());
        }
        if (old.consumerMemoryStorage() != fresh.consumerMemoryStorage()) {
            LOG.log(System.Logger.Level.INFO, "Reloaded: MQTT consumer_memory_storage = {0}",
                    fresh.consumerMemoryStorage());
        }
        if (!old.consumerInactiveThreshold().equals(fresh.consumerInactiveThreshold())) {
            LOG.log(System.Logger.Level.INFO, "Reloaded: MQTT consumer_inactive_threshold = {0}",
                    goDuration(fresh.consumerInactiveThreshold()));
        }
    }

    private static String goDuration(java.time.Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
    }

    /** Lame-duck mode: no new clients. */
    public void stopAccepting() {
        BoundListener l = listener;
        if (l != null) {
            l.close();
        }
    }

    /** Closes the listener, every client (Go's "Server Shutdown") and the accounts' in-process clients. */
    public void stop() {
        stopAccepting();
        if (accountEvents != null) {
            accountEvents.close();
        }
        for (MqttConnection c : connections) {
            c.close("Server Shutdown");
        }
        timers.shutdownNow();
        for (CompletableFuture<AccountSessions> f : accounts.values()) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                AccountSessions as = f.join();
                as.stop();
                as.streams().api().connection().close();
            }
        }
        accounts.clear();
    }
}
