package nats.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

import nats.api.ServerIdentity;
import nats.transport.compress.CompressionOptions;
import nats.transport.json.JsonWriter;

/**
 * This server's route INFO as Go writes it (its routeInfo and generateRouteInitialInfoJSON): identity, address,
 * cluster name, client URLs, permissions, and Go 2.10's pool size, pool slot, pinned account and compression.
 */
final class RouteInfoWriter {

    private final Cluster cluster;

    RouteInfoWriter(Cluster cluster) {
        this.cluster = cluster;
    }

    byte[] line(boolean withNonce, boolean ldm, String account, String compression, int poolIdx) {
        ServerIdentity id = cluster.identity();
        ClusterConfig c = cluster.config();
        JsonWriter json = new JsonWriter().beginObject()
                .field("server_id", id.serverId()).field("server_name", id.serverName())
                .field("version", id.serverVersion()).field("proto", Cluster.MSG_TRACE_PROTO).field("go", runtimeVersion());
        String[] advertised = advertised(c);
        json.field("host", advertised[0]).field("port", Integer.parseInt(advertised[1])).field("headers", true);
        if (c.authRequired()) {
            json.field("auth_required", true);
        }
        if (c.tls().isPresent()) {
            json.field("tls_required", true).field("tls_verify", true);
        }
        json.field("max_payload", cluster.settings().maxPayload());
        if (!c.advertise().isEmpty()) {
            json.field("ip", "nats-route://" + advertised[0] + ":" + advertised[1] + "/");
        }
        if (withNonce) {
            json.field("nonce", nonce());
        }
        json.field("cluster", cluster.name());
        if (cluster.dynamicName()) {
            json.field("cluster_dynamic", true);
        }
        if (!c.noAdvertise()) {
            List<String> own = cluster.connectUrls().own();
            if (!own.isEmpty()) {
                json.name("connect_urls").value(own);
            }
        }
        if (ldm) {
            json.field("ldm", true);
        }
        // Go 2.9: this server takes and sends a leaf node's origin cluster (LMSG, LS+) on routes.
        json.field("lnoc", true);
        if (!compression.isEmpty() && !compression.equals(CompressionOptions.NOT_SUPPORTED)) {
            json.field("compression", compression);
        }
        if (c.announcedPoolSize() > 0) {
            json.field("route_pool_size", c.announcedPoolSize());
        }
        if (poolIdx > 0) {
            json.field("route_pool_idx", poolIdx);
        }
        if (!account.isEmpty()) {
            json.field("route_account", account);
        }
        for (nats.api.links.RouteGossip g : cluster.links().routeGossip()) {
            for (Map.Entry<String, Object> f : g.routeInfoFields().entrySet()) {
                json.name(f.getKey()).value(f.getValue());
            }
        }
        c.permissions().importJson().ifPresent(p -> json.name("import").value(p));
        c.permissions().exportJson().ifPresent(p -> json.name("export").value(p));
        // Go joins "INFO", the JSON and CRLF with spaces for its own route INFO.
        return ("INFO " + json.endObject() + " \r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** An INFO line with these fields (another link type's gossip over the routes). */
    static byte[] infoLine(Map<String, Object> fields) {
        JsonWriter json = new JsonWriter();
        json.value(fields);
        return ("INFO " + json + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The host and port peers should dial: cluster_advertise, else the listener's. */
    private String[] advertised(ClusterConfig c) {
        if (!c.advertise().isEmpty()) {
            String a = c.advertise();
            int colon = a.lastIndexOf(':');
            if (colon > 0 && !a.endsWith("]")) {
                return new String[] {a.substring(0, colon), a.substring(colon + 1)};
            }
            return new String[] {a, Integer.toString(cluster.port())};
        }
        return new String[] {c.host(), Integer.toString(cluster.port())};
    }

    private static String nonce() {
        byte[] raw = new byte[11];
        new SecureRandom().nextBytes(raw);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static String runtimeVersion() {
        StringBuilder sb = new StringBuilder("java");
        List<Integer> parts = Runtime.version().version();
        for (int i = 0; i < parts.size(); i++) {
            sb.append(i == 0 ? "" : ".").append(parts.get(i));
        }
        return sb.toString();
    }

}
