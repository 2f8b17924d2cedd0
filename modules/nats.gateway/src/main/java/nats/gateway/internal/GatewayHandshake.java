package nats.gateway.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import nats.transport.config.Passwords;
import nats.transport.json.JsonWriter;
import nats.transport.protocol.ProtocolException;

/**
 * Who is at the other end of a gateway connection and how the two servers agree to talk, as Go's
 * processGatewayConnect and processGatewayInfo decide it: an inbound connection's CONNECT (credentials, a client or
 * route on the wrong port, unknown clusters) and first INFO (registration); an outbound connection's first INFO
 * (the remote's name, its mode, CONNECT and INFO in answer) and later ones (gossip of other clusters, the commands
 * of the switch to interest-only mode, new URLs of the remote cluster).
 */
final class GatewayHandshake {

    private final GatewayConnection c;
    private final Gateways gateways;
    /** The URL dialled (outbound); null for an inbound connection. */
    private final GatewayUrl dialled;
    private volatile String remoteName;
    private volatile String remoteId = "";
    private volatile boolean infoReceived;
    private volatile boolean connectReceived;
    private volatile boolean peerHeaders;
    /** The accepting server's protocol level from its INFO; trace hops need {@link GatewayInfo#MSG_TRACE_PROTO}. */
    private volatile int peerProto;

    GatewayHandshake(GatewayConnection connection, GatewayUrl dialled) {
        this.c = connection;
        this.gateways = connection.gateways;
        this.dialled = dialled;
        this.remoteName = connection.remote == null ? "" : connection.remote.name;
    }

    /**
     * Go's isGatewayAuthorized: with {@code verify_and_map} the dialling server's certificate must name the
     * authorization's user (and without a user nothing passes), with {@code verify_cert_and_check_known_urls} one of
     * its DNS names must match a configured gateway URL's host (either suffices when both are set); otherwise the
     * CONNECT's user and password, when a user is configured.
     */
    private boolean authorized(GatewayConfig config, Map<String, Object> json) {
        boolean map = config.tls().map(t -> t.verifyAndMap()).orElse(false);
        boolean knownUrls = config.tls().map(t -> t.checkKnownUrls()).orElse(false);
        if (map || knownUrls) {
            // Go checks the certificate alone then: the CONNECT's user and password do not count.
            return c.channel.tlsSession().map(session -> knownUrls && CertificateNames.dnsNameMatchesKnownHost(session,
                    knownHosts(config)) || map && !config.username().isEmpty()
                    && CertificateNames.of(session).contains(config.username())).orElse(false);
        }
        return !config.authRequired() || (config.username().equals(string(json, "user"))
                && Passwords.matches(config.password(), string(json, "pass")));
    }

    /** The hosts of the configured gateways' URLs (Go's opts.Gateway.Gateways, not the ones learned). */
    private static List<String> knownHosts(GatewayConfig config) {
        return config.gateways().stream().flatMap(g -> g.urls().stream()).map(GatewayUrl::host).toList();
    }

    /** An inbound connection's CONNECT (an outbound one never gets one). */
    void connect(Map<String, Object> json) throws ProtocolException {
        if (c.outbound) {
            throw ProtocolException.closeSilently("CONNECT on an outbound gateway");
        }
        GatewayConfig config = gateways.config();
        if (!authorized(config, json)) {
            gateways.log().log(System.Logger.Level.ERROR, "{0} - gid:{1} - Gateway authentication error",
                    c.remoteAddress(), c.cid);
            throw ProtocolException.fatal("Authorization Violation", "gateway authentication failed");
        }
        String gateway = string(json, "gateway");
        if (gateway.isEmpty()) {
            throw ProtocolException.fatal("attempted to connect to gateway port",
                    "a client or route connected to the gateway port");
        }
        if (config.rejectUnknown() && !gateways.isConfigured(gateway)) {
            gateways.log().log(System.Logger.Level.ERROR, "{0} - gid:{1} - Rejecting connection from gateway \"{2}\"",
                    c.remoteAddress(), c.cid, gateway);
            c.sendError("Connection to gateway \"" + config.name() + "\" rejected");
            throw ProtocolException.closeSilently("unknown gateway " + gateway);
        }
        connectReceived = true;
        c.startPings();
    }

    void info(Map<String, Object> info) throws ProtocolException {
        String gateway = string(info, "gateway");
        boolean first = !infoReceived;
        if (c.outbound) {
            outboundInfo(info, gateway, first);
        } else if (first) {
            if (!connectReceived) {
                throw ProtocolException.fatal("Authorization Violation", "gateway INFO before CONNECT");
            }
            infoReceived = true;
            remoteName = gateway;
            remoteId = string(info, "server_id");
            c.registerWithKernel();
            gateways.inboundRegistered(c, info);
        }
    }

    private void outboundInfo(Map<String, Object> info, String gateway, boolean first) {
        RemoteGateway remote = c.remote;
        if (gateway.isEmpty()) {
            c.sendError("Attempt to connect to gateway \"" + remote.name + "\" using wrong port");
            c.close("Wrong Port");
            return;
        }
        int command = info.get("gateway_cmd") instanceof Number n ? n.intValue() : 0;
        if (!gateway.equals(remote.name)) {
            if (!first && command == Gateways.CMD_GOSSIP) {
                gateways.implicitGateway(info);
                return;
            }
            gateways.log().log(System.Logger.Level.ERROR, "Failing connection to gateway \"{0}\", remote gateway name is \"{1}\"",
                    remote.name, gateway);
            c.sendError("Connection from \"" + gateways.config().name() + "\" rejected, wanted to connect to \""
                    + remote.name + "\", this is \"" + gateway + "\"");
            c.close("Wrong Gateway");
            return;
        }
        List<String> urls = GatewayConnection.strings(info.get("gateway_urls"));
        if (!urls.isEmpty()) {
            remote.replaceLearned(urls);
        }
        if (first) {
            infoReceived = true;
            remoteId = string(info, "server_id");
            peerHeaders = Boolean.TRUE.equals(info.get("headers"));
            peerProto = info.get("proto") instanceof Number n ? n.intValue() : 0;
            c.append(connectLine());
            c.append(gateways.infoLine());
            if (!gateways.registerOutbound(c)) {
                c.close("Wrong Gateway");
                return;
            }
            c.registerWithKernel();
            c.outboundInterest(Boolean.TRUE.equals(info.get("gateway_iom")));
            gateways.outboundRegistered(c);
            c.startPings();
        } else if (command == Gateways.CMD_ALL_SUBS_START || command == Gateways.CMD_ALL_SUBS_COMPLETE) {
            allSubscriptionsCommand(info, command);
            return;
        } else if (command != 0) {
            gateways.log().log(System.Logger.Level.WARNING, "Received unknown command {0} from gateway \"{1}\"",
                    command, gateway);
            return;
        }
        gateways.forwardToCluster(info);
    }

    /** Go's gatewayAllSubsReceiveStart and gatewayAllSubsReceiveComplete. */
    private void allSubscriptionsCommand(Map<String, Object> info, int command) {
        String account = commandAccount(info);
        if (account.isEmpty()) {
            String which = command == Gateways.CMD_ALL_SUBS_START ? "start" : "complete";
            c.sendError("Account absent from receive-all-subscriptions-" + which + " command");
            c.close("Protocol Violation");
            return;
        }
        if (command == Gateways.CMD_ALL_SUBS_START) {
            c.outboundInterest().allSubscriptionsStart(account);
        } else {
            c.outboundInterest().allSubscriptionsComplete(account);
        }
    }

    /** Go's sendGatewayConnect: this server's id and gateway name, the URL's or the block's credentials. */
    private byte[] connectLine() {
        JsonWriter json = new JsonWriter().beginObject().field("echo", false).field("verbose", false)
                .field("pedantic", false);
        GatewayConfig config = gateways.config();
        String user = dialled.user().orElse(config.username());
        String pass = dialled.user().isPresent() ? dialled.password().orElse("") : config.password();
        if (!user.isEmpty()) {
            json.field("user", user);
        }
        if (!pass.isEmpty()) {
            json.field("pass", pass);
        }
        json.field("tls_required", c.remote.tls().isPresent()).field("headers", false)
                .field("name", gateways.identity().serverId()).field("cluster", "")
                .field("gateway", config.name());
        return ("CONNECT " + json.endObject() + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Go marshals the command's payload ([]byte) as base64. */
    private static String commandAccount(Map<String, Object> info) {
        if (!(info.get("gateway_cmd_payload") instanceof String s) || s.isEmpty()) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String string(Map<String, Object> json, String key) {
        return json.get(key) instanceof String s ? s : "";
    }

    boolean connectReceived() {
        return connectReceived;
    }

    String remoteName() {
        return remoteName;
    }

    String remoteId() {
        return remoteId;
    }

    /** Whether the other cluster's server sends trace events of its own (Go 2.11's MsgTraceProto). */
    boolean peerTraces() {
        return peerProto >= GatewayInfo.MSG_TRACE_PROTO && peerHeaders;
    }

    boolean peerHeaders() {
        return peerHeaders;
    }
}
