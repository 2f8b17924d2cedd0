package nats.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
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
import nats.transport.protocol.InterestLine;
import nats.transport.protocol.ProtocolException;
import nats.transport.protocol.ReceivedLinkMessage;
import nats.transport.protocol.RouteProtocolHandler;
import nats.transport.protocol.RouteProtocolParser;
import nats.transport.protocol.RoutedMessageArgs;

/**
 * One route connection to another server of the cluster, as Go's route client: it reads the route protocol,
 * registers the peer's interest with the kernel and injects the messages it sends, and writes this server's
 * interest ({@code RS+}/{@code RS-}) and the messages the kernel hands it as a {@link Link} ({@code RMSG},
 * {@code HMSG}). The handshake (CONNECT, INFO) and the cluster-wide decisions are {@link RouteHandshake}'s and
 * {@link Cluster}'s.
 */
final class Route implements Link, RouteProtocolHandler {

    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RMSG = "RMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HMSG = "HMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] REPLY_AND_QUEUES = {'+', ' '};
    private static final byte[] QUEUES_ONLY = {'|', ' '};
    /** Largest batch a publisher's thread writes to the route itself instead of waking the writer. */
    private static final int INLINE_LIMIT = 16 * 1024;

    final Cluster cluster;
    final long rid;
    final Connection connection;
    final boolean solicited;
    private final RouteProtocolParser parser = new RouteProtocolParser(this);
    private final OutboundQueue out;
    final RouteHandshake handshake;
    private final ReceivedLinkMessage inbound = new ReceivedLinkMessage(MessageOrigin.ROUTE);
    private final AtomicBoolean closed = new AtomicBoolean();
    final Instant start = Instant.now();
    private final String remoteAddress;
    private volatile long lastActivityMillis = System.currentTimeMillis();
    private volatile LinkHandle handle;
    private LinkPublisher publisher;
    private volatile int pingsOut;
    private volatile long pingSentNanos;
    private volatile long rttNanos;
    /** Counted by the reader in plain fields, published once per read for monitoring. */
    private long inMsgsCounting;
    private long inBytesCounting;
    private volatile long inMsgs;
    private volatile long inBytes;
    /** Cached bytes of the account name the last message was sent in (routes carry few accounts). */
    private String lastAccount;
    private byte[] lastAccountBytes;

    Route(Cluster cluster, long rid, Connection connection, boolean solicited, RouteUrl url, boolean explicit) {
        this.cluster = cluster;
        this.rid = rid;
        this.connection = connection;
        this.solicited = solicited;
        this.out = new OutboundQueue(cluster.settings().maxPending());
        this.handshake = new RouteHandshake(this, url, explicit);
        this.remoteAddress = address(connection);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------

    /** Starts the writer, greets the peer (CONNECT first when this side dialled), arms the timers. */
    void start() {
        Thread.ofPlatform().daemon().name("nats-route-out-" + rid).start(this::writeLoop);
        if (solicited) {
            out.append(handshake.connectLine());
        }
        out.append(cluster.routeInfoLine(true));
        handshake.armAuthTimer();
        // Go pings a new route after about a second (plus up to 20 %), to measure the round trip.
        long first = 1000 + ThreadLocalRandom.current().nextLong(200);
        cluster.timers().schedule(this::pingTick, first, TimeUnit.MILLISECONDS);
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

    /** The bytes of one read (from the kernel's read loop or this plugin's own). */
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
            cluster.log().log(System.Logger.Level.DEBUG, "route {0}: {1}", rid, e.getMessage());
            close("Protocol Violation");
        } else {
            close(cause == null ? "Client Closed" : "Read Error");
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Closes the route: its interest leaves the kernel, queued output is still written, the cluster decides on reconnecting. */
    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LinkHandle h = handle;
        if (h != null) {
            h.close();
        }
        out.close();
        // The writer closes the socket once drained; bound that for a peer that stopped reading.
        cluster.timers().schedule(() -> connection.close(), 2, TimeUnit.SECONDS);
        cluster.routeClosed(this, reason);
    }

    /** Becomes a link of the kernel once the peer is known: from now on it holds interest and gets messages. */
    void registered() {
        handle = cluster.links().register(this);
        publisher = handle.publisher();
        if (isClosed()) {
            handle.close();
        }
    }

    // ---- liveness ----------------------------------------------------------------------------------------

    private void pingTick() {
        if (isClosed()) {
            return;
        }
        int maxPingsOut = cluster.config().pingMax() > 0 ? cluster.config().pingMax() : cluster.settings().maxPingsOut();
        if (pingsOut + 1 > maxPingsOut) {
            sendError("Stale Connection");
            close("Stale Connection");
            return;
        }
        long intervalMillis = cluster.config().pingInterval().orElse(cluster.settings().pingInterval()).toMillis();
        boolean idle = System.currentTimeMillis() - lastActivityMillis >= intervalMillis;
        if (idle || rttNanos == 0 || pingSentNanos == 0) {
            pingsOut++;
            pingSentNanos = System.nanoTime();
            out.append(PING);
        }
        cluster.timers().schedule(this::pingTick, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Closes the route when a write has been blocked beyond the write deadline (Go's slow consumer). */
    void writeDeadlineTick(long deadlineNanos) {
        if (!isClosed() && out.writeStalledFor(deadlineNanos)) {
            close("Slow Consumer (Write Deadline)");
            connection.close();
        }
    }

    // ---- RouteProtocolHandler ------------------------------------------------------------------------------

    @Override
    public void onInfo(byte[] buf, int off, int len) throws ProtocolException {
        Map<String, Object> json;
        try {
            json = Json.parseObject(new String(buf, off, len, StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            throw ProtocolException.closeSilently("bad route INFO: " + e.getMessage());
        }
        handshake.info(new RemoteInfo(json));
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
        cluster.log().log(System.Logger.Level.ERROR, "{0} - rid:{1} - Route Error {2}", remoteAddress(), rid, text);
        throw ProtocolException.closeSilently("route sent -ERR " + text);
    }

    @Override
    public void onSubscribe(byte[] buf, int off, int len) throws ProtocolException {
        String[] args = split(buf, off, len);
        if (args.length != 2 && args.length != 4) {
            throw ProtocolException.closeSilently("processRemoteSub Parse Error: '" + String.join(" ", args) + "'");
        }
        handshake.requireConnected();
        String account = args[0];
        String subject = args[1];
        if (!cluster.config().permissions().canExport(subject)) {
            cluster.log().log(System.Logger.Level.DEBUG, "Can not export \"{0}\", ignoring remote subscription request",
                    subject);
            return;
        }
        String queue = args.length == 4 ? args[2] : null;
        int weight = args.length == 4 ? parseWeight(args[3]) : 1;
        LinkHandle h = handle;
        if (h == null) {
            return;
        }
        switch (h.addInterest(account, subject, queue, weight)) {
            case UNKNOWN_ACCOUNT -> cluster.log().log(System.Logger.Level.ERROR,
                    "{0} - rid:{1} - Unknown account \"{2}\" for remote subject \"{3}\"", remoteAddress(), rid,
                    account, subject);
            case INVALID_SUBJECT -> sendError("Invalid Subscription");
            case ADDED, UNCHANGED -> {
            }
        }
    }

    @Override
    public void onUnsubscribe(byte[] buf, int off, int len) throws ProtocolException {
        String[] args = split(buf, off, len);
        if (args.length != 2 && args.length != 3) {
            throw ProtocolException.closeSilently("processRemoteUnsub parse error: '" + String.join(" ", args) + "'");
        }
        LinkHandle h = handle;
        if (h != null) {
            h.removeInterest(args[0], args[1], args.length == 3 ? args[2] : null);
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
        inbound.wrap(args, buf, off, len, accountName(args));
        p.publish(inbound);
    }

    // ---- Link --------------------------------------------------------------------------------------------

    @Override
    public String name() {
        return "route " + handshake.remoteId();
    }

    @Override
    public MessageOrigin kind() {
        return MessageOrigin.ROUTE;
    }

    @Override
    public long connectionId() {
        return rid;
    }

    @Override
    public String peerName() {
        return handshake.remoteName();
    }

    /** Go's rule: a route forwards nothing that came from another route. */
    @Override
    public boolean forwards(MessageOrigin origin) {
        return origin != MessageOrigin.ROUTE;
    }

    /** A message from another route prefers this server's members; a route's members are then only a fallback. */
    @Override
    public QueueRole queueRole(MessageOrigin origin) {
        return origin == MessageOrigin.ROUTE ? QueueRole.FALLBACK : QueueRole.MEMBER;
    }

    @Override
    public boolean send(LinkMessage m) {
        MessageTrace trace = m.trace();
        if (trace != null) {
            return sendTraced(m, trace);
        }
        return write(m, m.dataArray(), m.dataOffset(), m.headerLength(), m.dataLength());
    }

    /**
     * A traced message (Go 2.11): a peer that traces gets it with its hop id ({@code Nats-Trace-Hop}) and sends
     * its own event; a peer that does not is told nothing, gets the message only when more than the trace was
     * asked for, and the egress entry says that no event will come from there (Go's texts).
     */
    private boolean sendTraced(LinkMessage m, MessageTrace trace) {
        String peer = handshake.remoteName();
        if (!handshake.peerTraces()) {
            if (trace.traceOnly()) {
                trace.linkEgress(MessageOrigin.ROUTE, rid, peer, null, MessageTrace.ERROR_TRACE_ONLY_NOT_SUPPORTED);
                return false;
            }
            boolean sent = write(m, m.dataArray(), m.dataOffset(), m.headerLength(), m.dataLength());
            trace.linkEgress(MessageOrigin.ROUTE, rid, peer, null, MessageTrace.ERROR_NOT_SUPPORTED);
            return sent;
        }
        String hop = trace.nextHop();
        byte[] headers = trace.headersForHop(m.account(), hop);
        int payload = m.dataLength() - m.headerLength();
        byte[] data = java.util.Arrays.copyOf(headers, headers.length + payload);
        System.arraycopy(m.dataArray(), m.dataOffset() + m.headerLength(), data, headers.length, payload);
        boolean sent = write(m, data, 0, headers.length, data.length);
        trace.linkEgress(MessageOrigin.ROUTE, rid, peer, hop, sent ? null : "Not delivered because client is closed");
        return sent;
    }

    /** RMSG or HMSG with the given header block and payload ({@code headerLength} 0 for none). */
    private boolean write(LinkMessage m, byte[] bytes, int offset, int headerLength, int length) {
        byte[] account = accountBytes(m.account());
        boolean hasHeaders = headerLength > 0;
        boolean headers = hasHeaders && handshake.peerTakesHeaders();
        int dataOffset = offset + (hasHeaders && !headers ? headerLength : 0);
        int dataLength = length - (hasHeaders && !headers ? headerLength : 0);
        int max = 5 + account.length + 1 + m.subjectLength() + 1 + 2 + m.replyLength() + 1 + m.queuesLength() + 1
                + 22 + 2 + dataLength + 2;
        if (!out.begin(max)) {
            if (out.isOverLimit()) {
                cluster.timers().execute(() -> close("Slow Consumer (Pending Bytes)"));
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

    /**
     * A short batch is written by the publisher's thread itself (Go's client readers flush in place); a larger
     * one, or one while a write is under way, wakes the route's writer.
     */
    @Override
    public void flush() {
        try {
            if (!out.writeInline(connection, INLINE_LIMIT)) {
                out.signal();
            }
        } catch (java.io.IOException e) {
            cluster.timers().execute(() -> close("Write Error"));
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

    // ---- interest and protocol lines out ------------------------------------------------------------------

    /** Announces a change of this server's interest ({@code RS+}/{@code RS-}), when the cluster may import it. */
    void sendInterest(String account, String subject, String queue, int weight) {
        if (cluster.config().permissions().canImport(subject)) {
            sendInterestUnchecked(account, subject, queue, weight);
        }
    }

    /** Removes interest the peer registered (permissions no longer export it). */
    void dropInterest(nats.api.links.RemoteInterest interest) {
        LinkHandle h = handle;
        if (h != null) {
            h.removeInterest(interest.account(), interest.subject(), interest.queue());
        }
    }

    /** {@code RS+} (weight above 0) or {@code RS-}, without the import check. */
    void sendInterestUnchecked(String account, String subject, String queue, int weight) {
        if (isClosed()) {
            return;
        }
        sendLine(InterestLine.encode("RS", account, subject, queue, weight));
    }

    /** Queues a protocol line (INFO, CONNECT, -ERR...) and wakes the writer. */
    void sendLine(byte[] line) {
        if (!out.append(line) && out.isOverLimit()) {
            cluster.timers().execute(() -> close("Slow Consumer (Pending Bytes)"));
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

    long pendingBytes() {
        return out.pendingBytes();
    }

    long rttNanos() {
        return rttNanos;
    }

    Instant lastActivity() {
        return Instant.ofEpochMilli(lastActivityMillis);
    }

    /** The peer's interest registered here, for /routez. */
    List<nats.api.links.RemoteInterest> interest() {
        LinkHandle h = handle;
        return h == null ? List.of() : h.interest();
    }

    int interestCount() {
        LinkHandle h = handle;
        return h == null ? 0 : h.interestCount();
    }

    /** The peer's {@code ip:port}, kept from the start (a closed socket no longer knows it). */
    String remoteAddress() {
        return remoteAddress;
    }

    private static String address(Connection connection) {
        java.net.InetSocketAddress a = connection.remoteAddress();
        return (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":" + a.getPort();
    }

    Optional<javax.net.ssl.SSLSession> tlsSession() {
        return connection.tlsSession();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private byte[] accountBytes(String account) {
        if (account != lastAccount) {
            lastAccountBytes = account.getBytes(StandardCharsets.UTF_8);
            lastAccount = account;
        }
        return lastAccountBytes;
    }

    /** The account of a received message as a String, reused while the account repeats (no copy per message). */
    private String inboundAccount;

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
