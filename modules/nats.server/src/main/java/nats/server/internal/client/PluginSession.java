package nats.server.internal.client;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.SSLSession;

import nats.api.accounts.PluginAccount;
import nats.api.messaging.DirectHandler;
import nats.api.messaging.MessageOrigin;
import nats.api.sessions.ClientSession;
import nats.api.sessions.ClientSession.PublishResult;
import nats.api.sessions.Credentials;
import nats.api.sessions.SessionEvents;
import nats.api.sessions.SessionException;
import nats.api.sessions.SessionSubscription;
import nats.server.internal.account.Account;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.tls.CertificateUsers;

/**
 * A client of a plugin's protocol (MQTT) inside the kernel: authenticated, counted and listed like a NATS
 * client, publishing and subscribing through the same checks, with deliveries handed to the plugin's handlers
 * on the publisher's thread. The plugin owns the socket; the kernel tells it through {@link SessionEvents}
 * when it closes the session itself.
 */
public final class PluginSession extends Client {

    private static final System.Logger LOG = System.getLogger(PluginSession.class.getName());

    private final nats.api.net.Connection connection;
    private final SessionEvents events;
    private final java.util.function.Function<Account, PluginAccount> views;
    private final RoutedMessage routed = new RoutedMessage();
    private final AtomicLong nextSid = new AtomicLong();
    private final LongAdder outMsgs = new LongAdder();
    private final LongAdder outBytes = new LongAdder();
    private long inMsgsCounting;
    private long inBytesCounting;
    private volatile long inMsgs;
    private volatile long inBytes;
    private volatile long pending;
    private volatile boolean connected;
    private volatile boolean closedByPlugin;

    public PluginSession(ClientHost host, long id, nats.api.net.Connection connection, ClientProfile profile,
                         SessionEvents events, java.util.function.Function<Account, PluginAccount> views) {
        super(host, id, ip(connection.remoteAddress()), connection.remoteAddress().getPort(), profile);
        this.connection = connection;
        this.events = events;
        this.views = views;
        this.routed.publisher = this;
        this.routed.kind = MessageOrigin.CLIENT;
    }

    private static String ip(InetSocketAddress address) {
        return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    }

    /**
     * Authenticates with what the client presented and, when granted, becomes a full client.
     *
     * @return null when admitted, else the refusal's reason (Go's text) and whether the credentials were wrong
     */
    public Refusal open(Credentials credentials, String clientName, String lang, String version,
                        Optional<CertificateUsers> certificateUsers) {
        ConnectOptions presented = ConnectOptions.presented(clientName, lang, version, credentials.user(),
                credentials.password(), credentials.token(), credentials.jwt(), credentials.nkey(),
                credentials.signature());
        rttNanos = 0;
        if (host.authRequired(profile())) {
            String nonce = credentials.nonce().isEmpty() ? null : credentials.nonce();
            Optional<Authenticated> granted = certificateUsers.isPresent()
                    ? connection.tlsSession().flatMap(certificateUsers.get()::userFor).flatMap(host::authenticateAs)
                    : host.authenticate(profile(), presented, nonce, remoteIp());
            if (granted.isEmpty()) {
                refused(presented);
                host.authenticationFailed(this);
                // The refusal is the answer; the plugin is not told again through its events.
                closedByPlugin = true;
                close("Authentication Failure");
                return new Refusal("Authorization Violation", true);
            }
            if (!accountHasRoom(granted.get())) {
                closedByPlugin = true;
                close("Maximum Account Connections Exceeded");
                return new Refusal("maximum account active connections exceeded", false);
            }
            grant(granted.get(), presented);
        }
        options = presented;
        host.authenticated(this);
        connected = true;
        host.connected(this);
        return isClosed() ? new Refusal("Server Shutdown", false) : null;
    }

    /** Sets a field of the client's {@code /connz} entry before it is admitted (its events carry it too). */
    public void field(String name, String value) {
        monitoringField(name, value);
    }

    /** Why {@link #open} refused the client. */
    public record Refusal(String reason, boolean notAuthorized) {
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public String nonce() {
        return null;
    }

    /** The plugin's view of this session. */
    public ClientSession handle() {
        return handle;
    }

    private final ClientSession handle = new Handle();

    PublishResult publish(byte[] subject, byte[] reply, byte[] data, int offset, int headerLength, int length) {
        lastActivityNanos = System.nanoTime();
        RoutedMessage m = routed;
        m.originAccount = account().name();
        m.set(subject, reply, data, offset, headerLength, length);
        inMsgs = ++inMsgsCounting;
        inBytes = inBytesCounting += length;
        if (pipeline.admit(m) != nats.server.internal.account.InboundPipeline.Admission.ALLOWED) {
            return PublishResult.DENIED;
        }
        return pipeline.route(m, true) ? PublishResult.ROUTED : PublishResult.NO_INTEREST;
    }

    void flush() {
        pipeline.flush();
    }

    SessionSubscription subscribe(String subject, String queueGroup, DirectHandler handler)
            throws SessionException {
        String sid = Long.toString(nextSid.incrementAndGet());
        switch (subscribe(subject, queueGroup, sid, this, handler)) {
            case DENIED -> throw new SessionException(queueGroup == null
                    ? "Permissions Violation for Subscription to \"" + subject + "\""
                    : "Permissions Violation for Subscription to \"" + subject + "\" using queue \"" + queueGroup + "\"");
            case TOO_MANY -> throw new SessionException("maximum subscriptions exceeded");
            case INVALID_SUBJECT -> throw new SessionException("Invalid Subject");
            case OK, DUPLICATE -> {
            }
        }
        ServerSubscription sub = subscription(sid);
        return new SessionSubscription() {
            @Override
            public String subject() {
                return subject;
            }

            @Override
            public String queueGroup() {
                return queueGroup;
            }

            @Override
            public void unsubscribe() {
                if (sub != null && !sub.isClosed()) {
                    PluginSession.this.unsubscribe(sub);
                }
            }
        };
    }

    @Override
    public boolean deliver(ServerSubscription sub, RoutedMessage m) {
        if (isClosed()) {
            return false;
        }
        int limit = admitDelivery(sub, m);
        if (limit < 0 || !(sub.attachment() instanceof DirectHandler handler)) {
            return false;
        }
        boolean delivered;
        try {
            delivered = handler.onMessage(m);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cid " + id + ": session handler failed on " + m.subjectString(), e);
            return false;
        }
        if (delivered) {
            outMsgs.increment();
            outBytes.add(m.dataLength - Math.max(0, m.headerSize));
        }
        if (limit == 1) {
            unsubscribe(sub);
        }
        return delivered;
    }

    @Override
    public void flushPending() {
        events.flush();
    }

    @Override
    protected void closed(String reason) {
        if (!closedByPlugin) {
            try {
                events.closedByServer(reason);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cid " + id + ": plugin failed to close its session", e);
            }
        }
    }

    @Override
    public void sendError(String text) {
        // A plugin protocol has no -ERR: the kernel's close that follows an error tells the plugin instead.
        LOG.log(System.Logger.Level.DEBUG, "cid {0}: {1}", id, text);
    }

    /** The session as the plugin holds it. */
    private final class Handle implements ClientSession {

        @Override
        public long id() {
            return id;
        }

        @Override
        public PluginAccount account() {
            return views.apply(PluginSession.this.account());
        }

        @Override
        public String user() {
            return authenticatedUser();
        }

        @Override
        public PublishResult publish(byte[] subject, byte[] reply, byte[] data, int offset, int headerLength,
                                     int length) {
            return PluginSession.this.publish(subject, reply, data, offset, headerLength, length);
        }

        @Override
        public void flush() {
            PluginSession.this.flush();
        }

        @Override
        public SessionSubscription subscribe(String subject, String queueGroup, DirectHandler handler)
                throws SessionException {
            return PluginSession.this.subscribe(subject, queueGroup, handler);
        }

        @Override
        public void activity() {
            lastActivityNanos = System.nanoTime();
        }

        @Override
        public void monitoringField(String name, String value) {
            PluginSession.this.monitoringField(name, value);
        }

        @Override
        public void pendingBytes(long bytes) {
            pending = bytes;
        }

        @Override
        public void close(String reason) {
            closedByPlugin = true;
            PluginSession.this.close(reason);
        }

        @Override
        public boolean isClosed() {
            return PluginSession.this.isClosed();
        }
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return connection.tlsSession();
    }

    @Override
    public long inMsgs() {
        return inMsgs;
    }

    @Override
    public long inBytes() {
        return inBytes;
    }

    @Override
    public long outMsgs() {
        return outMsgs.sum();
    }

    @Override
    public long outBytes() {
        return outBytes.sum();
    }

    @Override
    public long pendingBytes() {
        return pending;
    }
}
