package nats.server.internal.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import nats.server.internal.account.Account;
import nats.server.internal.account.SubjectMappings;
import nats.server.internal.auth.NonceSignature;
import nats.server.internal.auth.PermissionChecker;
import nats.server.internal.json.Json;
import nats.server.internal.net.PlainTransport;
import nats.server.internal.net.Transport;
import nats.server.internal.tls.ClientTls;
import nats.server.internal.tls.GoTlsNames;
import nats.server.internal.tls.TlsAcceptor;
import nats.server.internal.routing.FlushSet;
import nats.server.internal.routing.MatchResult;
import nats.server.internal.routing.MessageOrigin;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.Router;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Sublist;
import nats.server.internal.routing.Subscriber;
import nats.server.options.Permissions;
import nats.server.options.User;
import nats.transport.protocol.ClientProtocolHandler;
import nats.transport.protocol.ClientProtocolParser;
import nats.transport.protocol.ProtocolException;
import nats.transport.protocol.PubArgs;
import nats.transport.protocol.Subjects;

/**
 * One client connection: a reader thread parses what the client sends and routes its messages; an
 * {@link Outbound} flusher writes what the client receives. Mirrors the Go server's readLoop/writeLoop.
 */
public final class ClientConnection implements ClientProtocolHandler, Subscriber, MessageOrigin {

    private static final System.Logger LOG = System.getLogger(ClientConnection.class.getName());
    private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_READ_BUFFER = 64 * 1024;
    private static final int MIN_READ_BUFFER = 512;

    private final ClientHost host;
    private final SocketChannel channel;
    /** The byte stream: plain until (and unless) TLS replaces it in {@link #greet()}. */
    private volatile Transport transport;
    /** The client port's TLS; null without TLS. */
    private final ClientTls tls;
    private final long id;
    private final String remoteIp;
    private final int remotePort;
    private final Outbound outbound;
    private final ClientProtocolParser parser;
    /** The account's routing table; replaced once, when CONNECT names another account. */
    private Sublist sublist;
    private volatile Account account;
    private volatile String authenticatedUser = "";
    /** The user as CONNECT named it (Go's getRawAuthUser): nkey, user name, JWT subject or token. */
    private volatile String rawAuthUser = "";
    private volatile String issuerKey = "";
    /** Reply subjects of requests delivered to this client, when it may answer them (allow_responses). */
    private volatile ReplyPermissions replyPermissions;
    /** The user's own limits from a JWT, -1 when only the server's apply. */
    private long userMaxPayload = -1;
    private long userMaxSubscriptions = -1;
    /** Unix seconds when the user's credentials expire, 0 for never. */
    private volatile long credentialsExpireAt;
    /** When the RTT probe PING went out; 0 when none is outstanding. */
    private volatile long rttProbeSentNanos;
    private volatile long rttNanos;
    private final Map<String, ServerSubscription> subscriptions = new HashMap<>();
    private final RoutedMessage routed = new RoutedMessage();
    private ResultCache resultCache = new ResultCache();
    private final FlushSet flushSet = new FlushSet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PlatformThreads.Activity readerActivity = new PlatformThreads.Activity();
    private final PlatformThreads.Activity flusherActivity = new PlatformThreads.Activity();

    private volatile ConnectOptions options = ConnectOptions.BEFORE_CONNECT;
    private volatile boolean connectReceived;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile int pingsOut;
    private volatile String closeReason = "";
    private volatile Thread readerThread;
    /** The user's permissions when they restrict anything; replaced on reload. */
    private volatile PermissionChecker permissions;
    /** Protocol tracing (-V); read once, so the message path pays one branch when it is off. */
    private final boolean trace;
    /** Set once this server answered a PING: the Go server sends async INFO only after that. */
    private volatile boolean firstPongSent;
    /** When the connection was accepted; the clock gives microseconds, as Go's monitoring shows them. */
    private final java.time.Instant startTime = java.time.Instant.now();
    private final long startNanos = System.nanoTime();
    /** The nonce this client must sign to authenticate with an nkey; null when no nkey users exist. */
    private final String nonce;
    /** Counted by the reader in plain fields, published once per read for monitoring. */
    private long inMsgsCounting;
    private long inBytesCounting;
    private volatile long inMsgs;
    private volatile long inBytes;

    public ClientConnection(ClientHost host, SocketChannel channel, long id, Optional<ClientTls> tls)
            throws IOException {
        this.host = host;
        this.channel = channel;
        this.transport = new PlainTransport(channel);
        this.tls = tls.orElse(null);
        this.id = id;
        InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
        this.remoteIp = remote.getAddress().getHostAddress();
        this.remotePort = remote.getPort();
        this.outbound = new Outbound(host.options().maxPending());
        this.parser = new ClientProtocolParser(this, host.options().maxControlLine());
        this.account = host.globalAccount();
        this.sublist = account.sublist();
        this.routed.originAccount = account.name();
        this.routed.origin = this;
        this.routed.producerMayStall = true;
        this.trace = host.options().trace();
        this.nonce = host.nonceRequired() ? NonceSignature.newNonce() : null;
    }

    /** The nonce announced in INFO, or null. */
    public String nonce() {
        return nonce;
    }

    public long id() {
        return id;
    }

    public String remoteIp() {
        return remoteIp;
    }

    public int remotePort() {
        return remotePort;
    }

    public String name() {
        return options.name();
    }

    public boolean isClosed() {
        return closed.get();
    }

    public int subscriptionCount() {
        synchronized (subscriptions) {
            return subscriptions.size();
        }
    }

    /** Greets and immediately turns the client away (e.g. too many connections), as the Go server does. */
    public void reject(String error, String reason) {
        Thread.ofVirtual().name("nats-flush-" + id).start(this::flushLoop);
        outbound.appendProtocol(host.infoLine(this));
        sendError(error);
        close(reason);
    }

    /**
     * Sends INFO and, on a TLS port, performs the TLS handshake; the caller's thread becomes the reader.
     *
     * @return false when the connection was closed instead (a failed handshake, logged as Go logs it)
     */
    public boolean greet() {
        readerThread = Thread.currentThread();
        if (tls == null) {
            Thread.ofVirtual().name("nats-flush-" + id).start(this::flushLoop);
            outbound.appendProtocol(host.infoLine(this));
            outbound.signal();
            return true;
        }
        boolean handshakeFirst = tls.options().handshakeFirst();
        try {
            transport = TlsAcceptor.accept(channel, tls, host.options().allowNonTls(),
                    handshakeFirst ? null : host.infoLine(this));
        } catch (TlsAcceptor.Refused e) {
            LOG.log(e.level(), "{0} - {1}", tracePrefix(), e.getMessage());
            close(e.closeReason());
            return false;
        }
        transport.tlsSession().ifPresent(session -> LOG.log(System.Logger.Level.DEBUG,
                "{0} - TLS handshake complete, TLS version {1}, cipher suite {2}", tracePrefix(),
                GoTlsNames.goVersion(session.getProtocol()), GoTlsNames.goCipher(session.getCipherSuite())));
        Thread.ofVirtual().name("nats-flush-" + id).start(this::flushLoop);
        if (handshakeFirst) {
            outbound.appendProtocol(host.infoLine(this));
            outbound.signal();
        }
        // Closed during the handshake (e.g. server shutdown): the flusher finds nothing to do and closes the socket.
        return !closed.get();
    }

    /**
     * Reads and processes client input until the connection ends; called after {@link #greet()}. The
     * caller's (virtual) thread is the reader until the connection gets busy; see {@link PlatformThreads}.
     */
    public void readLoop() {
        readFrom(ByteBuffer.allocate(MIN_READ_BUFFER));
    }

    /** The read loop proper, on whichever thread is the reader now; hands itself over when it moves. */
    private void readFrom(ByteBuffer start) {
        ByteBuffer buffer = start;
        Transport in = transport;
        boolean onPlatform = !Thread.currentThread().isVirtual();
        try {
            while (!closed.get()) {
                buffer.clear();
                int n = in.read(buffer);
                if (n < 0) {
                    close("Client Closed");
                    return;
                }
                lastActivityNanos = System.nanoTime();
                try {
                    parser.parse(buffer.array(), 0, n);
                } finally {
                    // Counts first: once output is flushed the client may already ask monitoring for them.
                    inMsgs = inMsgsCounting;
                    inBytes = inBytesCounting;
                    flushSet.flushAll();
                }
                buffer = resize(buffer, n);
                if (readerActivity.shouldMove(onPlatform) && moveReader(onPlatform, buffer)) {
                    return;
                }
            }
        } catch (ProtocolException e) {
            protocolViolation(e);
        } catch (IOException | RuntimeException e) {
            if (!closed.get()) {
                LOG.log(System.Logger.Level.DEBUG, "cid {0}: read ended: {1}", id, e.toString());
            }
            close("Read Error");
        } finally {
            if (onPlatform) {
                PlatformThreads.SHARED.release();
            }
        }
    }

    /**
     * Continues reading on a thread of the other kind: a platform thread when this busy reader gets one
     * from the budget, a virtual thread when this platform reader went quiet. Between two reads nothing
     * of the reader's state lives on its stack but the buffer, so the loop simply resumes there.
     */
    private boolean moveReader(boolean onPlatform, ByteBuffer buffer) {
        if (!onPlatform && !PlatformThreads.SHARED.tryAcquire()) {
            return false;
        }
        Thread next;
        try {
            next = PlatformThreads.unstartedOther(onPlatform, "nats-client-" + id, () -> readFrom(buffer));
            readerThread = next;
            next.start();
        } catch (OutOfMemoryError | RuntimeException e) {
            // No thread to be had: stay where we are.
            readerThread = Thread.currentThread();
            if (!onPlatform) {
                PlatformThreads.SHARED.release();
            }
            return false;
        }
        return true;
    }

    /** Grows the read buffer when reads fill it and shrinks it when they stay small, like the Go server. */
    private static ByteBuffer resize(ByteBuffer buffer, int lastRead) {
        int capacity = buffer.capacity();
        if (lastRead == capacity && capacity < MAX_READ_BUFFER) {
            return ByteBuffer.allocate(capacity * 2);
        }
        if (lastRead < capacity / 4 && capacity > MIN_READ_BUFFER) {
            return ByteBuffer.allocate(capacity / 2);
        }
        return buffer;
    }

    private void flushLoop() {
        boolean onPlatform = !Thread.currentThread().isVirtual();
        boolean moving = false;
        try {
            moving = !outbound.flushLoop(transport, () -> flusherActivity.shouldMove(onPlatform)
                    && (onPlatform || PlatformThreads.SHARED.tryAcquire()));
        } catch (IOException e) {
            close("Write Error");
        } finally {
            if (onPlatform) {
                PlatformThreads.SHARED.release();
            }
            if (!moving) {
                closeChannel();
            }
        }
        if (moving) {
            moveFlusher(onPlatform);
        }
    }

    /** Continues flushing on a thread of the other kind (the budget was taken when promoting). */
    private void moveFlusher(boolean onPlatform) {
        try {
            PlatformThreads.unstartedOther(onPlatform, "nats-flush-" + id, this::flushLoop).start();
        } catch (OutOfMemoryError | RuntimeException e) {
            if (!onPlatform) {
                PlatformThreads.SHARED.release();
            }
            // A virtual thread is always to be had; the loop carries on as before.
            Thread.ofVirtual().name("nats-flush-" + id).start(this::flushLoop);
        }
    }

    private void protocolViolation(ProtocolException e) {
        LOG.log(System.Logger.Level.DEBUG, "cid {0}: {1}", id, e.getMessage());
        if (!e.clientError().isEmpty()) {
            sendError(e.clientError());
        }
        close("Protocol Violation");
    }

    // ---- ClientProtocolHandler -------------------------------------------------------------------------

    @Override
    public boolean acceptsOperationsBeforeConnect() {
        return connectReceived || !host.options().authRequired();
    }

    @Override
    public void onConnect(byte[] buf, int off, int len) throws ProtocolException {
        if (trace) {
            traceIn("CONNECT " + PASSWORD.matcher(new String(buf, off, len, StandardCharsets.UTF_8))
                    .replaceAll("$1[REDACTED]$2"));
        }
        // As in Go, the time from accepting to CONNECT is the first estimate of the round trip.
        rttNanos = Math.max(1, System.nanoTime() - startNanos);
        ConnectOptions parsed;
        try {
            parsed = ConnectOptions.parse(new String(buf, off, len, StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            throw ProtocolException.closeSilently("bad CONNECT json: " + e.getMessage());
        }
        if (host.options().authRequired()) {
            Optional<Authenticated> granted = tls != null && tls.userMapping().isPresent()
                    ? certificateUser(parsed) : host.authenticate(parsed, nonce, remoteIp);
            rawAuthUser = rawAuthUser(parsed, granted);
            if (granted.isEmpty()) {
                options = parsed;
                host.authenticationFailed(this);
                throw ProtocolException.fatal("Authorization Violation", "authentication failed for user '"
                        + parsed.user() + "'");
            }
            if (granted.get().permissions().restricts()) {
                permissions = new PermissionChecker(granted.get().permissions());
            }
            replyPermissions = granted.get().permissions().responses().map(ReplyPermissions::new).orElse(null);
            Authenticated grant = granted.get();
            authenticatedUser = grant.user();
            issuerKey = grant.issuerKey();
            userMaxPayload = tighter(grant.maxPayload(), grant.account().maxPayload());
            userMaxSubscriptions = tighter(grant.maxSubscriptions(), grant.account().maxSubscriptions());
            credentialsExpireAt = grant.expiresAt();
            long accountLimit = grant.account().maxConnections();
            if (accountLimit >= 0 && grant.account().clientCount() >= accountLimit) {
                throw ProtocolException.fatal("maximum account active connections exceeded",
                        "account " + grant.account().name() + " at its connection limit");
            }
            joinAccount(grant.account());
        }
        host.authenticated(this);
        if (parsed.protocol() < 0 || parsed.protocol() > 1) {
            throw ProtocolException.fatal("invalid client protocol", "protocol " + parsed.protocol());
        }
        if (parsed.noResponders() && !parsed.headers()) {
            throw ProtocolException.fatal("no responders requires headers support", "no_responders without headers");
        }
        options = parsed;
        connectReceived = true;
        if (parsed.verbose()) {
            sendOk();
        }
        host.connected(this);
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

    /** Moves this (not yet subscribed) client into {@code target}'s subject space. */
    private void joinAccount(Account target) {
        if (target != account) {
            account = target;
            sublist = target.sublist();
            resultCache = new ResultCache();
            routed.originAccount = target.name();
        }
    }

    public Account account() {
        return account;
    }

    /** Gives every subscription new shadows after the account's stream imports changed on reload. */
    public void refreshShadows() {
        synchronized (subscriptions) {
            for (ServerSubscription sub : subscriptions.values()) {
                Account.removeShadowSubscriptions(sub.shadows());
                sub.shadows(account.addShadowSubscriptions(sub));
            }
        }
    }

    /**
     * Checks this client against a reloaded configuration: it is closed when its credentials no longer
     * hold (or would now put it in another account); otherwise it gets the new permissions and loses the
     * subscriptions they no longer allow, each reported with Go's error.
     */
    public void reauthorize(Optional<Authenticated> granted) {
        if (!connectReceived || closed.get()) {
            return;
        }
        if (granted.isEmpty() || granted.get().account() != account) {
            sendError("Authorization Violation");
            close("Authentication Failure");
            return;
        }
        Permissions p = granted.get().permissions();
        PermissionChecker checker = p.restricts() ? new PermissionChecker(p) : null;
        permissions = checker;
        replyPermissions = p.responses().map(ReplyPermissions::new).orElse(null);
        if (checker == null) {
            return;
        }
        java.util.List<ServerSubscription> removed = new java.util.ArrayList<>();
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

    /** Unix seconds when the credentials expire (a user JWT's exp); 0 for never. */
    public long credentialsExpireAt() {
        return credentialsExpireAt;
    }

    /** Closes the connection when its user JWT expired, with Go's error. */
    public void credentialsExpired() {
        if (!closed.get()) {
            sendError("User Authentication Expired");
            close("Authentication Expired");
        }
    }

    /** Closes the connection when its account's JWT expired, with Go's error. */
    public void accountExpired() {
        if (!closed.get()) {
            sendError("Account Authentication Expired");
            close("Authentication Expired");
        }
    }

    /** Closes the connection when its account revoked the user, with Go's error. */
    public void credentialsRevoked() {
        if (!closed.get()) {
            sendError("User Authentication Revoked");
            close("Authentication Revoked");
        }
    }

    /** The CONNECT options, for checking the credentials again on reload. */
    public ConnectOptions connectOptions() {
        return options;
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

    public String authenticatedUser() {
        return authenticatedUser;
    }

    /** The round trip measured with the first PING, in nanoseconds; 0 until measured. */
    @Override
    public long rttNanos() {
        return rttNanos;
    }

    @Override
    public String clientInfoJson(boolean detailed) {
        nats.server.internal.json.JsonWriter json = new nats.server.internal.json.JsonWriter().beginObject();
        if (detailed) {
            json.field("start", nats.server.internal.json.GoTime.format(startTime))
                    .field("host", remoteIp)
                    .field("id", id);
        }
        json.field("acc", account.name());
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
            json.field("server", host.serverName()).field("kind", "Client").field("client_type", "nats");
        }
        return json.endObject().toString();
    }

    private static void putIfNotEmpty(nats.server.internal.json.JsonWriter json, String name, String value) {
        if (value != null && !value.isEmpty()) {
            json.field(name, value);
        }
    }

    /** verify_and_map: the certificate names the user, and CONNECT's credentials are not used (as in Go). */
    private Optional<Authenticated> certificateUser(ConnectOptions parsed) {
        Optional<User> user = transport.tlsSession()
                .flatMap(session -> tls.userMapping().orElseThrow().userFor(session));
        if (user.isPresent() && parsed.user() != null && !parsed.user().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "{0} - User \"{1}\" found in connect proto, but user required "
                    + "from cert", tracePrefix(), parsed.user());
        }
        return user.flatMap(host::authenticateAs);
    }

    @Override
    public void onPublishArgs(PubArgs args) throws ProtocolException {
        if (trace) {
            traceIn((args.hasHeaders() ? "HPUB " : "PUB ") + args.subject()
                    + (args.replyLength() > 0 ? " " + args.reply() : "")
                    + (args.hasHeaders() ? " " + args.headerSize() : "") + " " + args.totalSize());
        }
        if (args.hasHeaders() && !options.headers()) {
            throw ProtocolException.closeSilently("HPUB from a client without headers support");
        }
        long maxPayload = host.options().maxPayload();
        if (userMaxPayload >= 0 && userMaxPayload < maxPayload) {
            maxPayload = userMaxPayload;
        }
        if (args.totalSize() > maxPayload) {
            throw ProtocolException.fatal("Maximum Payload Violation",
                    "payload " + args.totalSize() + " exceeds " + maxPayload);
        }
        if (options.pedantic()
                && !Subjects.isValidLiteralSubject(args.buffer(), args.subjectOffset(), args.subjectLength())) {
            sendError("Invalid Publish Subject");
        }
    }

    @Override
    public void onMessage(PubArgs args, byte[] buf, int off, int len) {
        if (trace) {
            LOG.log(System.Logger.Level.TRACE, "{0} - <<- MSG_PAYLOAD: [\"{1}\"]", tracePrefix(),
                    escape(new String(buf, off, len, StandardCharsets.UTF_8)));
        }
        RoutedMessage m = routed;
        m.subject = args.buffer();
        m.subjectOffset = args.subjectOffset();
        m.subjectLength = args.subjectLength();
        m.reply = args.buffer();
        m.replyOffset = args.replyOffset();
        m.replyLength = args.replyLength();
        // An empty header block (HPUB with header size 0) is delivered as a plain MSG, as Go does.
        m.headerSize = args.headerSize() > 0 ? args.headerSize() : -1;
        m.data = buf;
        m.dataOffset = off;
        m.dataLength = len;
        m.prepareSizes();
        inMsgsCounting++;
        inBytesCounting += len;
        SubjectMappings mappings = account.mappings();
        if (mappings != null) {
            String original = m.subjectString();
            String mapped = mappings.map(original);
            if (!mapped.equals(original)) {
                m.subject = mapped.getBytes(StandardCharsets.ISO_8859_1);
                m.subjectOffset = 0;
                m.subjectLength = m.subject.length;
            }
        }
        if (permissions != null && !permissions.canPublish(m.subjectString())
                && (replyPermissions == null || !replyPermissions.allowResponse(m.subjectString()))) {
            // As in Go: the message is dropped, no +OK, and the connection stays.
            sendError("Permissions Violation for Publish to \"" + m.subjectString() + "\"");
            return;
        }
        if (m.replyLength > 3 && isReservedReply(m.reply, m.replyOffset)) {
            // Replies starting with _R_. route service responses between accounts; clients may not forge them.
            sendError("Permissions Violation for Publish with Reply of \"" + m.replyString() + "\"");
            return;
        }
        // The Go server acknowledges a verbose PUB before routing it.
        if (options.verbose()) {
            sendOk();
        }
        boolean delivered = route(m);
        if (!delivered && m.hasReply() && options.noResponders()) {
            sendNoResponders(m);
        }
    }

    private static boolean isReservedReply(byte[] reply, int off) {
        return reply[off] == '_' && reply[off + 1] == 'R' && reply[off + 2] == '_' && reply[off + 3] == '.';
    }

    private boolean route(RoutedMessage m) {
        MatchResult result = resultCache.lookup(sublist, m.subject, m.subjectOffset, m.subjectLength);
        return !result.isEmpty() && Router.deliver(result, m, this, options.echo(), flushSet);
    }

    private void sendNoResponders(RoutedMessage m) {
        String reply = m.replyString();
        ServerSubscription target = null;
        for (ServerSubscription sub : sublist.match(reply).plain()) {
            if (sub.subscriber() == this) {
                target = sub;
                break;
            }
        }
        if (target != null) {
            String frame = "HMSG " + reply + " " + target.sidString() + " 16 16\r\nNATS/1.0 503\r\n\r\n\r\n";
            sendProtocol(frame.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Override
    public void onSubscribe(byte[] buf, int off, int len) throws ProtocolException {
        if (trace) {
            traceIn("SUB " + new String(buf, off, len, StandardCharsets.UTF_8));
        }
        String[] args = splitArgs(buf, off, len);
        if (args.length != 2 && args.length != 3) {
            throw ProtocolException.closeSilently("SUB parse error");
        }
        String subject = args[0];
        String queue = args.length == 3 ? args[1] : null;
        String sid = args[args.length - 1];
        if (permissions != null && !permissions.canSubscribe(subject, queue)) {
            sendError(queue == null ? "Permissions Violation for Subscription to \"" + subject + "\""
                    : "Permissions Violation for Subscription to \"" + subject + "\" using queue \"" + queue + "\"");
            return;
        }
        long max = host.options().maxSubscriptions() > 0 ? host.options().maxSubscriptions() : -1;
        if (userMaxSubscriptions >= 0 && (max < 0 || userMaxSubscriptions < max)) {
            max = userMaxSubscriptions;
        }
        synchronized (subscriptions) {
            // The Go server checks the limit before it notices a duplicate sid.
            if (max >= 0 && subscriptions.size() >= max) {
                sendError("maximum subscriptions exceeded");
                return;
            }
            if (subscriptions.containsKey(sid)) {
                ackIfVerbose();
                return;
            }
            ServerSubscription sub = new ServerSubscription(this, subject, queue,
                    sid.getBytes(StandardCharsets.ISO_8859_1));
            try {
                sublist.insert(sub);
            } catch (Sublist.InvalidSubjectException e) {
                sendError("Invalid Subject");
                return;
            }
            subscriptions.put(sid, sub);
            sub.shadows(account.addShadowSubscriptions(sub));
        }
        ackIfVerbose();
    }

    @Override
    public void onUnsubscribe(byte[] buf, int off, int len) throws ProtocolException {
        if (trace) {
            traceIn("UNSUB " + new String(buf, off, len, StandardCharsets.UTF_8));
        }
        String[] args = splitArgs(buf, off, len);
        if (args.length != 1 && args.length != 2) {
            throw ProtocolException.closeSilently("UNSUB parse error");
        }
        long max = args.length == 2 ? parseSize(args[1]) : -1;
        ServerSubscription sub;
        boolean remove = false;
        synchronized (subscriptions) {
            sub = subscriptions.get(args[0]);
            if (sub != null) {
                if (max > 0 && max > sub.delivered()) {
                    sub.setMax(max);
                } else {
                    remove = true;
                }
            }
        }
        ackIfVerbose();
        if (remove) {
            unsubscribe(sub);
        }
    }

    private void unsubscribe(ServerSubscription sub) {
        synchronized (subscriptions) {
            subscriptions.remove(sub.sidString(), sub);
        }
        sub.markClosed();
        sublist.remove(sub);
        Account.removeShadowSubscriptions(sub.shadows());
    }

    @Override
    public void onPing() {
        if (trace) {
            traceIn("PING");
            traceOut("PONG");
        }
        // Written when this read is processed, together with anything else queued for this client.
        outbound.appendProtocol(PONG);
        flushSet.add(this);
        firstPongSent = true;
    }

    @Override
    public void onPong() {
        if (trace) {
            traceIn("PONG");
        }
        pingsOut = 0;
        long sent = rttProbeSentNanos;
        if (sent != 0) {
            rttNanos = Math.max(1, System.nanoTime() - sent);
            rttProbeSentNanos = 0;
        }
    }

    @Override
    public void onInfo(byte[] buf, int off, int len) throws ProtocolException {
        // Clients may send INFO; the Go server only requires it to be valid JSON.
        try {
            Json.parseObject(new String(buf, off, len, StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            throw ProtocolException.closeSilently("bad INFO json from client: " + e.getMessage());
        }
    }

    @Override
    public void onError(byte[] buf, int off, int len) throws ProtocolException {
        throw ProtocolException.closeSilently("client sent -ERR " + new String(buf, off, len, StandardCharsets.ISO_8859_1));
    }

    // ---- Subscriber ------------------------------------------------------------------------------------

    @Override
    public boolean deliver(ServerSubscription sub, RoutedMessage m) {
        if (m.producerMayStall && Thread.currentThread() != readerThread) {
            try {
                outbound.awaitIfStalled();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        PermissionChecker checker = permissions;
        if (checker != null && checker.deniesSomeDeliveries() && checker.deniesDelivery(m.subjectString())) {
            return false;
        }
        int limit = sub.countDelivery();
        if (limit < 0) {
            return false;
        }
        boolean stripHeaders = m.hasHeaders() && !options.headers();
        boolean queued = outbound.appendMessage(sub.sid(), m, stripHeaders);
        ReplyPermissions replies = replyPermissions;
        if (replies != null && queued && m.hasReply()) {
            replies.requestDelivered(m.replyString());
        }
        if (trace && queued) {
            boolean headers = m.hasHeaders() && !stripHeaders;
            traceOut((headers ? "HMSG " : "MSG ") + m.subjectString() + " " + sub.sidString()
                    + (m.hasReply() ? " " + m.replyString() : "")
                    + (headers ? " " + m.headerSize : "") + " "
                    + (stripHeaders ? m.dataLength - m.headerSize : m.dataLength));
        }
        if (limit == 1) {
            unsubscribe(sub);
        }
        if (!queued && outbound.isSlowConsumer()) {
            slowConsumer();
        }
        return queued;
    }

    @Override
    public void flushPending() {
        if (Thread.currentThread() == readerThread) {
            outbound.flushInlineOrSignal(transport);
        } else {
            outbound.signal();
        }
    }

    private void slowConsumer() {
        if (closed.get()) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "cid {0}: Slow Consumer Detected: pending {1} bytes",
                id, outbound.pendingBytes());
        host.countSlowConsumer();
        // The Go server does not send -ERR to a slow consumer: its buffer is already full.
        close("Slow Consumer (Pending Bytes)");
    }

    // ---- liveness, called by the server's timer --------------------------------------------------------

    /** Sends a PING, or closes the connection as stale when too many went unanswered. */
    public void pingTick(boolean rttProbe, long intervalNanos) {
        if (closed.get()) {
            return;
        }
        boolean recentActivity = System.nanoTime() - lastActivityNanos < intervalNanos;
        if (!rttProbe && recentActivity) {
            return;
        }
        if (pingsOut + 1 > host.options().maxPingsOut()) {
            sendError("Stale Connection");
            close("Stale Connection");
            return;
        }
        pingsOut++;
        if (rttProbe || rttProbeSentNanos == 0) {
            rttProbeSentNanos = System.nanoTime();
        }
        sendProtocol(PING);
    }

    /**
     * Closes the connection as a slow consumer when a write to it has been blocked past the write
     * deadline, as the Go server does; closing the socket also frees a publisher blocked writing to it.
     */
    public void writeDeadlineTick(long deadlineNanos) {
        if (!closed.get() && outbound.writeStalled(deadlineNanos)) {
            LOG.log(System.Logger.Level.WARNING, "cid {0}: Slow Consumer Detected: WriteDeadline exceeded", id);
            host.countSlowConsumer();
            close("Slow Consumer (Write Deadline)");
            closeChannel();
        }
    }

    /** Closes the connection if it never authenticated within the auth timeout. */
    public void authTimeoutTick() {
        if (!connectReceived && !closed.get()) {
            sendError("Authentication Timeout");
            close("Authentication Timeout");
        }
    }

    // ---- output helpers --------------------------------------------------------------------------------

    public void sendError(String text) {
        if (trace) {
            traceOut("-ERR '" + text + "'");
        }
        sendProtocol(("-ERR '" + text + "'\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public void sendProtocol(byte[] bytes) {
        if (outbound.appendProtocol(bytes)) {
            outbound.signal();
        }
    }

    // ---- protocol trace (-V), in the Go server's format ----------------------------------------------

    private static final java.util.regex.Pattern PASSWORD =
            java.util.regex.Pattern.compile("(\"(?:pass|auth_token|sig)\"\\s*:\\s*\")[^\"]*(\")");

    private String tracePrefix() {
        return remoteIp + ":" + remotePort + " - cid:" + id;
    }

    private void traceIn(String op) {
        LOG.log(System.Logger.Level.TRACE, "{0} - <<- [{1}]", tracePrefix(), op);
    }

    private void traceOut(String op) {
        LOG.log(System.Logger.Level.TRACE, "{0} - ->> [{1}]", tracePrefix(), op);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n");
    }

    private void ackIfVerbose() {
        if (options.verbose()) {
            sendOk();
        }
    }

    private void sendOk() {
        if (trace) {
            traceOut("OK");
        }
        sendProtocol(OK);
    }

    /** Closes after the queued output is written (so a final -ERR reaches the client). */
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        // Forget the client before its socket can close, so nobody sees it counted after its EOF.
        host.removed(this);
        ServerSubscription[] subs;
        synchronized (subscriptions) {
            subs = subscriptions.values().toArray(ServerSubscription[]::new);
            subscriptions.clear();
        }
        for (ServerSubscription sub : subs) {
            sub.markClosed();
            sublist.remove(sub);
            Account.removeShadowSubscriptions(sub.shadows());
        }
        outbound.close();
        // The flusher closes the socket once drained; bound that in case the peer stopped reading.
        host.scheduleForcedClose(this::closeChannel);
    }

    public java.time.Instant startTime() {
        return startTime;
    }

    public long inMsgs() {
        return inMsgs;
    }

    public long inBytes() {
        return inBytes;
    }

    public long outMsgs() {
        return outbound.deliveredMessages();
    }

    public long outBytes() {
        return outbound.deliveredBytes();
    }

    public long pendingBytes() {
        return outbound.pendingBytes();
    }

    /** Milliseconds since this client last sent anything. */
    public long idleNanos() {
        return Math.max(0, System.nanoTime() - lastActivityNanos);
    }

    public String lang() {
        return options.lang();
    }

    public String version() {
        return options.version();
    }

    /** This client's subscriptions, for monitoring. */
    public java.util.List<ServerSubscription> subscriptionList() {
        synchronized (subscriptions) {
            return java.util.List.copyOf(subscriptions.values());
        }
    }

    /** Subjects this client subscribes to, for monitoring. */
    public java.util.List<String> subjects() {
        synchronized (subscriptions) {
            return subscriptions.values().stream().map(ServerSubscription::subject).toList();
        }
    }

    /** Whether asynchronous INFO updates (e.g. lame-duck mode) may be sent, under Go's rules. */
    public boolean acceptsAsyncInfo() {
        return options.protocol() >= 1 && firstPongSent;
    }

    public String closeReason() {
        return closeReason;
    }

    /** The TLS session of this client; empty for plain connections (and until the handshake is done). */
    public Optional<javax.net.ssl.SSLSession> tlsSession() {
        return transport.tlsSession();
    }

    private void closeChannel() {
        transport.close();
    }

    private static String[] splitArgs(byte[] buf, int off, int len) {
        String line = new String(buf, off, len, StandardCharsets.ISO_8859_1).strip();
        return line.isEmpty() ? new String[0] : line.split("[ \t\r\n]+");
    }

    private static long parseSize(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
