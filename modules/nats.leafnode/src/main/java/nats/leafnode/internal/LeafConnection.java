package nats.leafnode.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import nats.api.links.InterestFeed;
import nats.api.links.Link;
import nats.api.links.LinkHandle;
import nats.api.links.LinkMessage;
import nats.api.links.LinkPublisher;
import nats.api.links.QueueRole;
import nats.api.links.RemoteInterest;
import nats.api.messaging.MessageOrigin;
import nats.api.messaging.MessageTrace;
import nats.api.net.Connection;
import nats.transport.net.OutboundQueue;
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

    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LMSG = "LMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HMSG = "HMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] REPLY_AND_QUEUES = {'+', ' '};
    private static final byte[] QUEUES_ONLY = {'|', ' '};
    private static final int INLINE_LIMIT = 16 * 1024;
    /** Go's loop-detection subject prefix. */
    static final String LDS_PREFIX = "$LDS.";

    final LeafNodes nodes;
    final long cid;
    final Connection connection;
    /** The remote this server dialled, null for a leaf node that connected here. */
    final Remote remote;
    final LeafHandshake handshake;
    final Instant start = Instant.now();
    private final RouteProtocolParser parser = RouteProtocolParser.forLeafNodes(this);
    private final OutboundQueue out;
    private final ReceivedLinkMessage inbound = new ReceivedLinkMessage(MessageOrigin.LEAF);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InterestMap smap;
    private final String remoteAddress;
    private volatile long lastActivityMillis = System.currentTimeMillis();
    private volatile LinkHandle handle;
    private volatile InterestFeed feed;
    private LinkPublisher publisher;
    private volatile int pingsOut;
    private volatile long pingSentNanos;
    private volatile long rttNanos;
    private long inMsgsCounting;
    private long inBytesCounting;
    private volatile long inMsgs;
    private volatile long inBytes;

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
        this.connection = connection;
        this.remote = remote;
        this.out = new OutboundQueue(nodes.settings().maxPending());
        this.handshake = new LeafHandshake(this, greetedWith);
        this.smap = new InterestMap(this);
        java.net.InetSocketAddress a = connection.remoteAddress();
        this.remoteAddress = (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":"
                + a.getPort();
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------

    /** Starts the writer; a hub side greets with its INFO and waits for CONNECT, a spoke waits for the INFO. */
    void start() {
        Thread.ofPlatform().daemon().name("nats-leaf-out-" + cid).start(this::writeLoop);
        handshake.start();
        long first = 1000 + java.util.concurrent.ThreadLocalRandom.current().nextLong(200);
        nodes.timers().schedule(this::pingTick, first, TimeUnit.MILLISECONDS);
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

    void onBytes(byte[] buffer, int offset, int length) throws ProtocolException {
        if (isClosed()) {
            return;
        }
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

    void readEnded(Throwable cause) {
        if (cause instanceof ProtocolException e) {
            if (!e.clientError().isEmpty()) {
                sendError(e.clientError());
            }
            nodes.log().log(System.Logger.Level.DEBUG, "leafnode {0}: {1}", cid, e.getMessage());
            close("Protocol Violation");
        } else {
            close(cause == null ? "Client Closed" : "Read Error");
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Closes the connection: its interest leaves the kernel, queued output is still written. */
    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        InterestFeed f = feed;
        if (f != null) {
            f.close();
        }
        LinkHandle h = handle;
        if (h != null) {
            h.close();
        }
        out.close();
        nodes.timers().schedule(() -> connection.close(), 2, TimeUnit.SECONDS);
        nodes.connectionClosed(this, reason);
    }

    /**
     * The handshake is done and the account bound: the connection becomes a link of the kernel, announces the
     * interest its role lets it announce (with the account's loop-detection subject) and follows its changes.
     */
    boolean bind() {
        handle = nodes.links().register(this);
        publisher = handle.publisher();
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

    // ---- liveness ----------------------------------------------------------------------------------------

    private void pingTick() {
        if (isClosed()) {
            return;
        }
        if (pingsOut + 1 > nodes.settings().maxPingsOut()) {
            sendError("Stale Connection");
            close("Stale Connection");
            return;
        }
        long intervalMillis = nodes.settings().pingInterval().toMillis();
        boolean idle = System.currentTimeMillis() - lastActivityMillis >= intervalMillis;
        if (idle || rttNanos == 0 || pingSentNanos == 0) {
            pingsOut++;
            pingSentNanos = System.nanoTime();
            out.append(PING);
        }
        nodes.timers().schedule(this::pingTick, intervalMillis, TimeUnit.MILLISECONDS);
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
        nodes.log().log(System.Logger.Level.ERROR, "{0} - lid:{1} - Leafnode Error {2}", remoteAddress, cid, text);
        if (text.contains("Loop detected") && remote != null) {
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
        LinkHandle h = handle;
        if (h == null) {
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
        switch (h.addInterest(handshake.account(), subject, queue, weight)) {
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
        LinkHandle h = handle;
        if (h != null) {
            h.removeInterest(handshake.account(), args[0], args.length == 2 ? args[1] : null);
        }
    }

    @Override
    public void onMessage(RoutedMessageArgs args, byte[] buf, int off, int len) {
        inMsgsCounting++;
        inBytesCounting += len;
        LinkPublisher p = publisher;
        if (p == null) {
            return;
        }
        inbound.wrap(args, buf, off, len, handshake.account());
        p.publish(inbound);
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
        nodes.log().log(System.Logger.Level.ERROR, "{0} - lid:{1} - {2}", remoteAddress, cid, text);
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
        SubjectRules rules = handshake.messageRules();
        if (rules != SubjectRules.ALL && !rules.allows(m.subject())) {
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

    private boolean write(LinkMessage m) {
        return write(m, m.dataArray(), m.dataOffset(), Math.max(0, m.headerLength()), m.dataLength());
    }

    /** LMSG or HMSG with the given header block and payload ({@code headerLength} 0 for none). */
    private boolean write(LinkMessage m, byte[] bytes, int offset, int headerLength, int length) {
        boolean hasHeaders = headerLength > 0;
        boolean headers = hasHeaders && handshake.peerTakesHeaders();
        int dataOffset = offset + (hasHeaders && !headers ? headerLength : 0);
        int dataLength = length - (hasHeaders && !headers ? headerLength : 0);
        int max = 5 + m.subjectLength() + 1 + 2 + m.replyLength() + 1 + m.queuesLength() + 1 + 22 + 2 + dataLength + 2;
        if (!out.begin(max)) {
            if (out.isOverLimit()) {
                nodes.timers().execute(() -> close("Slow Consumer (Pending Bytes)"));
            }
            return false;
        }
        try {
            out.put(headers ? HMSG : LMSG);
            out.put(m.subjectArray(), m.subjectOffset(), m.subjectLength());
            out.put((byte) ' ');
            if (m.hasQueues()) {
                if (m.hasReply()) {
                    out.put(REPLY_AND_QUEUES);
                    out.put(m.replyArray(), m.replyOffset(), m.replyLength());
                    out.put((byte) ' ');
                } else {
                    out.put(QUEUES_ONLY);
                }
                out.put(m.queuesArray(), m.queuesOffset(), m.queuesLength());
                out.put((byte) ' ');
            } else if (m.hasReply()) {
                out.put(m.replyArray(), m.replyOffset(), m.replyLength());
                out.put((byte) ' ');
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

    @Override
    public void flush() {
        try {
            if (!out.writeInline(connection, INLINE_LIMIT)) {
                out.signal();
            }
        } catch (java.io.IOException e) {
            nodes.timers().execute(() -> close("Write Error"));
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

    // ---- protocol lines out --------------------------------------------------------------------------------

    /** {@code LS+ subject [queue weight]} or {@code LS- subject [queue]}. */
    void sendInterest(String subject, String queue, int weight) {
        if (isClosed()) {
            return;
        }
        sendLine(InterestLine.encode("LS", null, subject, queue, weight));
    }

    void sendLine(byte[] line) {
        if (!out.append(line) && out.isOverLimit()) {
            nodes.timers().execute(() -> close("Slow Consumer (Pending Bytes)"));
        }
    }

    void sendError(String text) {
        sendLine(("-ERR '" + text + "'\r\n").getBytes(StandardCharsets.UTF_8));
    }

    // ---- monitoring ----------------------------------------------------------------------------------------

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

    long rttNanos() {
        return rttNanos;
    }

    Instant lastActivity() {
        return Instant.ofEpochMilli(lastActivityMillis);
    }

    List<RemoteInterest> interest() {
        LinkHandle h = handle;
        return h == null ? List.of() : h.interest();
    }

    int interestCount() {
        LinkHandle h = handle;
        return h == null ? 0 : h.interestCount();
    }

    boolean isTls() {
        return connection.tlsSession().isPresent();
    }

    boolean isBound() {
        return handle != null;
    }

    String remoteAddress() {
        return remoteAddress;
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
