package nats.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import nats.api.links.Link;
import nats.api.links.LinkHandle;
import nats.api.links.LinkMessage;
import nats.api.links.QueueRole;
import nats.api.messaging.MessageOrigin;
import nats.api.messaging.MessageTrace;
import nats.api.net.Connection;
import nats.transport.compress.CompressionOptions;
import nats.transport.compress.S2Writer;
import nats.transport.json.Json;
import nats.transport.link.LinkChannel;
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

    final Cluster cluster;
    final long rid;
    final boolean solicited;
    private final RouteProtocolParser parser;
    /** Writer, counters, liveness and lines out, shared with the other kinds of links. */
    final LinkChannel channel;
    /** Go 2.10's per-account route: the account this connection carries alone; empty for a pooled one. */
    private volatile String account;
    /** The pool slot this connection takes (Go's poolIdx); -1 until registered or for a pinned route. */
    volatile int poolIdx = -1;
    /** A route to a server without pooling (Go 2.9): it carries every account. */
    volatile boolean noPool;
    /** The compression negotiated ({@link CompressionOptions}'s modes), as /routez shows it. */
    volatile String compression = "";
    final RouteHandshake handshake;
    private final ReceivedLinkMessage inbound = new ReceivedLinkMessage(MessageOrigin.ROUTE);
    /** The origin cluster of the last {@code LMSG} read (reading thread only). */
    private String lastOrigin = "";
    /** The leaf node origin of interest the peer announced with {@code LS+}. */
    final InterestOrigins origins = new InterestOrigins();

    /** @param account the pinned account this server dials a route for; empty for a pooled one */
    Route(Cluster cluster, long rid, Connection connection, boolean solicited, RouteUrl url, boolean explicit,
          String account) {
        this.cluster = cluster;
        this.rid = rid;
        this.solicited = solicited;
        this.parser = new RouteProtocolParser(this);
        this.channel = new LinkChannel(connection, parser, cluster.settings().maxPending(), cluster.timers(),
                cluster.log(), this::close);
        this.account = "";
        bindAccount(account);
        this.handshake = new RouteHandshake(this, url, explicit);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------

    /**
     * Starts the writer, greets the peer (CONNECT first when this side dialled), arms the timers. As Go 2.10, a
     * dialling server holds its INFO back while it negotiates compression or until it knows the pool slot.
     */
    void start() {
        channel.startWriter("nats-route-out-" + rid);
        ClusterConfig c = cluster.config();
        if (solicited) {
            channel.sendLine(handshake.connectLine());
        }
        if (!solicited || !(c.compression().negotiates() || handshake.infoWaitsForPoolSlot())) {
            channel.sendLine(cluster.routeInfoLine(account, c.compression().forInfo(c.compression().mode()), 0));
        }
        handshake.armAuthTimer();
        if (!c.compression().negotiates()) {
            startPings();
        }
    }

    /** Go pings a new route after about a second (plus up to 20 %), to measure the round trip. */
    void startPings() {
        long first = 1000 + ThreadLocalRandom.current().nextLong(200);
        channel.startPings(first,
                () -> cluster.config().pingMax() > 0 ? cluster.config().pingMax() : cluster.settings().maxPingsOut(),
                () -> cluster.config().pingInterval().orElse(cluster.settings().pingInterval()).toMillis(), false);
    }

    boolean isClosed() {
        return channel.isClosed();
    }

    /** Closes the route: its interest leaves the kernel, queued output is still written, the cluster decides on reconnecting. */
    void close(String reason) {
        if (channel.close()) {
            cluster.routeClosed(this, reason);
        }
    }

    /** Becomes a link of the kernel once the peer is known: from now on it holds interest and gets messages. */
    void registered() {
        channel.register(cluster.links().register(this));
    }

    /**
     * Binds this connection to one account (Go 2.10's per-account route): its RS+/RS-/RMSG name no account.
     * Called before registration, on the reading thread (or at construction).
     */
    void bindAccount(String name) {
        if (!name.isEmpty()) {
            account = name;
            parser.bindAccount();
        }
    }

    /** The pinned account; empty for a pooled route. */
    String account() {
        return account;
    }

    /** Whether this connection carries {@code name}'s interest and messages to its peer. */
    boolean carries(String name) {
        if (!account.isEmpty()) {
            return account.equals(name);
        }
        if (noPool) {
            return true;
        }
        return !cluster.isPinned(name) && poolIdx == cluster.poolIndex(name);
    }

    /** From now on the route's output is an S2 stream at {@code level} (Go's s2 writer). */
    void compressWrites(String level) {
        channel.encodeWritesWith(new S2Writer(!level.equals(CompressionOptions.S2_UNCOMPRESSED)));
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
        channel.onPing();
    }

    @Override
    public void onPong() {
        channel.onPong();
        adjustAutoCompression();
    }

    /** The level {@code s2_auto} picks for this route's measured round trip; the current one before a measure. */
    String autoLevel(CompressionOptions configured) {
        long rtt = channel.rttNanos();
        return rtt == 0 ? compression : configured.levelFor(java.time.Duration.ofNanos(rtt));
    }

    /** Go's updateS2AutoCompressionLevel: with s2_auto the level follows the measured round trip. */
    private void adjustAutoCompression() {
        CompressionOptions configured = cluster.config().compression();
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
        cluster.log().log(System.Logger.Level.ERROR, "{0} - rid:{1} - Route Error {2}", remoteAddress(), rid, text);
        if (solicited && !account.isEmpty() && text.contains("No route for account")
                && cluster.accountRoutes().refusedByPeer(account)) {
            // The account was pinned only because a peer asked, and that peer no longer pins it.
            handshake.noReconnect(true);
        }
        throw ProtocolException.closeSilently("route sent -ERR " + text);
    }

    @Override
    public void onSubscribe(byte[] buf, int off, int len) throws ProtocolException {
        subscribe(buf, off, len, "");
    }

    /** RS+ or LS+ ({@code origin} not empty): records the interest, with its origin when the key is new. */
    private void subscribe(byte[] buf, int off, int len, String origin) throws ProtocolException {
        String[] args = withAccount(split(buf, off, len));
        if (args.length != 2 && args.length != 4) {
            throw ProtocolException.closeSilently("processRemoteSub Parse Error: '" + new String(buf, off, len,
                    StandardCharsets.UTF_8).trim() + "'");
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
        Optional<LinkHandle> handle = channel.handle();
        if (handle.isEmpty()) {
            return;
        }
        // Only a peer that announced lnoc sends LS+; the origin is the first announcement's (Go keeps the sub).
        boolean tracked = handshake.peerTakesOrigin() && origins.recordIfAbsent(account, subject, queue, origin);
        switch (handle.get().addInterest(account, subject, queue, weight)) {
            case UNKNOWN_ACCOUNT -> {
                forgetOrigin(tracked, account, subject, queue);
                cluster.log().log(System.Logger.Level.ERROR,
                        "{0} - rid:{1} - Unknown account \"{2}\" for remote subject \"{3}\"", remoteAddress(), rid,
                        account, subject);
            }
            case INVALID_SUBJECT -> {
                forgetOrigin(tracked, account, subject, queue);
                sendError("Invalid Subscription");
            }
            case ADDED, UNCHANGED -> {
            }
        }
    }

    private void forgetOrigin(boolean tracked, String account, String subject, String queue) {
        if (tracked) {
            origins.remove(account, subject, queue);
        }
    }

    @Override
    public void onUnsubscribe(byte[] buf, int off, int len) throws ProtocolException {
        String[] args = withAccount(split(buf, off, len));
        if (args.length != 2 && args.length != 3) {
            throw ProtocolException.closeSilently("processRemoteUnsub parse error: '" + new String(buf, off, len,
                    StandardCharsets.UTF_8).trim() + "'");
        }
        String queue = args.length == 3 ? args[2] : null;
        channel.handle().ifPresent(h -> h.removeInterest(args[0], args[1], queue));
        origins.remove(args[0], args[1], queue);
    }

    /**
     * {@code LS+ origin account subject [queue weight]}: interest the peer holds for a leaf node of cluster
     * {@code origin} (Go 2.9's leafnode origin cluster). Recorded as an {@code RS+}, with its origin kept so that
     * this server does not announce it to leaf connections of that cluster.
     */
    @Override
    public void onOriginSubscribe(byte[] buf, int off, int len) throws ProtocolException {
        int at = off;
        int end = off + len;
        while (at < end && (buf[at] == ' ' || buf[at] == '\t')) {
            at++;
        }
        int originStart = at;
        while (at < end && buf[at] != ' ' && buf[at] != '\t') {
            at++;
        }
        if (at == originStart || at == end) {
            throw ProtocolException.closeSilently("processRemoteSub Parse Error: '" + new String(buf, off, len,
                    StandardCharsets.UTF_8).trim() + "'");
        }
        subscribe(buf, at, end - at, new String(buf, originStart, at - originStart, StandardCharsets.UTF_8));
    }

    @Override
    public void onMessage(RoutedMessageArgs args, byte[] buf, int off, int len) {
        if (channel.received(len)) {
            inbound.originCluster(originOf(args));
            inbound.wrap(args, buf, off, len, account.isEmpty() ? channel.account(args) : account);
            channel.publish(inbound);
        }
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

    @Override
    public String interestOrigin(String account, String subject, String queue) {
        return origins.origin(account, subject, queue);
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
        String origin = m.originCluster();
        if (!origin.isEmpty() && m.origin() == MessageOrigin.LEAF && handshake.peerTakesOrigin()) {
            // Go's LMSG: the peer keeps the message from its leaf connections to that same cluster.
            return channel.sendOriginMessage(m, origin, accountInFrames(m));
        }
        return channel.sendMessage(m, accountInFrames(m), handshake.peerTakesHeaders());
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
            boolean sent = channel.sendMessage(m, accountInFrames(m), handshake.peerTakesHeaders());
            trace.linkEgress(MessageOrigin.ROUTE, rid, peer, null, MessageTrace.ERROR_NOT_SUPPORTED);
            return sent;
        }
        String hop = trace.nextHop();
        byte[] headers = trace.headersForHop(m.account(), hop);
        int payload = m.dataLength() - m.headerLength();
        byte[] data = java.util.Arrays.copyOf(headers, headers.length + payload);
        System.arraycopy(m.dataArray(), m.dataOffset() + m.headerLength(), data, headers.length, payload);
        boolean sent = channel.sendMessage(m, accountInFrames(m), new byte[0], data, 0, headers.length, data.length,
                handshake.peerTakesHeaders());
        trace.linkEgress(MessageOrigin.ROUTE, rid, peer, hop, sent ? null : "Not delivered because client is closed");
        return sent;
    }

    /**
     * A short batch is written by the publisher's thread itself (Go's client readers flush in place); a larger
     * one, or one while a write is under way, wakes the route's writer.
     */
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

    // ---- interest and protocol lines out ------------------------------------------------------------------

    /** Announces a change of this server's interest ({@code RS+}/{@code RS-}), when the cluster may import it. */
    void sendInterest(String account, String subject, String queue, int weight) {
        sendInterest(account, subject, queue, weight, "");
    }

    /**
     * As above; interest held for a leaf node of cluster {@code origin} goes to a peer that announced {@code lnoc}
     * as Go's {@code LS+ origin account subject [queue weight]}, and its removal as {@code LS- account subject
     * [queue]}.
     */
    void sendInterest(String account, String subject, String queue, int weight, String origin) {
        if (!cluster.config().permissions().canImport(subject)) {
            return;
        }
        if (origin.isEmpty() || !handshake.peerTakesOrigin()) {
            sendInterestUnchecked(account, subject, queue, weight);
        } else if (!isClosed()) {
            String named = this.account.isEmpty() ? account : null;
            sendLine(weight > 0 ? InterestLine.encode("LS", origin + (named == null ? "" : " " + named), subject, queue,
                    weight) : InterestLine.encode("LS", named, subject, queue, 0));
        }
    }

    /** Removes interest the peer registered (permissions no longer export it). */
    void dropInterest(nats.api.links.RemoteInterest interest) {
        channel.handle().ifPresent(h -> h.removeInterest(interest.account(), interest.subject(), interest.queue()));
        origins.remove(interest.account(), interest.subject(), interest.queue());
    }

    /** {@code RS+} (weight above 0) or {@code RS-}, without the import check. */
    void sendInterestUnchecked(String account, String subject, String queue, int weight) {
        if (isClosed()) {
            return;
        }
        sendLine(InterestLine.encode("RS", this.account.isEmpty() ? account : null, subject, queue, weight));
    }

    /** Queues a protocol line (INFO, CONNECT, -ERR...) and wakes the writer. */
    void sendLine(byte[] line) {
        channel.sendLine(line);
    }

    void sendError(String text) {
        channel.sendError(text);
    }

    // ---- monitoring ----------------------------------------------------------------------------------------

    /** The peer's interest registered here, for /routez. */
    List<nats.api.links.RemoteInterest> interest() {
        return channel.interest();
    }

    /** The peer's {@code ip:port}, kept from the start (a closed socket no longer knows it). */
    String remoteAddress() {
        return channel.remoteAddress();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** The origin cluster of an {@code LMSG}, the last one's text again when it repeats (no allocation). */
    private String originOf(RoutedMessageArgs args) {
        int length = args.originLength();
        if (length == 0) {
            return "";
        }
        String last = lastOrigin;
        if (last.length() == length && sameAscii(last, args.buffer(), args.originOffset())) {
            return last;
        }
        last = args.origin();
        lastOrigin = last;
        return last;
    }

    private static boolean sameAscii(String s, byte[] buf, int off) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80 || buf[off + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The account a frame names: none on a per-account route. */
    private String accountInFrames(LinkMessage m) {
        return account.isEmpty() ? m.account() : null;
    }

    /** RS+/RS- arguments with the account first, the route's own where the peer leaves it out. */
    private String[] withAccount(String[] args) {
        if (account.isEmpty()) {
            return args;
        }
        String[] all = new String[args.length + 1];
        all[0] = account;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
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
