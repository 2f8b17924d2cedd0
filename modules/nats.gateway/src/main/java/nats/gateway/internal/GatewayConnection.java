package nats.gateway.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import nats.api.links.Link;
import nats.api.links.LinkHandle;
import nats.api.links.LinkMessage;
import nats.api.links.LinkPublisher;
import nats.api.links.QueueRole;
import nats.api.messaging.MessageOrigin;
import nats.api.messaging.MessageTrace;
import nats.api.net.Connection;
import nats.transport.json.Json;
import nats.transport.net.OutboundQueue;
import nats.transport.protocol.ProtocolException;
import nats.transport.protocol.ReceivedLinkMessage;
import nats.transport.protocol.RouteProtocolHandler;
import nats.transport.protocol.RouteProtocolParser;
import nats.transport.protocol.RoutedMessageArgs;

/**
 * One gateway connection, as Go's gateway client: outbound (this server dialled it; messages go out on it and
 * the remote's interest comes in) or inbound (the remote dialled; its messages come in and this cluster's
 * interest goes out). It speaks Go's gateway protocol over the route parser, registers with the kernel as a
 * {@link Link} (an inbound one holds no interest, it only injects), and writes through its own writer thread.
 */
final class GatewayConnection implements Link, RouteProtocolHandler {

    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RMSG = "RMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HMSG = "HMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] REPLY_AND_QUEUES = {'+', ' '};
    private static final byte[] QUEUES_ONLY = {'|', ' '};
    private static final int INLINE_LIMIT = 16 * 1024;

    final Gateways gateways;
    final long cid;
    final boolean outbound;
    final Connection connection;
    /** The remote as configured or learned (outbound); null for an inbound one. */
    final RemoteGateway remote;
    private final RouteProtocolParser parser = new RouteProtocolParser(this);
    private final OutboundQueue out;
    private final ReceivedLinkMessage inbound = new ReceivedLinkMessage(MessageOrigin.GATEWAY);
    private final AtomicBoolean closed = new AtomicBoolean();
    final Instant start = Instant.now();
    private final String remoteAddress;
    final GatewayHandshake handshake;
    private volatile LinkHandle handle;
    private LinkPublisher publisher;
    private volatile OutboundInterest outInterest;
    private volatile InboundInterest inInterest;
    private volatile long lastActivityMillis = System.currentTimeMillis();
    private volatile int pingsOut;
    private volatile long pingSentNanos;
    private volatile long rttNanos;
    private long inMsgsCounting;
    private long inBytesCounting;
    private volatile long inMsgs;
    private volatile long inBytes;
    private String lastAccount;
    private byte[] lastAccountBytes;
    private String inboundAccount;

    GatewayConnection(Gateways gateways, long cid, Connection connection, RemoteGateway remote, GatewayUrl dialled) {
        this.gateways = gateways;
        this.cid = cid;
        this.outbound = remote != null;
        this.connection = connection;
        this.remote = remote;
        this.handshake = new GatewayHandshake(this, dialled);
        this.out = new OutboundQueue(gateways.settings().maxPending());
        this.remoteAddress = address(connection);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------

    /** Starts the writer; an inbound connection greets with this server's INFO and must send CONNECT in time. */
    void start() {
        Thread.ofPlatform().daemon().name("nats-gateway-out-" + cid).start(this::writeLoop);
        if (!outbound) {
            out.append(gateways.infoLine());
            gateways.timers().schedule(() -> {
                if (!handshake.connectReceived() && !isClosed()) {
                    sendError("Authentication Timeout");
                    close("Authentication Timeout");
                }
            }, gateways.config().authTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void writeLoop() {
        try {
            out.writeLoop(connection);
        } catch (java.io.IOException e) {
            close("Write Error");
        } finally {
            connection.close();
        }
    }

    /** The bytes of one read. */
    void onBytes(byte[] buffer, int offset, int length) throws ProtocolException {
        lastActivityMillis = System.currentTimeMillis();
        try {
            parser.parse(buffer, offset, length);
        } finally {
            inMsgs = inMsgsCounting;
            inBytes = inBytesCounting;
            LinkPublisher p = publisher;
            if (p != null) {
                p.flush();
            }
        }
    }

    /** The read side ended: EOF (null) or an error. */
    void readEnded(Throwable cause) {
        if (cause instanceof ProtocolException e) {
            if (!e.clientError().isEmpty()) {
                sendError(e.clientError());
            }
            gateways.log().log(System.Logger.Level.DEBUG, "gateway {0}: {1}", cid, e.getMessage());
            close("Protocol Violation");
        } else {
            close(cause == null ? "Client Closed" : "Read Error");
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LinkHandle h = handle;
        if (h != null) {
            h.close();
        }
        out.close();
        gateways.timers().schedule(() -> connection.close(), 2, TimeUnit.SECONDS);
        gateways.closed(this, reason);
    }

    void startPings() {
        // Go pings gateways regardless of traffic, at most every 15 s.
        long first = Math.min(1000, interval());
        gateways.timers().schedule(this::pingTick, first, TimeUnit.MILLISECONDS);
    }

    private long interval() {
        return Math.min(gateways.settings().pingInterval().toMillis(), 15_000);
    }

    private void pingTick() {
        if (isClosed()) {
            return;
        }
        if (pingsOut + 1 > gateways.settings().maxPingsOut()) {
            sendError("Stale Connection");
            close("Stale Connection");
            return;
        }
        pingsOut++;
        pingSentNanos = System.nanoTime();
        out.append(PING);
        gateways.timers().schedule(this::pingTick, interval(), TimeUnit.MILLISECONDS);
    }

    void writeDeadlineTick(long deadlineNanos) {
        if (!isClosed() && out.writeStalledFor(deadlineNanos)) {
            close("Slow Consumer (Write Deadline)");
            connection.close();
        }
    }

    // ---- handshake (GatewayHandshake decides) ---------------------------------------------------------------

    @Override
    public void onConnect(byte[] buf, int off, int len) throws ProtocolException {
        handshake.connect(parse(buf, off, len, "CONNECT"));
    }

    @Override
    public void onInfo(byte[] buf, int off, int len) throws ProtocolException {
        handshake.info(parse(buf, off, len, "INFO"));
    }

    /** The handshake registered the connection: it holds interest (outbound) and injects what it receives. */
    void registerWithKernel() {
        handle = gateways.links().register(this);
        publisher = handle.publisher();
        if (isClosed()) {
            handle.close();
        }
    }

    /** An outbound connection's view of the remote's interest, once the remote's INFO said which mode it runs. */
    void outboundInterest(boolean remoteInterestOnly) {
        outInterest = new OutboundInterest(handle, remoteInterestOnly);
    }

    /** Queues a protocol line as it is (CONNECT, INFO). */
    void append(byte[] line) {
        out.append(line);
    }

    // ---- protocol ----------------------------------------------------------------------------------------

    @Override
    public void onPing() {
        out.append(PONG);
    }

    @Override
    public void onPong() {
        pingsOut = 0;
        long sent = pingSentNanos;
        if (sent != 0) {
            rttNanos = Math.max(1, System.nanoTime() - sent);
        }
    }

    @Override
    public void onError(byte[] buf, int off, int len) throws ProtocolException {
        String text = new String(buf, off, len, StandardCharsets.UTF_8);
        gateways.log().log(System.Logger.Level.ERROR, "{0} - gid:{1} - Gateway Error {2}", remoteAddress, cid, text);
        throw ProtocolException.closeSilently("gateway sent -ERR " + text);
    }

    @Override
    public void onSubscribe(byte[] buf, int off, int len) throws ProtocolException {
        String[] args = interestArgs(buf, off, len, "RS+", 2, 4);
        String queue = args.length == 4 ? args[2] : null;
        outInterest.subscribe(args[0], args[1], queue);
    }

    @Override
    public void onUnsubscribe(byte[] buf, int off, int len) throws ProtocolException {
        String[] args = interestArgs(buf, off, len, "RS-", 2, 3);
        outInterest.unsubscribe(args[0], args[1], args.length == 3 ? args[2] : null);
    }

    @Override
    public void onAccountSubscribe(byte[] buf, int off, int len) throws ProtocolException {
        outInterest.accountSubscribe(interestArgs(buf, off, len, "A+", 1, 1)[0]);
    }

    @Override
    public void onAccountUnsubscribe(byte[] buf, int off, int len) throws ProtocolException {
        outInterest.accountUnsubscribe(interestArgs(buf, off, len, "A-", 1, 1)[0]);
    }

    /** Interest protocols come only on outbound connections (Go closes an inbound one that sends them). */
    private String[] interestArgs(byte[] buf, int off, int len, String op, int min, int max) throws ProtocolException {
        if (!outbound || outInterest == null) {
            gateways.log().log(System.Logger.Level.ERROR, "Received {0} from gateway on inbound connection", op);
            throw ProtocolException.closeSilently(op + " on an inbound gateway");
        }
        String[] args = new String(buf, off, len, StandardCharsets.UTF_8).trim().split("[ \t]+");
        if (args.length < min || args.length > max || (args.length != min && args.length != max)) {
            throw ProtocolException.closeSilently("gateway " + op + " parse error: '" + String.join(" ", args) + "'");
        }
        return args;
    }

    @Override
    public void onMessage(RoutedMessageArgs args, byte[] buf, int off, int len) {
        inMsgsCounting++;
        inBytesCounting += len;
        LinkPublisher p = publisher;
        if (p == null) {
            return;
        }
        String account = accountName(args);
        int skip = 0;
        if (ReplyPrefix.isRouted(args.buffer(), args.subjectOffset(), args.subjectLength())) {
            // Go's handleGatewayReply: a reply routed back to this cluster; another cluster's is dropped.
            if (!gateways.replyPrefix().isOwnCluster(args.buffer(), args.subjectOffset())) {
                return;
            }
            skip = ReplyPrefix.LENGTH;
        }
        inbound.wrap(args, buf, off, len, account, skip);
        if (!p.publish(inbound) && skip == 0 && args.queuesLength() == 0) {
            gateways.noInterest(this, account, args.subject());
        }
    }

    // ---- Link --------------------------------------------------------------------------------------------

    @Override
    public String name() {
        return (outbound ? "outbound" : "inbound") + " gateway " + handshake.remoteName();
    }

    @Override
    public MessageOrigin kind() {
        return MessageOrigin.GATEWAY;
    }

    /** Go sends to gateways what clients, the server itself and leaf nodes publish; never what a route or gateway brought. */
    @Override
    public boolean forwards(MessageOrigin origin) {
        return origin == MessageOrigin.CLIENT || origin == MessageOrigin.INTERNAL || origin == MessageOrigin.LEAF;
    }

    /** A remote cluster's queue members get a message only when no member in this cluster took it. */
    @Override
    public QueueRole queueRole(MessageOrigin origin) {
        return forwards(origin) ? QueueRole.FALLBACK : QueueRole.NONE;
    }

    @Override
    public boolean send(LinkMessage m) {
        OutboundInterest interest = outInterest;
        if (interest == null || (!m.hasQueues()
                && interest.suppressed(m.account(), m.subjectArray(), m.subjectOffset(), m.subjectLength()))) {
            return true;
        }
        boolean mapReply = m.hasReply() && gateways.interest().recentlySubscribed(m.account(), m.replyArray(),
                m.replyOffset(), m.replyLength());
        MessageTrace trace = m.trace();
        if (trace != null) {
            return sendTraced(m, mapReply, trace);
        }
        return write(m, mapReply);
    }

    /** Writes a {@code _GR_.} reply as it is, to the cluster it names (Go's direct send). */
    boolean sendDirect(LinkMessage m) {
        MessageTrace trace = m.trace();
        return trace != null ? sendTraced(m, false, trace) : write(m, false);
    }

    /**
     * A traced message (Go 2.11's msgtrace): a server of the other cluster at Go's MsgTraceProto level gets it with
     * its hop id ({@code Nats-Trace-Hop}) and sends its own event; one below it (Go 2.9) is told nothing, gets the
     * message only when more than the trace was asked for, and the egress entry says no event comes from there.
     */
    private boolean sendTraced(LinkMessage m, boolean mapReply, MessageTrace trace) {
        String peer = handshake.remoteName();
        if (!handshake.peerTraces()) {
            if (trace.traceOnly()) {
                trace.linkEgress(MessageOrigin.GATEWAY, cid, peer, null, MessageTrace.ERROR_TRACE_ONLY_NOT_SUPPORTED);
                return false;
            }
            boolean sent = write(m, mapReply);
            trace.linkEgress(MessageOrigin.GATEWAY, cid, peer, null, MessageTrace.ERROR_NOT_SUPPORTED);
            return sent;
        }
        String hop = trace.nextHop();
        byte[] headers = trace.headersForHop(m.account(), hop);
        int payload = m.dataLength() - Math.max(0, m.headerLength());
        byte[] data = java.util.Arrays.copyOf(headers, headers.length + payload);
        System.arraycopy(m.dataArray(), m.dataOffset() + Math.max(0, m.headerLength()), data, headers.length, payload);
        boolean sent = write(m, mapReply, data, 0, headers.length, data.length);
        trace.linkEgress(MessageOrigin.GATEWAY, cid, peer, hop, sent ? null : "Not delivered because client is closed");
        return sent;
    }

    private boolean write(LinkMessage m, boolean mapReply) {
        return write(m, mapReply, m.dataArray(), m.dataOffset(), Math.max(0, m.headerLength()), m.dataLength());
    }

    /** RMSG or HMSG with the given header block and payload ({@code headerLength} 0 for none). */
    private boolean write(LinkMessage m, boolean mapReply, byte[] bytes, int offset, int headerLength, int length) {
        byte[] account = accountBytes(m.account());
        boolean hasHeaders = headerLength > 0;
        boolean headers = hasHeaders && handshake.peerHeaders();
        int dataOffset = offset + (hasHeaders && !headers ? headerLength : 0);
        int dataLength = length - (hasHeaders && !headers ? headerLength : 0);
        byte[] prefix = gateways.replyPrefix().bytes();
        int replyLength = m.replyLength() + (mapReply ? prefix.length : 0);
        int max = 5 + account.length + 1 + m.subjectLength() + 1 + 2 + replyLength + 1 + m.queuesLength() + 1
                + 22 + 2 + dataLength + 2;
        if (!out.begin(max)) {
            if (out.isOverLimit()) {
                gateways.timers().execute(() -> close("Slow Consumer (Pending Bytes)"));
            }
            return false;
        }
        try {
            out.put(headers ? HMSG : RMSG);
            out.put(account);
            out.put((byte) ' ');
            out.put(m.subjectArray(), m.subjectOffset(), m.subjectLength());
            out.put((byte) ' ');
            if (m.hasQueues()) {
                if (m.hasReply()) {
                    out.put(REPLY_AND_QUEUES);
                    putReply(m, mapReply, prefix);
                } else {
                    out.put(QUEUES_ONLY);
                }
                out.put(m.queuesArray(), m.queuesOffset(), m.queuesLength());
                out.put((byte) ' ');
            } else if (m.hasReply()) {
                putReply(m, mapReply, prefix);
            }
            if (headers) {
                out.putDecimal(headerLength);
                out.put((byte) ' ');
            }
            out.putDecimal(dataLength);
            out.put(CRLF);
            out.put(bytes, dataOffset, dataLength);
            out.put(CRLF);
        } finally {
            out.end(true, dataLength);
        }
        return true;
    }

    private void putReply(LinkMessage m, boolean mapReply, byte[] prefix) {
        if (mapReply) {
            out.put(prefix);
        }
        out.put(m.replyArray(), m.replyOffset(), m.replyLength());
        out.put((byte) ' ');
    }

    @Override
    public void flush() {
        try {
            if (!out.writeInline(connection, INLINE_LIMIT)) {
                out.signal();
            }
        } catch (java.io.IOException e) {
            gateways.timers().execute(() -> close("Write Error"));
        }
    }

    @Override
    public long sentMessages() {
        return out.messages();
    }

    @Override
    public long sentBytes() {
        return out.messageBytes();
    }

    // ---- lines out ----------------------------------------------------------------------------------------

    void sendLine(byte[] line) {
        if (!out.append(line) && out.isOverLimit()) {
            gateways.timers().execute(() -> close("Slow Consumer (Pending Bytes)"));
        }
    }

    void sendLine(String line) {
        sendLine((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendError(String text) {
        sendLine("-ERR '" + text + "'");
    }

    /** The inbound side's interest bookkeeping, set when the connection registers. */
    void inboundInterest(InboundInterest interest) {
        this.inInterest = interest;
    }

    InboundInterest inboundInterest() {
        return inInterest;
    }

    OutboundInterest outboundInterest() {
        return outInterest;
    }

    // ---- monitoring ----------------------------------------------------------------------------------------

    String remoteName() {
        return handshake.remoteName();
    }

    String remoteId() {
        return handshake.remoteId();
    }

    long inMsgs() {
        return inMsgs;
    }

    long inBytes() {
        return inBytes;
    }

    long outMsgs() {
        return out.messages();
    }

    long outBytes() {
        return out.messageBytes();
    }

    long pendingBytes() {
        return out.pendingBytes();
    }

    long rttNanos() {
        return rttNanos;
    }

    int interestCount() {
        LinkHandle h = handle;
        return h == null ? 0 : h.interestCount();
    }

    Instant lastActivity() {
        return Instant.ofEpochMilli(lastActivityMillis);
    }

    String remoteAddress() {
        return remoteAddress;
    }

    java.util.Optional<javax.net.ssl.SSLSession> tlsSession() {
        return connection.tlsSession();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static Map<String, Object> parse(byte[] buf, int off, int len, String what) throws ProtocolException {
        try {
            return Json.parseObject(new String(buf, off, len, StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            throw ProtocolException.closeSilently("bad gateway " + what + ": " + e.getMessage());
        }
    }

    static List<String> strings(Object v) {
        return v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    private static String address(Connection connection) {
        java.net.InetSocketAddress a = connection.remoteAddress();
        return (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":" + a.getPort();
    }

    private byte[] accountBytes(String account) {
        if (account != lastAccount) {
            lastAccountBytes = account.getBytes(StandardCharsets.UTF_8);
            lastAccount = account;
        }
        return lastAccountBytes;
    }

    private String accountName(RoutedMessageArgs args) {
        String known = inboundAccount;
        if (known != null && known.length() == args.accountLength()
                && sameAscii(known, args.buffer(), args.accountOffset(), args.accountLength())) {
            return known;
        }
        inboundAccount = args.account();
        return inboundAccount;
    }

    private static boolean sameAscii(String s, byte[] buf, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (buf[off + i] != (byte) s.charAt(i) || s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
