package nats.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import nats.transport.compress.CompressionOptions;
import nats.transport.compress.S2Reader;
import nats.transport.config.Passwords;
import nats.transport.json.Json;
import nats.transport.json.JsonWriter;
import nats.transport.protocol.ProtocolException;
import nats.transport.tls.PeerCertificates;

/**
 * Who is at the other end of a route and how the two servers agree to talk, as Go's processRouteConnect and
 * processRouteInfo decide it: CONNECT (authentication, cluster name), the first INFO (self-detection, cluster
 * name negotiation, duplicate names, registration, gossip) and later INFOs (servers learned through the peer,
 * lame-duck mode, permission changes).
 */
final class RouteHandshake {

    private final Route route;
    private final Cluster cluster;
    /** The URL dialled (solicited) or built from the peer's INFO; may be upgraded by a duplicate. */
    private volatile RouteUrl url;
    private volatile boolean explicit;
    /** Go's route.retry: reconnect even an implicit route (set when a duplicate was resolved onto this one). */
    private volatile boolean retry;
    private volatile boolean upgradedToSolicited;
    private volatile boolean connectReceived;
    private volatile boolean infoReceived;
    private volatile String remoteId = "";
    private volatile String remoteName = "";
    /** The peer's protocol level from its INFO; tracing needs {@link Cluster#MSG_TRACE_PROTO}. */
    private volatile int peerProto;
    private volatile boolean peerHeaders;
    /** Whether the peer announced Go's leafnode origin cluster support ({@code lnoc}, in CONNECT or INFO). */
    private volatile boolean peerLnoc;
    private volatile RoutePermissions peerPermissions = RoutePermissions.NONE;
    private volatile boolean noReconnect;
    /** The peer's first INFO (what other link types read from it, e.g. its gateway URL). */
    private volatile RemoteInfo firstInfo;
    /** Whether compression was negotiated on the first INFO (Go's compressionNegotiated flag). */
    private boolean compressionNegotiated;

    RouteHandshake(Route route, RouteUrl url, boolean explicit) {
        this.route = route;
        this.cluster = route.cluster;
        this.url = url;
        this.explicit = explicit;
    }

    // ---- CONNECT ---------------------------------------------------------------------------------------------

    /** Go's connectInfo, sent by the side that dialled. */
    byte[] connectLine() {
        JsonWriter json = new JsonWriter().beginObject().field("echo", true).field("verbose", false)
                .field("pedantic", false);
        // As Go: the credentials of the route's URL (gossiped routes get the cluster's own when the peer asks).
        url.user().ifPresent(u -> json.field("user", u));
        url.password().ifPresent(p -> json.field("pass", p));
        json.field("tls_required", cluster.config().tls().isPresent()).field("headers", true)
                .field("name", cluster.identity().serverId()).field("cluster", cluster.name());
        if (cluster.dynamicName()) {
            json.field("cluster_dynamic", true);
        }
        json.field("lnoc", true);
        return ("CONNECT " + json.endObject() + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** An accepted route must send CONNECT within the cluster's auth timeout. */
    void armAuthTimer() {
        if (!route.solicited && cluster.config().authRequired()) {
            cluster.timers().schedule(() -> {
                if (!connectReceived && !route.isClosed()) {
                    route.sendError("Authentication Timeout");
                    route.close("Authentication Timeout");
                }
            }, cluster.config().authTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Go's isRouterAuthorized: with {@code verify_and_map} the dialling server's certificate must name the
     * authorization's user (without a user nothing passes), with {@code verify_cert_and_check_known_urls} one of its
     * DNS names must match the host of a configured route URL (either suffices when both are set); the CONNECT's
     * user and password do not count then. Otherwise the user and password, when a user is configured.
     */
    private boolean authorized(ClusterConfig config, Map<String, Object> json) {
        boolean map = config.tls().map(t -> t.verifyAndMap()).orElse(false);
        boolean knownUrls = config.tls().map(t -> t.checkKnownUrls()).orElse(false);
        if (map || knownUrls) {
            return route.channel.tlsSession().map(session -> knownUrls && PeerCertificates.dnsNameMatchesKnownHost(
                    session, config.routes().stream().map(RouteUrl::host).toList())
                    || map && !config.username().isEmpty()
                    && PeerCertificates.namesForMapping(session).contains(config.username())).orElse(false);
        }
        return !config.authRequired() || (config.username().equals(string(json, "user"))
                && Passwords.matches(config.password(), string(json, "pass")));
    }

    /** Before CONNECT an accepted route may send nothing else (Go's authorization violation). */
    void requireConnected() throws ProtocolException {
        if (!route.solicited && !connectReceived) {
            throw ProtocolException.fatal("Authorization Violation", "route operation before CONNECT");
        }
    }

    void connect(String text) throws ProtocolException {
        Map<String, Object> json;
        try {
            json = Json.parseObject(text);
        } catch (Json.JsonException e) {
            throw ProtocolException.closeSilently("bad route CONNECT: " + e.getMessage());
        }
        ClusterConfig config = cluster.config();
        if (!route.solicited && !authorized(config, json)) {
            cluster.log().log(System.Logger.Level.ERROR, "{0} - rid:{1} - authentication error",
                    route.remoteAddress(), route.rid);
            throw ProtocolException.fatal("Authorization Violation", "route authentication failed");
        }
        // Clients send "lang" in CONNECT, routes do not: a client dialled the route port.
        if (!string(json, "lang").isEmpty()) {
            throw ProtocolException.fatal("attempted to connect to route port", "a client connected to the route port");
        }
        String gateway = string(json, "gateway");
        if (!gateway.isEmpty()) {
            String text2 = "Rejecting connection from gateway \"" + gateway + "\" on the Route port";
            cluster.log().log(System.Logger.Level.ERROR, text2);
            throw ProtocolException.fatal(text2, "gateway on the route port");
        }
        String theirs = string(json, "cluster");
        String ours = cluster.name();
        if (!theirs.equals(ours)) {
            boolean adopt = cluster.dynamicName()
                    && (!Boolean.TRUE.equals(json.get("cluster_dynamic")) || ours.compareTo(theirs) < 0);
            if (!adopt) {
                String reject = "Rejecting connection, cluster name \"" + theirs + "\" does not match \"" + ours + "\"";
                cluster.log().log(System.Logger.Level.ERROR, "{0} - rid:{1} - {2}", route.remoteAddress(), route.rid,
                        reject);
                route.sendError(reject);
                throw ProtocolException.closeSilently("cluster name conflict");
            }
            cluster.adoptName(theirs, !Boolean.TRUE.equals(json.get("cluster_dynamic")), route);
        }
        remoteId = string(json, "name");
        peerHeaders = Boolean.TRUE.equals(json.get("headers"));
        peerLnoc = Boolean.TRUE.equals(json.get("lnoc"));
        connectReceived = true;
    }

    // ---- INFO ----------------------------------------------------------------------------------------------

    void info(RemoteInfo info) throws ProtocolException {
        requireConnected();
        if (info.id().equals(cluster.identity().serverId())) {
            // A route to ourselves (our own address among the routes): drop it, do not dial it again.
            remoteId = info.id();
            noReconnect = true;
            route.close("Duplicate Route");
            return;
        }
        if (!info.cluster().isEmpty() && !info.cluster().equals(cluster.name())) {
            if (cluster.dynamicName() && (!info.dynamicCluster() || cluster.name().compareTo(info.cluster()) < 0)) {
                cluster.adoptName(info.cluster(), !info.dynamicCluster(), route);
            } else {
                route.close("Cluster Name Conflict");
                return;
            }
        }
        if (infoReceived) {
            asyncInfo(info);
            return;
        }
        if (!route.solicited && info.name().equals(cluster.identity().serverName())) {
            cluster.log().log(System.Logger.Level.ERROR, "{0} - rid:{1} - Remote server has a duplicate name: \"{2}\"",
                    route.remoteAddress(), route.rid, info.name());
            route.close("Duplicate Server Name");
            return;
        }
        if (!compression(info)) {
            return;
        }
        infoReceived = true;
        firstInfo = info;
        remoteId = info.id();
        remoteName = info.name();
        peerHeaders = info.headers();
        peerLnoc = info.lnoc();
        peerProto = info.proto();
        peerPermissions = info.permissions();
        if (url == null) {
            url = RouteUrl.learned(info.host(), info.port(), Optional.empty(), Optional.empty());
        }
        if (!route.solicited) {
            route.bindAccount(info.routeAccount());
        }
        switch (cluster.addRoute(route, info)) {
            case STOPPED -> route.close("Server Shutdown");
            case REFUSED -> route.close("Protocol Violation");
            case DUPLICATE -> {
                cluster.log().log(System.Logger.Level.DEBUG, "Detected duplicate remote route \"{0}\"", info.id());
                route.close("Duplicate Route");
            }
            case ADDED, ADDED_FIRST -> {
                cluster.log().log(System.Logger.Level.DEBUG, "Registering remote route \"{0}\"", info.id());
            }
        }
    }

    /**
     * Go 2.10's compression negotiation on the first INFO (processRouteInfo, negotiateRouteCompression). When
     * both sides compress, the dialling side sends its INFO plainly and then compresses, the accepting side
     * compresses first and then sends its INFO; both read compressed after that INFO, and the route is registered
     * on the INFO that follows.
     *
     * @return whether to go on with this INFO (false: wait for the next one, or closed)
     */
    private boolean compression(RemoteInfo info) {
        CompressionOptions configured = cluster.config().compression();
        if (!configured.configured()) {
            route.compression = "";
            return true;
        }
        if (!configured.negotiates()) {
            route.compression = info.compression().isEmpty()
                    || configured.mode().equals(CompressionOptions.NOT_SUPPORTED)
                    ? CompressionOptions.NOT_SUPPORTED : CompressionOptions.OFF;
            return true;
        }
        if (compressionNegotiated) {
            if (route.solicited && !infoWaitsForPoolSlot()) {
                route.sendLine(cluster.routeInfoLine(route.account(), configured.forInfo(route.compression), 0));
            }
            return true;
        }
        compressionNegotiated = true;
        String mode;
        try {
            mode = configured.select(info.compression());
        } catch (IllegalArgumentException e) {
            cluster.log().log(System.Logger.Level.ERROR, "{0} - rid:{1} - {2}", route.remoteAddress(), route.rid,
                    e.getMessage());
            route.sendError(e.getMessage());
            route.close("Protocol Violation");
            return false;
        }
        if (mode.equals(CompressionOptions.S2_AUTO)) {
            // Go's first guess: the time the handshake took stands for the round trip.
            mode = configured.levelFor(java.time.Duration.between(route.channel.start(), java.time.Instant.now()));
        }
        route.compression = mode;
        route.startPings();
        if (!CompressionOptions.needsCompression(mode)) {
            if (route.solicited && !infoWaitsForPoolSlot()) {
                route.sendLine(cluster.routeInfoLine(route.account(), configured.forInfo(mode), 0));
            }
            return true;
        }
        byte[] line = cluster.routeInfoLine(route.account(), configured.forInfo(mode), 0);
        if (route.solicited) {
            route.sendLine(line);
            route.channel.drain(2000);
            route.compressWrites(mode);
        } else {
            route.channel.drain(2000);
            route.compressWrites(mode);
            route.sendLine(line);
        }
        route.channel.decodeReadsAfterThisRead(new S2Reader());
        return false;
    }

    /** Go's routeShouldDelayInfo: a pooled route's INFO waits until registration gives it its pool slot. */
    boolean infoWaitsForPoolSlot() {
        return route.account().isEmpty() && cluster.config().pooling();
    }

    /** A later INFO: a server the peer learned of, the peer's lame-duck mode, or its new permissions. */
    private void asyncInfo(RemoteInfo info) {
        if (!info.routeAccReqId().isEmpty()) {
            // A peer's reload moves an account to routes of its own (Go checks this first).
            cluster.accountRoutes().onInfo(route, info);
            return;
        }
        if (!info.gateway().isEmpty()) {
            // Gateway gossip (Go's processGatewayInfoFromRoute): the gateway plugin's, if there is one.
            for (nats.api.links.RouteGossip g : cluster.links().routeGossip()) {
                if (g.routeInfo(remoteId, info.json())) {
                    return;
                }
            }
            cluster.log().log(System.Logger.Level.ERROR,
                    "Received information about gateway \"{0}\" from {1}, but gateway is not configured",
                    info.gateway(), remoteId);
            return;
        }
        if (!remoteId.isEmpty() && !remoteId.equals(info.id())) {
            cluster.gossip(info);
            return;
        }
        if (info.lameDuck()) {
            cluster.peerEnteredLameDuck(route);
            return;
        }
        RoutePermissions before = peerPermissions;
        peerPermissions = info.permissions();
        cluster.peerPermissionsChanged(route, before, peerPermissions);
    }

    // ---- state for the cluster and monitoring ----------------------------------------------------------------

    String remoteId() {
        return remoteId;
    }

    /** The peer's first INFO; null before it came. */
    RemoteInfo firstInfo() {
        return firstInfo;
    }

    String remoteName() {
        return remoteName;
    }

    boolean peerTakesHeaders() {
        return peerHeaders;
    }

    /** Whether messages from leaf nodes go to the peer with their origin cluster (Go's {@code route.lnoc}). */
    boolean peerTakesOrigin() {
        return peerLnoc;
    }

    /** Whether the peer sends trace events of its own (Go 2.11's MsgTraceProto). */
    boolean peerTraces() {
        return peerProto >= Cluster.MSG_TRACE_PROTO && peerHeaders;
    }

    RoutePermissions peerPermissions() {
        return peerPermissions;
    }

    RouteUrl url() {
        return url;
    }

    boolean explicit() {
        return explicit;
    }

    boolean didSolicit() {
        return route.solicited || upgradedToSolicited;
    }

    boolean retry() {
        return retry;
    }

    boolean noReconnect() {
        return noReconnect;
    }

    void noReconnect(boolean on) {
        noReconnect = on;
    }

    /**
     * Go's duplicate resolution: the route kept takes over the dialled URL of the one dropped (so it is
     * reconnected as that one would have been), and is retried even when implicit.
     */
    void takeOver(RouteHandshake dropped) {
        if (dropped.didSolicit()) {
            url = dropped.url;
            explicit = dropped.explicit;
            upgradedToSolicited = true;
        }
        retry = true;
    }

    private static String string(Map<String, Object> json, String key) {
        return json.get(key) instanceof String s ? s : "";
    }
}
