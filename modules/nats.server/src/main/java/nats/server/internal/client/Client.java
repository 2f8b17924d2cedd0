package nats.server.internal.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLSession;

import nats.api.messaging.ClientInfo;
import nats.server.internal.account.Account;
import nats.server.internal.account.InboundPipeline;
import nats.server.internal.auth.PermissionChecker;
import nats.server.internal.auth.ReplyPermissions;
import nats.transport.json.GoTime;
import nats.transport.json.JsonWriter;
import nats.server.internal.routing.PublishingClient;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Sublist;
import nats.server.internal.routing.Subscriber;
import nats.server.internal.routing.TracedSubscriber;
import nats.server.options.Permissions;

/**
 * One client session, whatever protocol it speaks: who it is (id, user, account), what it may do (permissions,
 * limits, credential expiry), its subscriptions, and how it ends. A NATS connection ({@link ClientConnection})
 * and a plugin's session ({@link PluginSession}, e.g. MQTT) share this; they differ in how bytes reach and
 * leave the client.
 */
public abstract class Client implements TracedSubscriber, PublishingClient {

    /** How a subscription request ended; {@link #OK} and {@link #DUPLICATE} succeed. */
    public enum SubscribeOutcome { OK, DUPLICATE, DENIED, TOO_MANY, INVALID_SUBJECT }

    protected final ClientHost host;
    protected final long id;
    private final String remoteIp;
    private final int remotePort;
    /** Its type, credentials and INFO: a plain NATS client, or a plugin's kind of client. */
    private final ClientProfile profile;
    protected final InboundPipeline pipeline;
    private final Map<String, ServerSubscription> subscriptions = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<String, String> monitoringFields = new ConcurrentHashMap<>();
    /** When the client was accepted; the clock gives microseconds, as Go's monitoring shows them. */
    private final Instant startTime = Instant.now();
    protected final long startNanos = System.nanoTime();
    protected volatile long lastActivityNanos = startNanos;
    protected volatile long rttNanos;
    protected volatile ConnectOptions options = ConnectOptions.BEFORE_CONNECT;
    private volatile String closeReason = "";
    private volatile String authenticatedUser = "";
    /** The user as CONNECT named it (Go's getRawAuthUser): nkey, user name, JWT subject or token. */
    private volatile String rawAuthUser = "";
    private volatile String issuerKey = "";
    /** The user's own limits from a JWT, -1 when only the server's apply. */
    protected volatile long userMaxPayload = -1;
    private volatile long userMaxSubscriptions = -1;
    /** Unix seconds when the user's credentials expire, 0 for never. */
    private volatile long credentialsExpireAt;

    protected Client(ClientHost host, long id, String remoteIp, int remotePort, ClientProfile profile) {
        this.host = host;
        this.id = id;
        this.remoteIp = remoteIp;
        this.remotePort = remotePort;
        this.profile = profile;
        this.pipeline = new InboundPipeline(this, host.globalAccount(), true);
    }

    // ---- identity ------------------------------------------------------------------------------------------

    public long id() {
        return id;
    }

    public String remoteIp() {
        return remoteIp;
    }

    public int remotePort() {
        return remotePort;
    }

    /**
     * Go's client type as monitoring and events show it: {@code nats}, {@code websocket} or {@code mqtt} (MQTT over
     * WebSocket, whose profile says {@code mqtt_ws} for {@code allowed_connection_types}, shows as {@code mqtt}).
     */
    public String type() {
        String t = profile.type();
        return t.equals("mqtt_ws") ? "mqtt" : t;
    }

    /** How the kernel treats this client: its type, credentials and INFO. */
    public ClientProfile profile() {
        return profile;
    }

    public Account account() {
        return pipeline.account();
    }

    public String name() {
        return options.name();
    }

    public String lang() {
        return options.lang();
    }

    // ---- as trace events name it -----------------------------------------------------------------------------

    @Override
    public long traceConnectionId() {
        return id;
    }

    @Override
    public String traceName() {
        String n = name();
        return n == null ? "" : n;
    }

    @Override
    public String traceAccount() {
        return account().name();
    }

    @Override
    public boolean deniesDelivery(RoutedMessage m) {
        PermissionChecker checker = pipeline.permissions();
        return checker != null && checker.deniesSomeDeliveries() && checker.deniesDelivery(m.subjectString());
    }

    public String version() {
        return options.version();
    }

    /** The CONNECT options (or what a plugin session presented), for checking the credentials again on reload. */
    public ConnectOptions connectOptions() {
        return options;
    }

    public String authenticatedUser() {
        return authenticatedUser;
    }

    /** The user as CONNECT named it, for events (Go reports the token itself for token auth). */
    public String rawAuthUser() {
        return rawAuthUser;
    }

    /** The signing key or account that vouches for this user (see {@link Authenticated#issuerKey()}). */
    public String issuerKey() {
        return issuerKey;
    }

    /** The user JWT CONNECT presented; empty without one. */
    public String connectJwt() {
        return options.jwt();
    }

    /** Unix seconds when the credentials expire (a user JWT's exp); 0 for never. */
    public long credentialsExpireAt() {
        return credentialsExpireAt;
    }

    public Instant startTime() {
        return startTime;
    }

    /** Nanoseconds since this client last sent anything. */
    public long idleNanos() {
        return Math.max(0, System.nanoTime() - lastActivityNanos);
    }

    /** The round trip measured to the client, in nanoseconds; 0 until measured. */
    @Override
    public long rttNanos() {
        return rttNanos;
    }

    /** Fields a plugin added to this client's {@code /connz} entry (e.g. {@code mqtt_client}). */
    public Map<String, String> monitoringFields() {
        return Map.copyOf(monitoringFields);
    }

    protected void monitoringField(String name, String value) {
        monitoringFields.put(name, value);
    }

    /** The nonce announced to the client to sign, or null. */
    public abstract String nonce();

    /** The TLS session; empty for plain connections. */
    public abstract Optional<SSLSession> tlsSession();

    public abstract long inMsgs();

    public abstract long inBytes();

    public abstract long outMsgs();

    public abstract long outBytes();

    public abstract long pendingBytes();

    // ---- authentication ------------------------------------------------------------------------------------

    /**
     * Takes what authentication granted: the account (joined before anything is subscribed), permissions,
     * limits and identity.
     */
    protected void grant(Authenticated grant, ConnectOptions presented) {
        Permissions p = grant.permissions();
        pipeline.permissions(p.restricts() ? new PermissionChecker(p) : null,
                p.responses().map(ReplyPermissions::new).orElse(null));
        authenticatedUser = grant.user();
        issuerKey = grant.issuerKey();
        userMaxPayload = tighter(grant.maxPayload(), grant.account().maxPayload());
        userMaxSubscriptions = tighter(grant.maxSubscriptions(), grant.account().maxSubscriptions());
        credentialsExpireAt = grant.expiresAt();
        pipeline.account(grant.account());
        rawAuthUser = rawAuthUser(presented, Optional.of(grant));
    }

    /** Records who tried to authenticate, for the auth-error event, when authentication failed. */
    protected void refused(ConnectOptions presented) {
        rawAuthUser = rawAuthUser(presented, Optional.empty());
        options = presented;
    }

    /** Whether the account has room for one more client. */
    protected static boolean accountHasRoom(Authenticated grant) {
        long limit = grant.account().maxConnections();
        return limit < 0 || grant.account().clientCount() < limit;
    }

    /** Go's getRawAuthUser: the nkey, else the user name, else the JWT's subject, else the token. */
    private static String rawAuthUser(ConnectOptions parsed, Optional<Authenticated> granted) {
        if (!parsed.nkey().isEmpty()) {
            return parsed.nkey();
        }
        if (!parsed.user().isEmpty()) {
            return parsed.user();
        }
        if (!parsed.jwt().isEmpty()) {
            return granted.map(Authenticated::user).orElse("");
        }
        return parsed.authToken();
    }

    /** The smaller of two limits where -1 means none (Go's minLimit). */
    private static long tighter(long a, long b) {
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }

    /** The payload limit for this client: the server's, or the user's or account's when tighter. */
    protected long maxPayload() {
        long max = host.options().maxPayload();
        long user = userMaxPayload;
        return user >= 0 && user < max ? user : max;
    }

    // ---- subscriptions -------------------------------------------------------------------------------------

    /**
     * Subscribes as this client, with Go's checks in Go's order: permissions, the subscription limit, a
     * duplicate sid, the subject's syntax.
     *
     * @param subscriber who receives the messages (this client, or a plugin's handler)
     * @param attachment kept on the subscription for the subscriber (e.g. a plugin's handler), or null
     */
    protected SubscribeOutcome subscribe(String subject, String queue, String sid, Subscriber subscriber,
                                         Object attachment) {
        PermissionChecker checker = pipeline.permissions();
        if (checker != null && !checker.canSubscribe(subject, queue)) {
            return SubscribeOutcome.DENIED;
        }
        long max = host.options().maxSubscriptions() > 0 ? host.options().maxSubscriptions() : -1;
        long userMax = userMaxSubscriptions;
        if (userMax >= 0 && (max < 0 || userMax < max)) {
            max = userMax;
        }
        synchronized (subscriptions) {
            // The Go server checks the limit before it notices a duplicate sid.
            if (max >= 0 && subscriptions.size() >= max) {
                return SubscribeOutcome.TOO_MANY;
            }
            if (subscriptions.containsKey(sid)) {
                return SubscribeOutcome.DUPLICATE;
            }
            ServerSubscription sub = new ServerSubscription(subscriber, subject, queue,
                    sid.getBytes(StandardCharsets.ISO_8859_1));
            sub.attach(attachment);
            try {
                account().sublist().insert(sub);
            } catch (Sublist.InvalidSubjectException e) {
                return SubscribeOutcome.INVALID_SUBJECT;
            }
            subscriptions.put(sid, sub);
            sub.shadows(account().addShadowSubscriptions(sub));
        }
        return SubscribeOutcome.OK;
    }

    protected ServerSubscription subscription(String sid) {
        synchronized (subscriptions) {
            return subscriptions.get(sid);
        }
    }

    protected void unsubscribe(ServerSubscription sub) {
        synchronized (subscriptions) {
            subscriptions.remove(sub.sidString(), sub);
        }
        sub.markClosed();
        account().sublist().remove(sub);
        Account.removeShadowSubscriptions(sub.shadows());
    }

    public int subscriptionCount() {
        synchronized (subscriptions) {
            return subscriptions.size();
        }
    }

    /** This client's subscriptions, for monitoring. */
    public List<ServerSubscription> subscriptionList() {
        synchronized (subscriptions) {
            return List.copyOf(subscriptions.values());
        }
    }

    /** Subjects this client subscribes to, for monitoring. */
    public List<String> subjects() {
        synchronized (subscriptions) {
            return subscriptions.values().stream().map(ServerSubscription::subject).toList();
        }
    }

    /** Gives every subscription new shadows after the account's stream imports changed on reload. */
    public void refreshShadows() {
        synchronized (subscriptions) {
            for (ServerSubscription sub : subscriptions.values()) {
                Account.removeShadowSubscriptions(sub.shadows());
                sub.shadows(account().addShadowSubscriptions(sub));
            }
        }
    }

    /**
     * The checks every delivery to this client passes first: a subscribe deny list that a wildcard
     * subscription overlaps (Go's checkDenySub), then the subscription's auto-unsubscribe limit.
     *
     * @return 0 to deliver, 1 to deliver as the subscription's last message, -1 to refuse
     */
    protected int admitDelivery(ServerSubscription sub, RoutedMessage m) {
        PermissionChecker checker = pipeline.permissions();
        if (checker != null && checker.deniesSomeDeliveries() && checker.deniesDelivery(m.subjectString())) {
            return -1;
        }
        return sub.countDelivery();
    }

    // ---- reload, expiry, revocation ------------------------------------------------------------------------

    /** Whether CONNECT (or a plugin session's authentication) went through. */
    public abstract boolean isConnected();

    /**
     * Checks this client against a reloaded configuration: it is closed when its credentials no longer
     * hold (or would now put it in another account); otherwise it gets the new permissions and loses the
     * subscriptions they no longer allow, each reported with Go's error.
     */
    public void reauthorize(Optional<Authenticated> granted) {
        if (!isConnected() || isClosed()) {
            return;
        }
        if (granted.isEmpty() || granted.get().account() != account()) {
            closeWithError("Authorization Violation", "Authentication Failure");
            return;
        }
        Permissions p = granted.get().permissions();
        PermissionChecker checker = p.restricts() ? new PermissionChecker(p) : null;
        pipeline.permissions(checker, p.responses().map(ReplyPermissions::new).orElse(null));
        if (checker == null) {
            return;
        }
        List<ServerSubscription> removed = new ArrayList<>();
        synchronized (subscriptions) {
            for (ServerSubscription sub : subscriptions.values()) {
                if (!checker.canSubscribe(sub.subject(), sub.queue())) {
                    removed.add(sub);
                }
            }
        }
        for (ServerSubscription sub : removed) {
            unsubscribe(sub);
            sendError("Permissions Violation for Subscription to \"" + sub.subject() + "\" (sid \""
                    + sub.sidString() + "\")");
        }
    }

    /** Closes the client when its user JWT expired, with Go's error. */
    public void credentialsExpired() {
        closeWithError("User Authentication Expired", "Authentication Expired");
    }

    /** Closes the client when its account's JWT expired, with Go's error. */
    public void accountExpired() {
        closeWithError("Account Authentication Expired", "Authentication Expired");
    }

    /** Closes the client when its account revoked the user, with Go's error. */
    public void credentialsRevoked() {
        closeWithError("User Authentication Revoked", "Authentication Revoked");
    }

    private void closeWithError(String error, String reason) {
        if (!isClosed()) {
            sendError(error);
            close(reason);
        }
    }

    /** Tells the client about an error in its protocol's way (a NATS {@code -ERR}); may do nothing. */
    public abstract void sendError(String text);

    /**
     * Sends asynchronous INFO (lame-duck mode, cluster changes) when the client's protocol has it and the
     * client accepts it; does nothing otherwise.
     */
    public void asyncInfo(byte[] infoLine) {
    }

    // ---- closing -------------------------------------------------------------------------------------------

    public boolean isClosed() {
        return closed.get();
    }

    public String closeReason() {
        return closeReason;
    }

    /**
     * Closes the client: forgets it (before its socket can close, so nobody sees it counted after its EOF),
     * removes its subscriptions, then lets the subclass end its transport.
     */
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        host.removed(this);
        ServerSubscription[] subs;
        synchronized (subscriptions) {
            subs = subscriptions.values().toArray(ServerSubscription[]::new);
            subscriptions.clear();
        }
        for (ServerSubscription sub : subs) {
            sub.markClosed();
            account().sublist().remove(sub);
            Account.removeShadowSubscriptions(sub.shadows());
        }
        closed(reason);
    }

    /** Ends the transport after {@link #close}; called once. */
    protected abstract void closed(String reason);

    // ---- client info ---------------------------------------------------------------------------------------

    @Override
    public String clientInfoJson(boolean detailed) {
        JsonWriter json = new JsonWriter().beginObject();
        if (detailed) {
            json.field("start", GoTime.format(startTime)).field("host", remoteIp).field("id", id);
        }
        json.field("acc", account().name());
        if (detailed) {
            putIfNotEmpty(json, "user", authenticatedUser);
            putIfNotEmpty(json, "name", options.name());
            putIfNotEmpty(json, "lang", options.lang());
            putIfNotEmpty(json, "ver", options.version());
        }
        if (rttNanos > 0) {
            json.field("rtt", rttNanos);
        }
        if (detailed) {
            json.field("server", host.serverName()).field("kind", "Client").field("client_type", type());
        }
        return json.endObject().toString();
    }

    @Override
    public ClientInfo clientInfo() {
        return new ClientInfo(id, account().name(), authenticatedUser, options.name(), options.lang(),
                options.version(), remoteIp, "Client", type(), rttNanos);
    }

    private static void putIfNotEmpty(JsonWriter json, String name, String value) {
        if (value != null && !value.isEmpty()) {
            json.field(name, value);
        }
    }
}
