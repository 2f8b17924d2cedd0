package nats.gateway.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.api.ServerContext;
import nats.api.ServerIdentity;
import nats.transport.json.JsonWriter;

/**
 * The INFO protocols of gateways, in Go's field order (Go marshals its Info struct, zero values included where
 * not omitted): this server's gateway INFO, the commands of the switch to interest-only mode, gossip of other
 * clusters (over gateways and over routes); and the URL this server announces (Go's setGatewayInfoHostPort).
 */
final class GatewayInfo {

    private final ServerContext context;
    private final GatewayConfig config;
    private final boolean interestOnly;

    GatewayInfo(ServerContext context, GatewayConfig config, boolean interestOnly) {
        this.context = context;
        this.config = config;
        this.interestOnly = interestOnly;
    }

    /** Go 2.11's MsgTraceProto: the level at which a gateway peer carries trace hops and sends its events. */
    static final int MSG_TRACE_PROTO = 3;

    /** This server's gateway INFO (Go's gateway infoJSON). */
    byte[] infoLine(String url, List<String> clusterUrls) {
        ServerIdentity id = context.identity();
        String[] hp = splitHostPort(url);
        JsonWriter json = new JsonWriter().beginObject()
                .field("server_id", id.serverId()).field("server_name", id.serverName())
                .field("version", id.serverVersion()).field("proto", MSG_TRACE_PROTO).field("go", "")
                .field("host", hp[0]).field("port", Integer.parseInt(hp[1])).field("headers", true);
        if (config.authRequired()) {
            json.field("auth_required", true);
        }
        if (config.tls().isPresent()) {
            json.field("tls_required", true).field("tls_verify", true);
        }
        json.field("max_payload", context.settings().maxPayload());
        json.field("gateway", config.name());
        json.name("gateway_urls").value(clusterUrls);
        json.field("gateway_url", url);
        json.field("gateway_nrp", true);
        if (interestOnly) {
            json.field("gateway_iom", true);
        }
        return ("INFO " + json.endObject() + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Go's gatewaySwitchAccountToSendAllSubs commands: start (2) or complete (3), the account base64-encoded. */
    String commandInfo(int command, String account) {
        JsonWriter json = empty("").field("gateway", config.name()).field("gateway_cmd", command)
                .field("gateway_cmd_payload", Base64.getEncoder().encodeToString(account.getBytes(StandardCharsets.UTF_8)));
        return "INFO " + json.endObject();
    }

    /** Go's gossipGatewaysToInboundGateway: another cluster this server knows. */
    String gossipInfo(String gateway, List<String> urls) {
        JsonWriter json = empty(context.identity().serverId()).field("gateway", gateway);
        json.name("gateway_urls").value(urls);
        json.field("gateway_cmd", Gateways.CMD_GOSSIP);
        return "INFO " + json.endObject();
    }

    /** The INFO fields of a gateway gossip sent over routes (Go sets the id to "GW" + its own). */
    Map<String, Object> gossipFields(String gateway, List<String> urls) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server_id", "GW" + context.identity().serverId());
        m.put("server_name", context.identity().serverName());
        m.put("version", "");
        m.put("proto", 0);
        m.put("go", "");
        m.put("host", "");
        m.put("port", 0);
        m.put("headers", false);
        m.put("max_payload", 0);
        m.put("gateway", gateway);
        m.put("gateway_urls", urls);
        m.put("gateway_cmd", Gateways.CMD_GOSSIP);
        return m;
    }

    /** The fields Go's Info marshals even when empty. */
    private static JsonWriter empty(String serverId) {
        return new JsonWriter().beginObject().field("server_id", serverId).field("server_name", "")
                .field("version", "").field("proto", 0).field("go", "").field("host", "").field("port", 0)
                .field("headers", false).field("max_payload", 0);
    }

    /** Go's setGatewayInfoHostPort: advertise, else the listener's address (an unspecified one resolved to a local IP). */
    String advertisedUrl(int port) {
        if (!config.advertise().isEmpty()) {
            String a = config.advertise();
            return a.lastIndexOf(':') > a.lastIndexOf(']') ? a : a + ":" + port;
        }
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            host = firstNonLocalAddress().orElse(host);
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private Optional<String> firstNonLocalAddress() {
        try {
            for (NetworkInterface ni : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return Optional.of(a.getHostAddress());
                    }
                }
            }
        } catch (IOException e) {
            context.logger().log(System.Logger.Level.ERROR, "Could not find any non-local IP for gateway \"{0}\" with"
                    + " listen specification \"{1}\"", config.name(), config.host());
        }
        return Optional.empty();
    }

    static String[] splitHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, hostPort.substring(colon + 1)};
    }
}
