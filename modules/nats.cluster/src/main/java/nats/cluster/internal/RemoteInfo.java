package nats.cluster.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The INFO another server sent over a route, with the fields the route protocol uses. The parsed JSON is kept
 * whole, so a new peer's INFO can be passed on to the other servers (gossip) as it came, as Go re-sends it.
 *
 * @param json the INFO as parsed, in its field order
 */
public record RemoteInfo(Map<String, Object> json) {

    public RemoteInfo {
        json = new LinkedHashMap<>(json);
    }

    public String id() {
        return text("server_id");
    }

    public String name() {
        return text("server_name");
    }

    public String cluster() {
        return text("cluster");
    }

    public boolean dynamicCluster() {
        return flag("cluster_dynamic");
    }

    public String host() {
        return text("host");
    }

    public int port() {
        return json.get("port") instanceof Number n ? n.intValue() : 0;
    }

    /** {@code nats-route://host:port/} set by a server passing this INFO on (or by cluster_advertise). */
    public String ip() {
        return text("ip");
    }

    /** The server-to-server protocol level (Go's {@code proto}: 2 accounts, 3 message tracing). */
    public int proto() {
        return json.get("proto") instanceof Number n ? n.intValue() : 0;
    }

    public boolean headers() {
        return flag("headers");
    }

    /** Go 2.9's leafnode origin cluster support: the peer takes {@code LMSG}/{@code LS+} with an origin. */
    public boolean lnoc() {
        return flag("lnoc");
    }

    public boolean authRequired() {
        return flag("auth_required");
    }

    public boolean lameDuck() {
        return flag("ldm");
    }

    public String gateway() {
        return text("gateway");
    }

    public String gatewayUrl() {
        return text("gateway_url");
    }

    public boolean jetstream() {
        return flag("jetstream");
    }

    public List<String> connectUrls() {
        return strings("connect_urls");
    }

    public List<String> wsConnectUrls() {
        return strings("ws_connect_urls");
    }

    /** Go 2.10's {@code route_pool_size}: the peer's pool size; 0 from a server without pooling (Go 2.9). */
    public int routePoolSize() {
        return json.get("route_pool_size") instanceof Number n ? n.intValue() : 0;
    }

    /** Go 2.10's {@code route_pool_idx}: the slot of the pool this connection takes. */
    public int routePoolIdx() {
        return json.get("route_pool_idx") instanceof Number n ? n.intValue() : 0;
    }

    /** Go 2.10's {@code route_account}: the account this connection is dedicated to; empty for a pooled one. */
    public String routeAccount() {
        return text("route_account");
    }

    /** Go 2.10's {@code route_acc_add_reqid}: a reload's request to move an account to routes of its own. */
    public String routeAccReqId() {
        return text("route_acc_add_reqid");
    }

    /** Go 2.10's {@code compression}: the peer's mode; empty from a server that does not compress (Go 2.9). */
    public String compression() {
        return text("compression");
    }

    /** The import/export permissions the peer announced. */
    public RoutePermissions permissions() {
        return RoutePermissions.fromInfo(json.get("import"), json.get("export"));
    }

    /** This INFO as a peer passes it on: with {@code ip} set and without the nonce (Go's forwarding). */
    public Map<String, Object> forwarded(String ip) {
        Map<String, Object> copy = new LinkedHashMap<>(json);
        copy.remove("nonce");
        if (!copy.containsKey("ip")) {
            // Go's Info has ip after jetstream; at the end is as good for every reader.
            copy.put("ip", ip);
        } else if (text("ip").isEmpty()) {
            copy.put("ip", ip);
        }
        return copy;
    }

    private String text(String key) {
        Object v = json.get(key);
        return v instanceof String s ? s : "";
    }

    private boolean flag(String key) {
        return Boolean.TRUE.equals(json.get(key));
    }

    private List<String> strings(String key) {
        return json.get(key) instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }
}
