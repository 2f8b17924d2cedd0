package nats.server.internal.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import nats.api.messaging.MessageOrigin;
import nats.api.net.Connection;
import nats.server.internal.auth.NonceSignature;
import nats.server.internal.auth.ReplyPermissions;
import nats.transport.json.Json;
import nats.server.internal.routing.GatewayReplies;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.trace.ActiveTrace;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.tls.ClientTls;
import nats.server.options.User;
import nats.transport.net.PlainConnection;
import nats.transport.protocol.ClientProtocolHandler;
import nats.transport.protocol.ClientProtocolParser;
import nats.transport.protocol.ProtocolException;
import nats.transport.protocol.PubArgs;
import nats.transport.protocol.Subjects;
import nats.transport.tls.GoTlsNames;
import nats.transport.tls.TlsHandshake;

/**
 * A client speaking the NATS client protocol, on the client port or over a plugin's byte stream (WebSocket):
 * a {@link ReadLoop} parses what the client sends and routes its messages; an {@link Outbound} flusher
 * writes what the client receives. Mirrors the Go server's readLoop/writeLoop.
 */
public final class ClientConnection extends Client implements ClientProtocolHandler {

    private static final System.Logger LOG = System.getLogger(ClientConnection.class.getName());
    private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The byte stream: plain until (and unless) TLS replaces it in {@link #greet()}. */
    private volatile Connection transport;
    /** The client port's TLS; null without TLS (and for plugin streams, which bring their own). */
    private final ClientTls tls;
    private final Outbound outbound;
    private final ClientProtocolParser parser;
    private final RoutedMessage routed = new RoutedMessage();
    /** Replies shown without their gateway prefix, mapped back when the client answers (Go's gwReplyMapping). */
    private final GatewayReplies gatewayReplies = new GatewayReplies();
    private final ReadLoop reader;
    private final PlatformThreads.Activity flusherActivity = new PlatformThreads.Activity();
    /** Other threads' writes to this client's socket, possible while a platform reader keeps it non-blocking. */
    private final Outbound.NonBlockingWrite nonBlockingWrite =
            (srcs, offset, length) -> transport instanceof PlainConnection plain && plain.tryWrite(srcs, offset, length);
    private final ProtocolTrace trace;

    private volatile boolean connectReceived;
    private volatile int pingsOut;
    /** When the RTT probe PING went out; 0 when none is outstanding. */
    private volatile long rttProbeSentNanos;
    /** Set once this server answered a PING: the Go server sends async INFO only after that. */
    private volatile boolean firstPongSent;
    /** The nonce this client must sign to authenticate with an nkey; null when no nkey users exist. */
    private final String nonce;
    /** Counted by the reader in plain fields, published once per read for monitoring. */
    private long inMsgsCounting;
    private long inBytesCounting;
    private volatile long inMsgs;
    private volatile long inBytes;

    /** A client on the client port (plain TCP; {@code tls} runs the port's TLS in {@link #greet()}). */
    public ClientConnection(ClientHost host, SocketChannel channel, long id, Optional<ClientTls> tls) {
        this(host, new PlainConnection(channel), id, tls, ClientProfile.NATS);
    }

    /** A client over {@code connection} with the given profile (a plugin's stream, e.g. WebSocket). */
    public ClientConnection(ClientHost host, Connection connection, long id, Optional<ClientTls> tls,
                            ClientProfile profile) {
        super(host, id, address(connection).getAddress().getHostAddress(), address(connection).getPort(), profile);
        this.transport = connection;
        this.tls = tls.orElse(null);
        this.outbound = new Outbound(host.options().maxPending());
        this.parser = new ClientProtocolParser(this, host.options().maxControlLine());
        this.routed.publisher = this;
        this.routed.kind = MessageOrigin.CLIENT;
        this.routed.producerMayStall = true;
        this.trace = host.options().trace() ? new ProtocolTrace(this) : null;
        this.nonce = host.nonceRequired() ? NonceSignature.newNonce() : null;
        this.reader = new ReadLoop(() -> transport, new Reading(), "nats-client-" + id);
    }

    private static InetSocketAddress address(Connection connection) {
        InetSocketAddress remote = connection.remoteAddress();
        return remote.getAddress() == null ? new InetSocketAddress("0.0.0.0", remote.getPort()) : remote;
    }

    @Override
    public String nonce() {
        return nonce;
    }

    @Override
    public boolean isConnected() {
        return connectReceived;
    }

    // ---- start ---------------------------------------------------------------------------------------------

    /** Greets and immediately turns the client away (e.g. too many connections), as the Go server does. */
    public void reject(String error, String reason) {
        startFlusher();
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
        if (tls == null) {
            startFlusher();
            outbound.appendProtocol(host.infoLine(this));
            outbound.signal();
            return true;
        }
        boolean handshakeFirst = tls.options().handshakeFirst();
        try {
            SocketChannel channel = ((PlainConnection) transport).channel();
            transport = TlsHandshake.accept(channel, tls.server(), host.options().allowNonTls(),
                    handshakeFirst ? null : host.infoLine(this));
        } catch (TlsHandshake.Refused e) {
            LOG.log(e.level(), "{0} - {1}", tracePrefix(), e.getMessage());
            close(e.closeReason());
            return false;
        }
        transport.tlsSession().ifPresent(session -> LOG.log(System.Logger.Level.DEBUG,
                "{0} - TLS handshake complete, TLS version {1}, cipher suite {2}", tracePrefix(),
                GoTlsNames.goVersion(session.getProtocol()), GoTlsNames.goCipher(session.getCipherSuite())));
        startFlusher();
        if (handshakeFirst) {
            outbound.appendProtocol(host.infoLine(this));
            outbound.signal();
        }
        // Closed during the handshake (e.g. server shutdown): the flusher finds nothing to do and closes the socket.
        return !isClosed();
    }

    /**
     * Reads and processes client input until the connection ends; called after {@link #greet()}. The
     * caller's (virtual) thread is the reader until the connection gets busy; see {@link ReadLoop}.
     */
    public void readLoop() {
        reader.run();
    }

    /** The read loop's view of this connection. */
    private final class Reading implements ReadLoop.Reader {

        @Override
        public void onBytes(byte[] buffer, int offset, int length) throws ProtocolException {
            lastActivityNanos = System.nanoTime();
            parser.parse(buffer, offset, length);
        }

        @Override
        public void afterRead() {
            // Counts first: once output is flushed the client may already ask monitoring for them.
            inMsgs = inMsgsCounting;
            inBytes = inBytesCounting;
            pipeline.flush();
        }

        /**
         * A busy client's platform reader keeps a plain socket in non-blocking mode, so that other readers may
         * write small output to it without waking its flusher (see {@link Outbound#flushFromElsewhere}); a
         * virtual reader needs blocking mode back, and waits for it while a write is under way.
         */
        @Override
        public boolean beforeMove(boolean toPlatform) {
            if (!(transport instanceof PlainConnection plain)) {
                return true;
            }
            if (toPlatform) {
                // A platform reader works in either mode: a failed switch only keeps the hand-offs.
                outbound.switchMode(true, plain::enterNonBlocking);
                return true;
            }
            return !plain.isNonBlocking() || outbound.switchMode(false, plain::leaveNonBlocking);
        }

        @Override
        public boolean stopped() {
            return isClosed();
        }

        @Override
        public void ended(Throwable cause) {
            if (cause == null) {
                close("Client Closed");
            } else if (cause instanceof ProtocolException e) {
                protocolViolation(e);
            } else {
                if (!isClosed()) {
                    LOG.log(System.Logger.Level.DEBUG, "cid {0}: read ended: {1}", id, cause.toString());
                }
                close("Read Error");
            }
        }
    }

    private void startFlusher() {
        Thread.ofVirtual().name("nats-flush-" + id).start(this::flushLoop);
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
                // Go's close reason lets a framing tell the peer why (a WebSocket close frame).
                transport.close(closeReason());
                // Output that can no longer be written gives its off-heap chunks back.
                outbound.discard();
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
            startFlusher();
        }
    }

    private void protocolViolation(ProtocolException e) {
        LOG.log(System.Logger.Level.DEBUG, "cid {0}: {1}", id, e.getMessage());
        if (!e.clientError().isEmpty()) {
            sendError(e.clientError());
        }
        close(closeReasonFor(e.clientError()));
    }

    /** Go's close reason (ClosedState) for the errors that end a connection at CONNECT or PUB. */
    private static String closeReasonFor(String clientError) {
        return switch (clientError) {
            case "Authorization Violation" -> "Authentication Failure";
            case "maximum account active connections exceeded" -> "Maximum Account Connections Exceeded";
            case "invalid client protocol" -> "Bad Client Protocol Version";
            case "no responders requires headers support" -> "No Responders Requires Headers";
            case "Maximum Payload Violation" -> "Maximum Message Payload Exceeded";
            default -> "Protocol Violation";
        };
    }

    // ---- ClientProtocolHandler -------------------------------------------------------------------------

    @Override
    public boolean acceptsOperationsBeforeConnect() {
        return connectReceived || !host.options().authRequired();
    }

    @Override
    public void onConnect(byte[] buf, int off, int len) throws ProtocolException {
        String text = new String(buf, off, len, StandardCharsets.UTF_8);
        if (trace != null) {
            trace.connect(text);
        }
        // As in Go, the time from accepting to CONNECT is the first estimate of the round trip.
        rttNanos = Math.max(1, System.nanoTime() - startNanos);
        ConnectOptions parsed;
        try {
            parsed = profile().withDefaultJwt(ConnectOptions.parse(text));
        } catch (Json.JsonException e) {
            throw ProtocolException.closeSilently("bad CONNECT json: " + e.getMessage());
        }
        if (host.authRequired(profile())) {
            Optional<Authenticated> granted = tls != null && tls.userMapping().isPresent()
                    ? certificateUser(parsed) : host.authenticate(profile(), parsed, nonce, remoteIp());
            if (granted.isEmpty()) {
                refused(parsed);
                host.authenticationFailed(this);
                throw ProtocolException.fatal("Authorization Violation", "authentication failed for user '"
                        + parsed.user() + "'");
            }
            if (!accountHasRoom(granted.get())) {
                throw ProtocolException.fatal("maximum account active connections exceeded",
                        "account " + granted.get().account().name() + " at its connection limit");
            }
            grant(granted.get(), parsed);
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
        if (trace != null) {
            trace.publishArgs(args);
        }
        if (args.hasHeaders() && !options.headers()) {
            throw ProtocolException.closeSilently("HPUB from a client without headers support");
        }
        long maxPayload = maxPayload();
        if (args.totalSize() > maxPayload) {
            if (args.hasHeaders() && account() != null) {
                host.tracer().refusedForSize(args.following(), args.followingOffset(), args.followingLength(),
                        args.totalSize(), id(), traceName(), account().name());
            }
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
        if (trace != null) {
            trace.payload(buf, off, len);
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
        m.originAccount = account().name();
        m.prepareSizes();
        inMsgsCounting++;
        inBytesCounting += len;
        // Only a message with headers can ask for a trace (Go 2.11), so the check costs nothing without them.
        ActiveTrace traced = m.headerSize > 0 ? host.tracer().fromClient(buf, off, m.headerSize, len, id(),
                traceName(), m.originAccount, m.subject, m.subjectOffset, m.subjectLength) : null;
        m.trace = traced;
        if (GatewayReplies.isReserved(m.subject, m.subjectOffset, m.subjectLength)) {
            // Go reserves the gateway reply prefix: a client answers to the bare reply and the server maps it.
            refused("Permissions Violation for Publish to \"" + m.subjectString() + "\"", traced);
            return;
        }
        switch (pipeline.admit(m)) {
            case DENIED_SUBJECT -> {
                // As in Go: the message is dropped, no +OK, and the connection stays.
                refused("Permissions Violation for Publish to \"" + m.subjectString() + "\"", traced);
                return;
            }
            case DENIED_REPLY -> {
                // Replies starting with _R_. route service responses between accounts; clients may not forge them.
                refused("Permissions Violation for Publish with Reply of \"" + m.replyString() + "\"", traced);
                return;
            }
            case ALLOWED -> {
            }
        }
        // The Go server acknowledges a verbose PUB before routing it.
        if (options.verbose()) {
            sendOk();
        }
        byte[] routedReply = gatewayReplies.routedSubject(m.subject, m.subjectOffset, m.subjectLength);
        boolean delivered;
        if (routedReply == null) {
            delivered = pipeline.route(m, options.echo());
        } else {
            m.subject = routedReply;
            m.subjectOffset = 0;
            m.subjectLength = routedReply.length;
            delivered = pipeline.routeToLinks(m);
        }
        if (!delivered && m.hasReply() && options.noResponders()) {
            sendNoResponders(m);
        }
        if (traced != null) {
            m.trace = null;
            traced.finish();
        }
    }

    private void refused(String error, ActiveTrace traced) {
        sendError(error);
        if (traced != null) {
            routed.trace = null;
            traced.ingressError(error);
            traced.finish();
        }
    }

    private void sendNoResponders(RoutedMessage m) {
        String reply = m.replyString();
        for (ServerSubscription sub : account().sublist().match(reply).plain()) {
            if (sub.subscriber() == this) {
                String frame = "HMSG " + reply + " " + sub.sidString() + " 16 16\r\nNATS/1.0 503\r\n\r\n\r\n";
                sendProtocol(frame.getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
        }
    }

    @Override
    public void onSubscribe(byte[] buf, int off, int len) throws ProtocolException {
        if (trace != null) {
            trace.in("SUB " + new String(buf, off, len, StandardCharsets.UTF_8));
        }
        String[] args = ProtocolArgs.split(buf, off, len);
        if (args.length != 2 && args.length != 3) {
            throw ProtocolException.closeSilently("SUB parse error");
        }
        String subject = args[0];
        String queue = args.length == 3 ? args[1] : null;
        switch (subscribe(subject, queue, args[args.length - 1], this, null)) {
            case DENIED -> sendError(queue == null ? "Permissions Violation for Subscription to \"" + subject + "\""
                    : "Permissions Violation for Subscription to \"" + subject + "\" using queue \"" + queue + "\"");
            case TOO_MANY -> sendError("maximum subscriptions exceeded");
            case INVALID_SUBJECT -> sendError("Invalid Subject");
            case OK, DUPLICATE -> ackIfVerbose();
        }
    }

    @Override
    public void onUnsubscribe(byte[] buf, int off, int len) throws ProtocolException {
        if (trace != null) {
            trace.in("UNSUB " + new String(buf, off, len, StandardCharsets.UTF_8));
        }
        String[] args = ProtocolArgs.split(buf, off, len);
        if (args.length != 1 && args.length != 2) {
            throw ProtocolException.closeSilently("UNSUB parse error");
        }
        long max = args.length == 2 ? ProtocolArgs.parseSize(args[1]) : -1;
        ServerSubscription sub = subscription(args[0]);
        boolean remove = false;
        if (sub != null) {
            if (max > 0 && max > sub.delivered()) {
                sub.setMax(max);
            } else {
                remove = true;
            }
        }
        ackIfVerbose();
        if (remove) {
            unsubscribe(sub);
        }
    }

    @Override
    public void onPing() {
        if (trace != null) {
            trace.in("PING");
            trace.out("PONG");
        }
        // Go: a client that takes async INFO and connected before the INFO last changed gets it before its first PONG.
        if (!firstPongSent && connectReceived && options.protocol() >= 1 && host.infoChangedSince(startNanos)) {
            outbound.appendProtocol(host.infoLine(this));
        }
        // Written when this read is processed, together with anything else queued for this client.
        outbound.appendProtocol(PONG);
        pipeline.touched().add(this);
        firstPongSent = true;
    }

    @Override
    public void onPong() {
        if (trace != null) {
            trace.in("PONG");
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
        if (m.producerMayStall && !reader.isReaderThread()) {
            try {
                outbound.awaitIfStalled();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int limit = admitDelivery(sub, m);
        if (limit < 0) {
            return false;
        }
        boolean stripHeaders = m.hasHeaders() && !options.headers();
        int replySkip = m.hasReply() ? GatewayReplies.prefixLength(m.reply, m.replyOffset, m.replyLength) : 0;
        boolean queued = outbound.appendMessage(sub.sid(), m, stripHeaders, replySkip);
        if (queued && replySkip > 0) {
            gatewayReplies.track(m.reply, m.replyOffset, m.replyLength);
        }
        ReplyPermissions replies = pipeline.replyPermissions();
        if (replies != null && queued && m.hasReply()) {
            replies.requestDelivered(replySkip == 0 ? m.replyString() : new String(m.reply,
                    m.replyOffset + replySkip, m.replyLength - replySkip, StandardCharsets.ISO_8859_1));
        }
        if (trace != null && queued) {
            trace.delivered(sub, m, stripHeaders, replySkip);
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
        if (reader.isReaderThread()) {
            outbound.flushInlineOrSignal(transport);
        } else {
            outbound.flushFromElsewhere(nonBlockingWrite);
        }
    }

    private void slowConsumer() {
        if (isClosed()) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "cid {0}: Slow Consumer Detected: pending {1} bytes",
                id, outbound.pendingBytes());
        host.countSlowConsumer();
        account().countSlowConsumer();
        // The Go server does not send -ERR to a slow consumer: its buffer is already full.
        close("Slow Consumer (Pending Bytes)");
    }

    // ---- liveness, called by the server's timer --------------------------------------------------------

    /** Sends a PING, or closes the connection as stale when too many went unanswered. */
    public void pingTick(boolean rttProbe, long intervalNanos) {
        if (isClosed()) {
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
        if (!isClosed() && outbound.writeStalled(deadlineNanos)) {
            LOG.log(System.Logger.Level.WARNING, "cid {0}: Slow Consumer Detected: WriteDeadline exceeded", id);
            host.countSlowConsumer();
            account().countSlowConsumer();
            close("Slow Consumer (Write Deadline)");
            transport.close();
        }
    }

    /** Closes the connection if it never authenticated within the auth timeout. */
    public void authTimeoutTick() {
        if (!connectReceived && !isClosed()) {
            sendError("Authentication Timeout");
            close("Authentication Timeout");
        }
    }

    // ---- output helpers --------------------------------------------------------------------------------

    @Override
    public void sendError(String text) {
        if (trace != null) {
            trace.out("-ERR '" + text + "'");
        }
        sendProtocol(("-ERR '" + text + "'\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public void sendProtocol(byte[] bytes) {
        if (outbound.appendProtocol(bytes)) {
            outbound.signal();
        }
    }

    @Override
    public void asyncInfo(byte[] infoLine) {
        // Go sends asynchronous INFO only to clients that said protocol 1 and got a PONG already.
        if (options.protocol() >= 1 && firstPongSent) {
            sendProtocol(infoLine);
        }
    }

    private void ackIfVerbose() {
        if (options.verbose()) {
            sendOk();
        }
    }

    private void sendOk() {
        if (trace != null) {
            trace.out("OK");
        }
        sendProtocol(OK);
    }

    String tracePrefix() {
        return remoteIp() + ":" + remotePort() + " - cid:" + id;
    }

    /** Closes after the queued output is written (so a final -ERR reaches the client). */
    @Override
    protected void closed(String reason) {
        outbound.close();
        // The flusher closes the socket once drained; bound that in case the peer stopped reading.
        host.scheduleForcedClose(transport::close);
    }

    // ---- monitoring ----------------------------------------------------------------------------------------

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
        return outbound.deliveredMessages();
    }

    @Override
    public long outBytes() {
        return outbound.deliveredBytes();
    }

    @Override
    public long pendingBytes() {
        return outbound.pendingBytes();
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return transport.tlsSession();
    }
}
