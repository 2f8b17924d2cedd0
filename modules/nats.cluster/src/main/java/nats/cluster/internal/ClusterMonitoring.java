package nats.cluster.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nats.api.links.RemoteInterest;
import nats.api.monitoring.MonitorException;
import nats.api.monitoring.MonitorQuery;
import nats.api.monitoring.Monitoring;
import nats.transport.json.GoDurations;

/**
 * What the cluster adds to monitoring, as Go shows it: {@code /routez} (and {@code ROUTEZ} requests), the
 * {@code cluster} section and the {@code routes} count of {@code /varz}, the routes of statistics events, and the
 * {@code cluster} and {@code connect_urls} fields of the INFO clients get.
 */
final class ClusterMonitoring {

    private final Cluster cluster;

    ClusterMonitoring(Cluster cluster) {
        this.cluster = cluster;
    }

    void register(Monitoring monitoring) {
        monitoring.document("/routez", "ROUTEZ", this::routez);
        monitoring.varzSection("cluster", this::varzCluster);
        monitoring.varzSection("routes", () -> cluster.registeredRoutes().size());
        monitoring.varzSection("connect_urls", () -> cluster.connectUrls().infoValue());
        monitoring.statszSection("routes", this::statszRoutes);
        monitoring.infoField("cluster", cluster::name);
        monitoring.infoField("connect_urls", () -> cluster.connectUrls().infoValue());
    }

    /** Go's Routez. */
    Map<String, Object> routez(MonitorQuery query) throws MonitorException {
        String subsOption = query.option("subs", "subscriptions").orElse("");
        boolean detail = subsOption.equalsIgnoreCase("detail")
                || Boolean.parseBoolean(query.option("", "subscriptions_detail").orElse("false"));
        boolean subs = !detail && MonitorQuery.goBool("subs", subsOption);
        Instant now = Instant.now();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("server_id", cluster.identity().serverId());
        r.put("now", now);
        ClusterConfig config = cluster.config();
        config.permissions().importJson().ifPresent(p -> r.put("import", p));
        config.permissions().exportJson().ifPresent(p -> r.put("export", p));
        List<Route> routes = cluster.registeredRoutes();
        routes.sort((a, b) -> Long.compare(a.rid, b.rid));
        r.put("num_routes", routes.size());
        List<Object> list = new ArrayList<>();
        for (Route route : routes) {
            list.add(route(route, now, subs, detail));
        }
        r.put("routes", list);
        return r;
    }

    private Map<String, Object> route(Route route, Instant now, boolean subs, boolean detail) {
        RouteHandshake h = route.handshake;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rid", route.rid);
        m.put("remote_id", h.remoteId());
        m.put("did_solicit", h.didSolicit());
        m.put("is_configured", h.explicit());
        String address = route.remoteAddress();
        int colon = address.lastIndexOf(':');
        m.put("ip", address.substring(0, colon));
        m.put("port", Integer.parseInt(address.substring(colon + 1)));
        m.put("start", route.channel.start());
        m.put("last_activity", route.channel.lastActivity());
        m.put("rtt", GoDurations.duration(route.channel.rttNanos()));
        m.put("uptime", GoDurations.uptime(Duration.between(route.channel.start(), now).toNanos()));
        m.put("idle", GoDurations.uptime(Duration.between(route.channel.lastActivity(), now).toNanos()));
        h.peerPermissions().importJson().ifPresent(p -> m.put("import", p));
        h.peerPermissions().exportJson().ifPresent(p -> m.put("export", p));
        m.put("pending_size", route.channel.pendingBytes());
        m.put("in_msgs", route.channel.inMsgs());
        m.put("out_msgs", route.channel.outMsgs());
        m.put("in_bytes", route.channel.inBytes());
        m.put("out_bytes", route.channel.outBytes());
        List<RemoteInterest> interest = route.interest();
        m.put("subscriptions", interest.size());
        if (!interest.isEmpty() && detail) {
            List<Object> details = new ArrayList<>();
            for (RemoteInterest i : interest) {
                // Go's newClientSubDetail: no account; the sid says it (account subject [queue]).
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("subject", i.subject());
                if (i.queue() != null) {
                    d.put("qgroup", i.queue());
                }
                d.put("sid", i.queue() == null ? i.account() + " " + i.subject()
                        : i.account() + " " + i.subject() + " " + i.queue());
                d.put("msgs", 0);
                d.put("cid", route.rid);
                details.add(d);
            }
            m.put("subscriptions_list_detail", details);
        } else if (!interest.isEmpty() && subs) {
            m.put("subscriptions_list", interest.stream().map(RemoteInterest::subject).toList());
        }
        // Go 2.10: the pinned account of a per-account route, and the compression negotiated.
        if (!route.account().isEmpty()) {
            m.put("account", route.account());
        }
        if (!route.compression.isEmpty()) {
            m.put("compression", route.compression);
        }
        return m;
    }

    /** Go's ClusterOptsVarz. */
    private Object varzCluster() {
        ClusterConfig c = cluster.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", cluster.name());
        m.put("addr", c.host());
        m.put("cluster_port", cluster.port());
        m.put("auth_timeout", c.authTimeout().toNanos() / 1e9);
        if (!c.routes().isEmpty()) {
            m.put("urls", c.routes().stream().map(RouteUrl::hostPort).toList());
        }
        // Go's default TLS timeout (2 s) shows even without TLS.
        m.put("tls_timeout", c.tls().map(t -> t.timeout().toNanos() / 1e9).orElse(2.0));
        if (c.tls().isPresent()) {
            m.put("tls_required", true);
            m.put("tls_verify", true);
        }
        if (c.poolSize() != 0 || c.pooling()) {
            // Only when pooling is configured: Go 2.9, the version this server reports, has no pool.
            m.put("pool_size", c.poolSize() == 0 ? c.announcedPoolSize() : c.poolSize());
        }
        return m;
    }

    /** Go's RouteStat list; null (left out) without routes. */
    private Object statszRoutes() {
        List<Route> routes = cluster.registeredRoutes();
        if (routes.isEmpty()) {
            return null;
        }
        List<Object> list = new ArrayList<>();
        for (Route route : routes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rid", route.rid);
            if (!route.handshake.remoteName().isEmpty()) {
                m.put("name", route.handshake.remoteName());
            }
            m.put("sent", dataStats(route.channel.outMsgs(), route.channel.outBytes()));
            m.put("received", dataStats(route.channel.inMsgs(), route.channel.inBytes()));
            m.put("pending", route.channel.pendingBytes());
            list.add(m);
        }
        return list;
    }

    private static Map<String, Object> dataStats(long msgs, long bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("msgs", msgs);
        m.put("bytes", bytes);
        return m;
    }
}
