package nats.gateway.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import nats.api.links.Link;
import nats.api.links.LinkMessage;
import nats.api.links.QueueRole;
import nats.api.messaging.MessageOrigin;
import nats.api.messaging.MessageTrace;
import nats.api.net.Connection;
import nats.transport.json.Json;
import nats.transport.link.LinkChannel;
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

    private static final byte[] NO_PREFIX = new byte[0];

    final Gateways gateways;
    final long cid;
    final boolean outbound;
    /** The remote as configured or learned (outbound); null for an inbound one. */
    final RemoteGateway remote;
    /** Writer, counters, liveness and lines out, shared with the other kinds of links. */
    final LinkChannel channel;
    private final ReceivedLinkMessage inbound = new ReceivedLinkMessage(MessageOrigin.GATEWAY);
    final GatewayHandshake handshake;
    private volatile OutboundInterest outInterest;
    private volatile InboundInterest inInterest;

    GatewayConnection(Gateways gateways, long cid, Connection connection, RemoteGateway remote, GatewayUrl dialled) {
        this.gateways = gateways;
        this.cid = cid;
        this.outbound = remote != null;
        this.remote = remote;
        this.handshake = new GatewayHandshake(this, dialled);
        this.channel = new LinkChannel(connection, new RouteProtocolParser(this), gateways.settings().maxPending(),
                gateways.timers(), gateways.log(), this::close);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------

    /** Starts the writer; an inbound connection greets with this server's INFO and must send CONNECT in time. */
    void start() {
        channel.startWriter("nats-gateway-out-" + cid);
        if (!outbound) {
            channel.sendLine(gateways.infoLine());
            gateways.timers().schedule(() -> {
                if (!handshake.connectReceived() && !isClosed()) {
                    sendError("Authentication Timeout");
                    close("Authentication Timeout");
                }
            }, gateways.config().authTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    boolean isClosed() {
        return channel.isClosed();
    }

    void close(String reason) {
        if (channel.close()) {
            gateways.closed(this, reason);
        }
    }

    void startPings() {
        // Go pings gateways regardless of traffic, at most every 15 s.
        channel.startPings(Math.min(1000, interval()), () -> gateways.settings().maxPingsOut(), this::interval, true);
    }

    private long interval() {
        return Math.min(gateways.settings().pingInterval().toMillis(), 15_000);
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
        channel.register(gateways.links().register(this));
    }

    /** An outbound connection's view of the remote's interest, once the remote's INFO said which mode it runs. */
    void outboundInterest(boolean remoteInterestOnly) {
        outInterest = new OutboundInterest(channel.handle().orElseThrow(), remoteInterestOnly);
    }

    /** Queues a protocol line as it is (CONNECT, INFO). */
    void append(byte[] line) {
        channel.sendLine(line);
    }

    // ---- protocol ----------------------------------------------------------------------------------------

    @Override
    public void onPing() {
        channel.onPing();
    }

    @Override
    public void onPong() {
        channel.onPong();
    }

    @Override
    public void onError(byte[] buf, int off, int len) throws ProtocolException {
        String text = new String(buf, off, len, StandardCharsets.UTF_8);
        gateways.log().log(System.Logger.Level.ERROR, "{0} - gid:{1} - Gateway Error {2}", remoteAddress(), cid, text);
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
        if (!channel.received(len)) {
            return;
        }
        String account = channel.account(args);
        int skip = 0;
        if (ReplyPrefix.isRouted(args.buffer(), args.subjectOffset(), args.subjectLength())) {
            // Go's handleGatewayReply: a reply routed back to this cluster; another cluster's is dropped.
            if (!gateways.replyPrefix().isOwnCluster(args.buffer(), args.subjectOffset())) {
                return;
            }
            skip = ReplyPrefix.LENGTH;
        }
        inbound.wrap(args, buf, off, len, account, skip);
        if (!channel.publish(inbound) && skip == 0 && args.queuesLength() == 0) {
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
        return write(m, mapReply, m.dataArray(), m.dataOffset(), m.headerLength(), m.dataLength());
    }

    /** RMSG or HMSG with the given header block and payload (a traced message carries new headers). */
    private boolean write(LinkMessage m, boolean mapReply, byte[] bytes, int offset, int headerLength, int length) {
        return channel.sendMessage(m, m.account(), mapReply ? gateways.replyPrefix().bytes() : NO_PREFIX,
                bytes, offset, headerLength, length, handshake.peerHeaders());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public long sentMessages() {
        return channel.outMsgs();
    }

    @Override
    public long sentBytes() {
        return channel.outBytes();
    }

    // ---- lines out ----------------------------------------------------------------------------------------

    void sendLine(byte[] line) {
        channel.sendLine(line);
    }

    void sendLine(String line) {
        sendLine((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendError(String text) {
        channel.sendError(text);
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

    String remoteAddress() {
        return channel.remoteAddress();
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

}
