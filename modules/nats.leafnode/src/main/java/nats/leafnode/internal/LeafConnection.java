package nats.leafnode.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import nats.api.links.InterestFeed;
import nats.api.links.Link;
import nats.api.links.LinkHandle;
import nats.api.links.LinkMessage;
import nats.api.links.QueueRole;
import nats.api.messaging.MessageOrigin;
import nats.api.messaging.MessageTrace;
import nats.api.net.Connection;
import nats.transport.compress.CompressionOptions;
import nats.transport.compress.S2Writer;
import nats.transport.link.LinkChannel;
import nats.transport.protocol.InterestLine;
import nats.transport.protocol.ProtocolException;
import nats.transport.protocol.ReceivedLinkMessage;
import nats.transport.protocol.RouteProtocolHandler;
import nats.transport.protocol.RouteProtocolParser;
import nats.transport.protocol.RoutedMessageArgs;

/**
 * One leaf-node connection, either side: it reads Go's leaf protocol ({@code LS+}/{@code LS-}, {@code LMSG},
 * {@code HMSG}), records the other side's interest in its bound account and injects its messages, and writes
 * this server's interest and the messages the kernel hands it as a {@link Link}. Its role decides the rules, as in
 * Go: a <em>spoke</em> (this server dialled a hub) announces only its own clients' interest and that of leaf
 * nodes connected to it, and keeps what the hub sends from its routes; a <em>hub</em> side announces everything
 * its account holds (routes and other leaf nodes included) and shares the leaf's interest with its routes.
 */
final class LeafConnection implements Link, RouteProtocolHandler {

    /** Go's loop-detection subject prefix. */
    static final String LDS_PREFIX = "$LDS.";

    final LeafNodes nodes;
    final long cid;
    /** The remote this server dialled, null for a leaf node that connected here. */
    final Remote remote;
    final LeafHandshake handshake;
    /** Writer, counters, liveness and lines out, shared with the other kinds of links. */
    final LinkChannel channel;
    private final ReceivedLinkMessage inbound = new ReceivedLinkMessage(MessageOrigin.LEAF);
    private final InterestMap smap;
    private volatile InterestFeed feed;
    /** The negotiated compression (Go's {@code leaf.compression}, shown in {@code /leafz}); "" before. */
    volatile String compression = "";

    LeafConnection(LeafNodes nodes, long cid, Connection connection, Remote remote) {
        this(nodes, cid, connection, remote, "");
    }

    /**
     * @param greetedWith the nonce of the INFO already sent in plain text before a TLS handshake (hub side), or
     *                    "" when {@link #start} sends the INFO
     */
    LeafConnection(LeafNodes nodes, long cid, Connection connection, Remote remote, String greetedWith) {
        this.nodes = nodes;
        this.cid = cid;
        this.remote = remote;
        this.channel = new LinkChannel(connection, RouteProtocolParser.forLeafNodes(this), nodes.settings().maxPending(),
                nodes.timers(), nodes.log(), this::close);
        this.handshake = new LeafHandshake(this, greetedWith);
        this.smap = new InterestMap(this);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------

    /** Starts the writer; a hub side greets with its INFO and waits for CONNECT, a spoke waits for the INFO. */
    void start() {
        channel.startWriter("nats-leaf-out-" + cid);
        handshake.start();
        long first = 1000 + java.util.concurrent.ThreadLocalRandom.current().nextLong(200);
        channel.startPings(first, () -> nodes.settings().maxPingsOut(), () -> nodes.settings().pingInterval().toMillis(),
                false);
    }

    /** From now on this connection's output is an S2 stream at {@code level} (Go's s2 writer). */
    void compressWrites(String level) {
        channel.encodeWritesWith(new S2Writer(!level.equals(CompressionOptions.S2_UNCOMPRESSED)));
    }

    boolean isClosed() {
        return channel.isClosed();
    }

    /** Closes the connection: its interest leaves the kernel, queued output is still written. */
    void close(String reason) {
        if (!channel.close()) {
            return;
        }
        InterestFeed f = feed;
        if (f != null) {
            f.close();
        }
        nodes.connectionClosed(this, reason);
    }

    /**
     * The handshake is done and the account bound: the connection becomes a link of the kernel, announces the
     * interest its role lets it announce (with the account's loop-detection subject) and follows its changes.
     */
    boolean bind() {
        LinkHandle handle = channel.register(nodes.links().register(this));
        String account = handshake.account();
        smap.add(nodes.loopSubject(account), null, 1);
        Optional<InterestFeed> f = nodes.links().watchAllInterest(account, smap);
        if (f.isEmpty()) {
            nodes.log().log(System.Logger.Level.ERROR, "leafnode {0}: account {1} is not known", cid, account);
            close("Missing Account");
            return false;
        }
        feed = f.get();
        if (isClosed()) {
            feed.close();
            handle.close();
            return false;
        }
        return true;
    }

    // ---- RouteProtocolHandler (leaf dialect) ---------------------------------------------------------------

    @Override
    public void onInfo(byte[] buf, int off, int len) throws ProtocolException {
        handshake.info(new String(buf, off, len, StandardCharsets.UTF_8));
    }

    @Override
    public void onConnect(byte[] buf, int off, int len) throws ProtocolException {
        handshake.connect(new String(buf, off, len, StandardCharsets.UTF_8));
    }

    @Override
    public void onPing() {
        channel.onPing();
    }

    @Override
    public void onPong() {
        channel.onPong();
        adjustAutoCompression();
    }

    /** The compression this side is configured with now: the remote's, or the listener's for an accepted leaf. */
    private CompressionOptions configuredCompression() {
        return remote != null ? remote.compression() : nodes.config().compression();
    }

    /**
     * Go 2.10's compression reload for this connection (leafNodeOption.Apply): nothing to do when the peer never
     * compresses or the mode is the same; between compressing levels the writer changes in place ({@code s2_auto}
     * takes the level the round trip asks for); compression going on or off, or to {@code accept}, needs a new
     * negotiation, so the caller closes the connection and the leaf dials again.
     *
     * @return whether the connection must be closed to negotiate again
     */
    boolean compressionReloaded() {
        String now = compression;
        if (now.equals(CompressionOptions.NOT_SUPPORTED) || remote != null && remote.currentUrl().isWebSocket()) {
            return false;
        }
        CompressionOptions configured = configuredCompression();
        String mode = configured.configured() ? configured.mode() : "";
        if (now.equals(mode)) {
            return false;
        }
        if (!CompressionOptions.needsCompression(now) || !configured.negotiates()
                || mode.equals(CompressionOptions.ACCEPT)) {
            return true;
        }
        if (mode.equals(CompressionOptions.S2_AUTO)) {
            adjustAutoCompression();
        } else {
            compression = mode;
            compressWrites(mode);
        }
        return false;
    }

    /** Go's updateS2AutoCompressionLevel: with {@code s2_auto} the level follows the measured round trip. */
    private void adjustAutoCompression() {
        CompressionOptions configured = configuredCompression();
        String current = compression;
        if (!configured.mode().equals(CompressionOptions.S2_AUTO) || !CompressionOptions.needsCompression(current)
                || channel.rttNanos() == 0) {
            return;
        }
        String level = configured.levelFor(java.time.Duration.ofNanos(channel.rttNanos()));
        if (!level.equals(current)) {
            compression = level;
            compressWrites(level);
        }
    }

    @Override
    public void onError(byte[] buf, int off, int len) throws ProtocolException {
        String text = new String(buf, off, len, StandardCharsets.UTF_8);
        nodes.log().log(System.Logger.Level.ERROR, "{0} - lid:{1} - Leafnode Error {2}", remoteAddress(), cid, text);
        if (text.contains(LeafHandshake.SAME_CLUSTER) && remote != null) {
            remote.delayNextAttempt(LeafNodes.SAME_CLUSTER_DELAY);
            nodes.log().log(System.Logger.Level.ERROR, "{0} - lid:{1} - Leafnode connection dropped with same cluster "
                    + "name error. Delaying attempt to reconnect for {2}", remoteAddress(), cid,
                    LeafNodes.SAME_CLUSTER_DELAY.toSeconds() + "s");
        } else if (text.contains("Loop detected") && remote != null) {
            remote.delayNextAttempt(LeafNodes.LOOP_DELAY);
        }
        throw ProtocolException.closeSilently("leafnode sent -ERR " + text);
    }

    /** {@code LS+ subject [queue weight]}: Go's processLeafSub. */
    @Override
    public void onSubscribe(byte[] buf, int off, int len) throws ProtocolException {
        String[] args = split(buf, off, len);
        if (args.length != 1 && args.length != 3) {
            throw ProtocolException.closeSilently("processLeafSub Parse Error: '" + String.join(" ", args) + "'");
        }
        Optional<LinkHandle> handle = channel.handle();
        if (handle.isEmpty()) {
            return;
        }
        String subject = args[0];
        if (subject.startsWith(LDS_PREFIX) && subject.equals(nodes.loopSubject(handshake.account()))) {
            loopDetected();
            return;
        }
        boolean checked = !(subject.startsWith(LDS_PREFIX) || subject.startsWith("$GR.") || subject.startsWith("_GR_."));
        if (checked && handshake.isLiteral(subject) && !handshake.messageRules().allows(subject)) {
            // A hub refuses interest its leaf may not have; a spoke just does not record it (Go).
            if (!handshake.isSpoke()) {
                sendError("Permissions Violation for Subscription to \"" + subject + "\"");
                nodes.log().log(System.Logger.Level.ERROR, "lid:{0} - Subscription Violation on \"{1}\" - Check other side configuration",
                        cid, subject);
                close("Protocol Violation");
            }
            return;
        }
        String queue = args.length == 3 ? args[1] : null;
        int weight = args.length == 3 ? parseWeight(args[2]) : 1;
        switch (handle.get().addInterest(handshake.account(), subject, queue, weight)) {
            case INVALID_SUBJECT -> sendError("Invalid Subscription");
            case UNKNOWN_ACCOUNT -> nodes.log().log(System.Logger.Level.ERROR,
                    "lid:{0} - Unknown account \"{1}\" for leafnode subject \"{2}\"", cid, handshake.account(), subject);
            case ADDED, UNCHANGED -> {
            }
        }
    }

    @Override
    public void onUnsubscribe(byte[] buf, int off, int len) throws ProtocolException {
        String[] args = split(buf, off, len);
        if (args.length != 1 && args.length != 2) {
            throw ProtocolException.closeSilently("processLeafUnsub Parse Error: '" + String.join(" ", args) + "'");
        }
        channel.handle().ifPresent(h -> h.removeInterest(handshake.account(), args[0],
                args.length == 2 ? args[1] : null));
    }

    @Override
    public void onMessage(RoutedMessageArgs args, byte[] buf, int off, int len) {
        if (channel.received(len)) {
            // Go's leafnode origin: routes that take it carry the message as an LMSG naming this cluster.
            inbound.originCluster(handshake.remoteCluster());
            inbound.wrap(args, buf, off, len, handshake.account());
            channel.publish(inbound);
        }
    }

    /** Go's handleLeafNodeLoop: the other side announced this account's own loop-detection subject. */
    private void loopDetected() {
        String account = handshake.account();
        // Go names the pause in the text on either side; only a soliciting side applies it.
        String text = "Loop detected for leafnode account=\"" + account + "\". Delaying attempt to reconnect for "
                + LeafNodes.LOOP_DELAY.toSeconds() + "s";
        if (remote != null) {
            remote.delayNextAttempt(LeafNodes.LOOP_DELAY);
        }
        sendError(text);
        nodes.log().log(System.Logger.Level.ERROR, "{0} - lid:{1} - {2}", remoteAddress(), cid, text);
        close("Protocol Violation");
    }

    // ---- Link --------------------------------------------------------------------------------------------

    @Override
    public String name() {
        return "leafnode " + cid + " (" + handshake.remoteName() + ")";
    }

    @Override
    public long connectionId() {
        return cid;
    }

    @Override
    public String peerName() {
        return handshake.remoteName();
    }

    @Override
    public MessageOrigin kind() {
        return MessageOrigin.LEAF;
    }

    /** The cluster the other side named in its CONNECT or INFO: its interest goes to routes with that origin. */
    @Override
    public String remoteCluster() {
        return handshake.remoteCluster();
    }

    /** A leaf connection carries the one account its handshake bound it to (Go counts it in {@code nleafs}). */
    @Override
    public Optional<String> boundAccount() {
        return Optional.ofNullable(handshake.account());
    }

    /** Go: what came from a route reaches only leaf nodes this server is the hub of. */
    @Override
    public boolean forwards(MessageOrigin origin) {
        return origin != MessageOrigin.ROUTE || !handshake.isSpoke();
    }

    /** Go prefers local (and route) queue members to a leaf's; a message from a gateway picks among all. */
    @Override
    public QueueRole queueRole(MessageOrigin origin) {
        return origin == MessageOrigin.GATEWAY ? QueueRole.MEMBER : QueueRole.FALLBACK;
    }

    /** A hub shares its leaf's interest with its routes (Go's updateRouteSubscriptionMap for a hub-side leaf). */
    @Override
    public boolean sharesInterest() {
        return !handshake.isSpoke();
    }

    /**
     * Never back to itself; a spoke keeps what its hub sent from its own routes (each server of the spoke's
     * cluster has its own connection to the hub); never to a leaf of the same remote cluster (Go's cluster-wide
     * no echo).
     */
    @Override
    public boolean passesTo(Link target) {
        if (target == this) {
            return false;
        }
        if (target.kind() == MessageOrigin.ROUTE) {
            return !handshake.isSpoke();
        }
        if (target instanceof LeafConnection other) {
            String cluster = handshake.remoteCluster();
            return cluster.isEmpty() || !cluster.equals(other.handshake.remoteCluster());
        }
        return true;
    }

    @Override
    public boolean send(LinkMessage m) {
        String origin = m.originCluster();
        if (!origin.isEmpty() && origin.equals(handshake.remoteCluster())) {
            // Go's cluster-wide no echo: the message came from that cluster through another server of this one.
            return false;
        }
        SubjectRules rules = handshake.messageRules();
        if (rules != SubjectRules.ALL && !rules.allows(m.subjectArray(), m.subjectOffset(), m.subjectLength())) {
            return false;
        }
        MessageTrace trace = m.trace();
        if (trace != null) {
            return sendTraced(m, trace);
        }
        return write(m);
    }

    /**
     * A traced message (Go 2.11's msgtrace): a peer at Go's MsgTraceProto level (its INFO's {@code proto} or
     * CONNECT's {@code protocol}) gets it with its hop id ({@code Nats-Trace-Hop}) and sends its own event; a peer
     * below it (Go 2.9) is told nothing, gets the message only when more than the trace was asked for, and the
     * egress entry says that no event will come from there (Go's texts).
     */
    private boolean sendTraced(LinkMessage m, MessageTrace trace) {
        String peer = handshake.remoteName();
        if (!handshake.peerTraces()) {
            if (trace.traceOnly()) {
                trace.linkEgress(MessageOrigin.LEAF, cid, peer, null, MessageTrace.ERROR_TRACE_ONLY_NOT_SUPPORTED);
                return false;
            }
            boolean sent = write(m);
            trace.linkEgress(MessageOrigin.LEAF, cid, peer, null, MessageTrace.ERROR_NOT_SUPPORTED);
            return sent;
        }
        String hop = trace.nextHop();
        byte[] headers = trace.headersForHop(m.account(), hop);
        int payload = m.dataLength() - m.headerLength();
        byte[] data = java.util.Arrays.copyOf(headers, headers.length + payload);
        System.arraycopy(m.dataArray(), m.dataOffset() + m.headerLength(), data, headers.length, payload);
        boolean sent = write(m, data, 0, headers.length, data.length);
        trace.linkEgress(MessageOrigin.LEAF, cid, peer, hop, sent ? null : "Not delivered because client is closed");
        return sent;
    }

    private static final byte[] NO_REPLY_PREFIX = new byte[0];

    private boolean write(LinkMessage m) {
        return channel.sendMessage(m, null, handshake.peerTakesHeaders());
    }

    /** LMSG or HMSG with other bytes than the message's own (a traced message carries new headers). */
    private boolean write(LinkMessage m, byte[] bytes, int offset, int headerLength, int length) {
        return channel.sendMessage(m, null, NO_REPLY_PREFIX, bytes, offset, headerLength, length,
                handshake.peerTakesHeaders());
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

    // ---- protocol lines out --------------------------------------------------------------------------------

    /** {@code LS+ subject [queue weight]} or {@code LS- subject [queue]}. */
    void sendInterest(String subject, String queue, int weight) {
        if (isClosed()) {
            return;
        }
        sendLine(InterestLine.encode("LS", null, subject, queue, weight));
    }

    void sendLine(byte[] line) {
        channel.sendLine(line);
    }

    void sendError(String text) {
        channel.sendError(text);
    }

    // ---- monitoring ----------------------------------------------------------------------------------------

    boolean isTls() {
        return channel.tlsSession().isPresent();
    }

    boolean isBound() {
        return channel.handle().isPresent();
    }

    String remoteAddress() {
        return channel.remoteAddress();
    }

    /** The interest this connection announced to the other side, for tests and monitoring. */
    InterestMap announced() {
        return smap;
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static int parseWeight(String text) {
        try {
            return Math.max(1, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static String[] split(byte[] buf, int off, int len) {
        return new String(buf, off, len, StandardCharsets.UTF_8).trim().split("[ \t]+");
    }
}
