package nats.leafnode.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import nats.leafnode.internal.LeafConfig.LeafAuth;
import nats.leafnode.internal.LeafConfig.LeafUser;
import nats.leafnode.internal.LeafConfig.RemoteConfig;
import nats.api.sessions.Credentials;
import nats.api.sessions.ServerGrant;
import nats.transport.compress.CompressionOptions;
import nats.transport.compress.S2Reader;
import nats.transport.config.Passwords;
import nats.transport.json.Json;
import nats.transport.json.JsonWriter;
import nats.transport.protocol.ProtocolException;

/**
 * The leaf handshake, as Go's createLeafNode, processLeafnodeInfo and processLeafNodeConnect run it. The hub side
 * sends its INFO (with a nonce and {@code leafnode_urls}) and waits for CONNECT, authenticates it, binds the
 * account and answers with a second INFO ({@code connect_info}, {@code remote_account} and the permissions the
 * leaf should enforce). The soliciting side waits for the INFO, checks it came from a leafnode port, answers
 * CONNECT (user and password, or a credentials file's JWT and nonce signature), and binds once the hub's
 * {@code connect_info} INFO arrives. Also holds what the handshake learned: the role, the peer, the rules.
 */
final class LeafHandshake {

    /** Go's DEFAULT_LEAFNODE_INFO_WAIT. */
    private static final long INFO_WAIT_MILLIS = 1000;

    private final LeafConnection c;
    private volatile String account = "";
    private volatile String remoteName = "";
    private volatile String remoteId = "";
    /** Go's ErrLeafNodeHasSameClusterName. */
    static final String SAME_CLUSTER = "remote leafnode has same cluster name";
    private volatile String remoteCluster = "";
    /** The peer's JetStream domain (its INFO's or CONNECT's {@code domain}), empty for none. */
    private volatile String remoteDomain = "";
    private volatile boolean spoke;
    private volatile boolean peerHeaders;
    /** The peer's protocol level (its INFO's {@code proto}, its CONNECT's {@code protocol}); tracing needs 3. */
    private volatile int peerProto;
    private volatile String nonce = "";
    private volatile boolean infoReceived;
    private volatile boolean connected;
    /** Whether the compression exchange of the first INFOs is done (Go's compressionNegotiated). */
    private boolean compressionNegotiated;
    private volatile String user = "";
    /** The permissions a hub sends back in its second INFO (Go's {@code import}/{@code export}). */
    private volatile Optional<Map<String, Object>> grantedImport = Optional.empty();
    private volatile Optional<Map<String, Object>> grantedExport = Optional.empty();
    /** What this side may send as messages (Go's publish permissions of the connection). */
    private volatile SubjectRules messageRules = SubjectRules.ALL;
    /** What interest a spoke may announce (Go's subscribe permissions of the connection). */
    private volatile SubjectRules interestRules = SubjectRules.ALL;

    private final String greetedWith;

    LeafHandshake(LeafConnection connection, String greetedWith) {
        this.c = connection;
        this.greetedWith = greetedWith;
        if (connection.remote != null) {
            RemoteConfig r = connection.remote.config();
            spoke = !r.hub();
            account = r.account().isEmpty() ? connection.nodes.globalAccount() : r.account();
            messageRules = SubjectRules.ALL.denying(r.denyExports());
            interestRules = SubjectRules.ALL.denying(r.denyImports());
        }
    }

    void start() {
        if (c.remote == null) {
            if (greetedWith.isEmpty()) {
                nonce = LeafNodes.nonce();
                c.sendLine(c.nodes.greetingLine(c.cid, nonce));
            } else {
                nonce = greetedWith;
            }
            long timeout = c.nodes.config().auth().timeout().toMillis();
            c.nodes.timers().schedule(() -> {
                if (!connected && !c.isClosed()) {
                    c.sendError("Authentication Timeout");
                    c.close("Authentication Timeout");
                }
            }, timeout, TimeUnit.MILLISECONDS);
        } else {
            c.nodes.timers().schedule(() -> {
                if (!infoReceived && !c.isClosed()) {
                    c.nodes.log().log(System.Logger.Level.ERROR, "lid:{0} - Leafnode did not receive INFO in time",
                            c.cid);
                    c.close("Read Error");
                }
            }, INFO_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    // ---- soliciting side -----------------------------------------------------------------------------------

    void info(String text) throws ProtocolException {
        Map<String, Object> info;
        try {
            info = Json.parseObject(text);
        } catch (Json.JsonException e) {
            throw ProtocolException.closeSilently("bad leafnode INFO: " + e.getMessage());
        }
        if (c.remote == null) {
            // A Go 2.10 leaf answers the greeting with an INFO carrying the compression it chose.
            if (!compressionNegotiated && !connected) {
                compression(info, c.nodes.config().compression(), false);
            }
            return;
        }
        boolean first = !infoReceived;
        if (first && !compressionNegotiated) {
            CompressionOptions configured = c.remote.currentUrl().isWebSocket()
                    ? CompressionOptions.of(CompressionOptions.OFF, List.of()) : c.remote.compression();
            if (!compression(info, configured, true)) {
                return;
            }
        }
        if (first) {
            infoReceived = true;
            // A leafnode port gives a client id and the leafnode URLs; anything else is the wrong port (Go).
            if (number(info.get("client_id")) == 0 || !info.containsKey("leafnode_urls")) {
                c.nodes.log().log(System.Logger.Level.ERROR, "lid:{0} - attempted to connect to wrong port", c.cid);
                throw ProtocolException.closeSilently("attempted to connect to wrong port");
            }
            nonce = string(info.get("nonce"));
            peerHeaders = Boolean.TRUE.equals(info.get("headers"));
            peerProto = (int) number(info.get("proto"));
            remoteId = string(info.get("server_id"));
            remoteName = string(info.get("server_name")).isEmpty() ? remoteId : string(info.get("server_name"));
            remoteCluster = string(info.get("cluster"));
            remoteDomain = string(info.get("domain"));
            // Over WebSocket the TLS (wss) was settled before the upgrade; Go ignores the INFO's tls_required then.
            if (Boolean.TRUE.equals(info.get("tls_required")) && !c.isTls() && !c.remote.currentUrl().isWebSocket()) {
                // The dialler read this INFO before deciding on TLS; getting here without it is a protocol error.
                throw ProtocolException.closeSilently("the hub requires TLS");
            }
            c.sendLine(connectLine());
        }
        List<?> leafUrls = info.get("leafnode_urls") instanceof List<?> l ? l : List.of();
        List<?> wsUrls = info.get("ws_connect_urls") instanceof List<?> w ? w : List.of();
        if (!leafUrls.isEmpty() || !wsUrls.isEmpty()) {
            // Every INFO's list is the newest view of the hub's cluster (Go's updateLeafNodeURLs).
            c.remote.learnUrls(leafUrls, wsUrls);
        }
        if (info.containsKey("import") || info.containsKey("export")) {
            RemoteConfig r = c.remote.config();
            messageRules = SubjectRules.fromJson(info.get("export")).denying(r.denyExports());
            interestRules = SubjectRules.fromJson(info.get("import")).denying(r.denyImports());
        }
        boolean finish = Boolean.TRUE.equals(info.get("connect_info"))
                || (first && !Boolean.TRUE.equals(info.get("info_on_connect")));
        if (finish && !connected) {
            connected = true;
            denyJetStream();
            if (c.nodes.registered(c) && c.bind()) {
                c.remote.connected(c);
            }
        }
    }

    /** Go's leafConnectInfo, with user and password from the URL, or the credentials file's JWT and signature. */
    private byte[] connectLine() throws ProtocolException {
        RemoteConfig r = c.remote.config();
        LeafUrl url = c.remote.currentUrl();
        JsonWriter json = new JsonWriter().beginObject().field("version", c.nodes.identity().serverVersion());
        if (!r.credentials().isEmpty()) {
            try {
                CredsFile.Signed signed = CredsFile.sign(Path.of(r.credentials()), nonce.getBytes(StandardCharsets.UTF_8));
                json.field("jwt", signed.jwt()).field("sig", signed.signature());
            } catch (IOException e) {
                c.nodes.log().log(System.Logger.Level.ERROR, "lid:{0} - {1}", c.cid, e.getMessage());
                throw ProtocolException.closeSilently("credentials: " + e.getMessage());
            }
        } else {
            LeafUrl withUser = url.user().isPresent() ? url : c.remote.configuredCredentials().orElse(url);
            if (withUser.user().isPresent()) {
                json.field("user", withUser.user().get());
                withUser.password().ifPresent(p -> json.field("pass", p));
            }
        }
        json.field("tls_required", c.isTls()).field("server_id", c.nodes.identity().serverId());
        String domain = c.nodes.local().domain();
        if (!domain.isEmpty()) {
            json.field("domain", domain);
        }
        json.field("name", c.nodes.identity().serverName());
        if (r.hub()) {
            json.field("is_hub", true);
        }
        String cluster = c.nodes.local().cluster();
        if (!cluster.isEmpty()) {
            // Go's hub refuses a leaf of its own cluster, and marks the leaf's interest with it (leafnode origin).
            json.field("cluster", cluster);
        }
        json.field("headers", true).field("protocol", LeafNodes.MSG_TRACE_PROTO);
        if (!r.denyImports().isEmpty()) {
            json.name("deny_pub").value(r.denyImports());
        }
        if (!c.compression.isEmpty()) {
            json.field("compress_mode", c.compression);
        }
        return ("CONNECT " + json.endObject() + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Go 2.10's compression exchange on the first INFO each side reads: the hub's greeting announces its mode;
     * a leaf that compresses too answers with an INFO naming the mode it chose, sent plainly, and compresses
     * from then on; the hub then compresses and sends its INFO again. Both read S2 after that INFO. A peer that
     * announces nothing (Go 2.9) leaves the connection as it was.
     *
     * @return whether to go on with this INFO (false: the next INFO, compressed, carries on, or closed)
     */
    private boolean compression(Map<String, Object> info, CompressionOptions configured, boolean solicited) {
        compressionNegotiated = true;
        if (!configured.configured()) {
            // Go 2.9: a peer's compression field is not read, and this side announces none.
            return true;
        }
        String theirs = string(info.get("compression"));
        if (!configured.negotiates()) {
            c.compression = theirs.isEmpty() || configured.mode().equals(CompressionOptions.NOT_SUPPORTED)
                    ? CompressionOptions.NOT_SUPPORTED : CompressionOptions.OFF;
            return true;
        }
        String mode;
        try {
            mode = configured.select(theirs);
        } catch (IllegalArgumentException e) {
            c.nodes.log().log(System.Logger.Level.ERROR, "lid:{0} - {1}", c.cid, e.getMessage());
            c.sendError(e.getMessage());
            c.close("Protocol Violation");
            return false;
        }
        if (mode.equals(CompressionOptions.S2_AUTO)) {
            // Go's first guess: the time the handshake took stands for the round trip.
            mode = configured.levelFor(java.time.Duration.between(c.channel.start(), java.time.Instant.now()));
        }
        c.compression = mode;
        if (!CompressionOptions.needsCompression(mode)) {
            return true;
        }
        byte[] line = c.nodes.compressionInfoLine(c.cid, solicited ? "" : nonce, configured.forInfo(mode));
        if (solicited) {
            c.sendLine(line);
            c.channel.drain(2000);
            c.compressWrites(mode);
        } else {
            c.channel.drain(2000);
            c.compressWrites(mode);
            c.sendLine(line);
        }
        c.channel.decodeReadsAfterThisRead(new S2Reader());
        return false;
    }

    // ---- accepting side ------------------------------------------------------------------------------------

    void connect(String text) throws ProtocolException {
        if (c.remote != null || connected) {
            return;
        }
        Map<String, Object> proto;
        try {
            proto = Json.parseObject(text);
        } catch (Json.JsonException e) {
            throw ProtocolException.closeSilently("bad leafnode CONNECT: " + e.getMessage());
        }
        if (!string(proto.get("lang")).isEmpty()) {
            c.sendError("attempted to connect to leaf node port");
            throw ProtocolException.closeSilently("a client connected to the leafnode port");
        }
        String cluster = c.nodes.local().cluster();
        if (!cluster.isEmpty() && cluster.equals(string(proto.get("cluster")))) {
            // Go's processLeafNodeConnect: a leaf of this server's own cluster would loop messages through it.
            c.sendError(SAME_CLUSTER);
            c.close("Cluster Names Identical");
            return;
        }
        if (!string(proto.get("gateway")).isEmpty()) {
            String err = "Rejecting connection from gateway \"" + proto.get("gateway") + "\" on the leafnode port";
            c.nodes.log().log(System.Logger.Level.ERROR, err);
            c.sendError(err);
            throw ProtocolException.closeSilently(err);
        }
        Optional<String> bound = authenticate(proto).map(grant -> {
            // Go's hub turns the user's permissions around: what the user may subscribe to is what this side
            // sends, what it may publish is the interest this side announces; the leaf gets them in the INFO.
            messageRules = rules(grant.subscribe());
            interestRules = rules(grant.publish());
            user = grant.user();
            return grant.account();
        });
        if (bound.isEmpty()) {
            c.nodes.log().log(System.Logger.Level.ERROR, "{0} - lid:{1} - authentication error", c.remoteAddress(),
                    c.cid);
            c.sendError("Authorization Violation");
            c.close("Authentication Failure");
            return;
        }
        if (c.nodes.accounts().find(bound.get()).isEmpty()) {
            c.nodes.log().log(System.Logger.Level.ERROR, "lid:{0} - account \"{1}\" not found", c.cid, bound.get());
            c.sendError("Authorization Violation");
            c.close("Authentication Failure");
            return;
        }
        account = bound.get();
        connected = true;
        if (c.compression.isEmpty()) {
            // No INFO came first (a Go 2.9 leaf, or one not compressing): what its CONNECT says, if anything.
            String theirs = string(proto.get("compress_mode"));
            c.compression = theirs.isEmpty() ? CompressionOptions.NOT_SUPPORTED : theirs;
        }
        remoteName = string(proto.get("name"));
        remoteId = string(proto.get("server_id"));
        remoteCluster = string(proto.get("cluster"));
        remoteDomain = string(proto.get("domain"));
        // The other side declared itself our hub: this server takes the spoke's role on this connection.
        spoke = Boolean.TRUE.equals(proto.get("is_hub"));
        peerHeaders = Boolean.TRUE.equals(proto.get("headers"));
        peerProto = (int) number(proto.get("protocol"));
        if (proto.get("deny_pub") instanceof List<?> deny) {
            // The leaf's deny_imports: this side never sends it those (Go's mergeDenyPermissions).
            messageRules = messageRules.denying(deny.stream().map(String::valueOf).toList());
        }
        denyJetStream();
        if (!c.nodes.registered(c)) {
            return;
        }
        c.sendLine(c.nodes.infoLine(c.cid, "", Optional.of(account), grantedImport, grantedExport));
        c.bind();
    }

    /**
     * What the CONNECT's credentials are granted, empty when they are refused: the leafnode block's own users
     * when it has an {@code authorization}, else the server's authentication (users, nkeys, operator JWTs with
     * the signed nonce), as Go's isLeafNodeAuthorized.
     */
    private Optional<ServerGrant> authenticate(Map<String, Object> proto) {
        LeafAuth auth = c.nodes.config().auth();
        String given = string(proto.get("user"));
        String password = string(proto.get("pass"));
        String global = c.nodes.globalAccount();
        if (!auth.users().isEmpty()) {
            for (LeafUser u : auth.users()) {
                if (u.user().equals(given) && Passwords.matches(u.password(), password)) {
                    return Optional.of(grant(u.account().isEmpty() ? global : u.account(), given));
                }
            }
            return Optional.empty();
        }
        if (!auth.user().isEmpty()) {
            if (!auth.user().equals(given) || !Passwords.matches(auth.password(), password)) {
                return Optional.empty();
            }
            return Optional.of(grant(auth.account().isEmpty() ? global : auth.account(), given));
        }
        if (!auth.account().isEmpty()) {
            return Optional.of(grant(auth.account(), ""));
        }
        Credentials presented = new Credentials(given, password, string(proto.get("auth_token")),
                string(proto.get("jwt")), string(proto.get("nkey")), string(proto.get("sig")), nonce);
        String ip = c.remoteAddress().substring(0, c.remoteAddress().lastIndexOf(':'));
        Optional<ServerGrant> grant = c.nodes.sessions().authenticate("leafnode", presented, ip);
        if (grant.isEmpty() && anonymous(presented) && !c.nodes.settings().operatorMode()) {
            // Go's processClientOrLeafAuthentication: a leaf that presents no user, nkey or JWT is not refused by
            // the server's users; it is bound to the global account (Go's "no required username/password").
            return Optional.of(grant(global, ""));
        }
        grant.ifPresent(g -> {
            grantedImport = toJson(g.subscribe());
            grantedExport = toJson(g.publish());
        });
        return grant;
    }

    private static boolean anonymous(Credentials presented) {
        return presented.user().isEmpty() && presented.jwt().isEmpty() && presented.nkey().isEmpty();
    }

    private static ServerGrant grant(String account, String user) {
        return new ServerGrant(account, user, ServerGrant.Rules.ANY, ServerGrant.Rules.ANY);
    }

    private static SubjectRules rules(ServerGrant.Rules r) {
        return new SubjectRules(r.allow(), r.deny());
    }

    private static Optional<Map<String, Object>> toJson(ServerGrant.Rules r) {
        return rules(r).json();
    }

    // ---- what the handshake learned ------------------------------------------------------------------------

    String account() {
        return account;
    }

    boolean isSpoke() {
        return spoke;
    }

    boolean isConnected() {
        return connected;
    }

    String remoteName() {
        return remoteName;
    }

    String remoteId() {
        return remoteId;
    }

    String remoteCluster() {
        return remoteCluster;
    }

    /** The peer's JetStream domain, empty for none. */
    String remoteDomain() {
        return remoteDomain;
    }

    String user() {
        return user;
    }

    boolean peerTakesHeaders() {
        return peerHeaders;
    }

    /** Whether the peer sends trace events of its own (Go 2.11's MsgTraceProto). */
    boolean peerTraces() {
        return peerProto >= LeafNodes.MSG_TRACE_PROTO && peerHeaders;
    }

    /** Go 2.9's addLeafNodeConnection: the JetStream subjects kept on each side, by domain (see JetStreamDenies). */
    private void denyJetStream() {
        LocalServer.State js = c.nodes.local();
        Optional<String> systemAccount = c.nodes.settings().systemAccount();
        String peer = remoteCluster.isEmpty() ? remoteName : remoteName + "/" + remoteCluster;
        JetStreamDenies.Decision d = JetStreamDenies.decide(new JetStreamDenies.Sides(js.enabled(), js.domain(),
                remoteDomain, systemAccount.isPresent(), systemAccount.map(account::equals).orElse(false), account,
                peer));
        d.notices().forEach(n -> c.nodes.log().log(System.Logger.Level.INFO, "{0} - lid:{1} - {2}",
                c.remoteAddress(), c.cid, n));
        d.warning().ifPresent(w -> c.nodes.log().log(System.Logger.Level.WARNING, "{0} - lid:{1} - {2}",
                c.remoteAddress(), c.cid, w));
        if (!d.mappings().isEmpty()) {
            c.nodes.accounts().find(account).ifPresent(a -> d.mappings().forEach(a::addMapping));
        }
        messageRules = messageRules.denying(d.bothWays());
        interestRules = interestRules.denying(d.bothWays());
        d.outgoing().ifPresent(own -> messageRules = messageRules.denying(List.of(own)));
    }

    SubjectRules messageRules() {
        return messageRules;
    }

    SubjectRules interestRules() {
        return interestRules;
    }

    boolean isLiteral(String subject) {
        return subject.indexOf('*') < 0 && subject.indexOf('>') < 0;
    }

    private static String string(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
