package nats.gateway.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nats.api.monitoring.MonitorException;
import nats.api.monitoring.MonitorQuery;
import nats.api.monitoring.Monitoring;
import nats.transport.json.GoDurations;

/**
 * What gateways add to monitoring, as Go shows it: {@code /gatewayz} (and {@code GATEWAYZ} requests) with
 * {@code accs}, {@code gw_name} and {@code acc_name}, the {@code gateway} section of {@code /varz}, and the
 * {@code gateways} of statistics events.
 */
final class GatewayMonitoring {

    private final Gateways gateways;

    GatewayMonitoring(Gateways gateways) {
        this.gateways = gateways;
    }

    void register(Monitoring monitoring) {
        monitoring.document("/gatewayz", "GATEWAYZ", this::gatewayz);
        monitoring.varzSection("gateway", this::varz);
        monitoring.statszSection("gateways", this::statsz);
        // Go names the cluster after the gateway when no cluster name is set; the cluster plugin, started
        // after this one, replaces the field with its own name.
        monitoring.infoField("cluster", () -> gateways.config().name());
    }

    /** Go's Gatewayz. */
    Map<String, Object> gatewayz(MonitorQuery query) throws MonitorException {
        boolean accs = query.flag("accs", "accounts");
        String gwName = query.option("gw_name", "name").orElse("");
        String accName = query.option("acc_name", "account_name").orElse("");
        if (!accName.isEmpty()) {
            accs = true;
        }
        Instant now = Instant.now();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("server_id", gateways.identity().serverId());
        g.put("now", now);
        g.put("name", gateways.config().name());
        String[] hp = GatewayInfo.splitHostPort(gateways.url());
        g.put("host", hp[0]);
        g.put("port", Integer.parseInt(hp[1]));
        Map<String, Object> outbound = new LinkedHashMap<>();
        for (GatewayConnection c : gateways.outboundConnections()) {
            if (!gwName.isEmpty() && !gwName.equals(c.remote.name)) {
                continue;
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("configured", !c.remote.implicit);
            r.put("connection", connection(c, now));
            if (accs) {
                List<Object> list = outboundAccounts(c, accName);
                if (!list.isEmpty()) {
                    r.put("accounts", list);
                }
            }
            outbound.put(c.remote.name, r);
        }
        g.put("outbound_gateways", outbound);
        Map<String, List<Object>> inbound = new LinkedHashMap<>();
        for (GatewayConnection c : gateways.inboundConnections()) {
            if (!gwName.isEmpty() && !gwName.equals(c.remoteName())) {
                continue;
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("configured", false);
            r.put("connection", connection(c, now));
            if (accs) {
                List<Object> list = inboundAccounts(c, accName);
                if (!list.isEmpty()) {
                    r.put("accounts", list);
                }
            }
            inbound.computeIfAbsent(c.remoteName(), n -> new ArrayList<>()).add(r);
        }
        g.put("inbound_gateways", inbound);
        return g;
    }

    /** Go's ConnInfo as filled for a gateway connection. */
    private static Map<String, Object> connection(GatewayConnection c, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cid", c.cid);
        m.put("kind", "Gateway");
        String address = c.remoteAddress();
        int colon = address.lastIndexOf(':');
        m.put("ip", address.substring(0, colon));
        m.put("port", Integer.parseInt(address.substring(colon + 1)));
        m.put("start", c.channel.start());
        m.put("last_activity", c.channel.lastActivity());
        m.put("rtt", GoDurations.duration(c.channel.rttNanos()));
        m.put("uptime", GoDurations.uptime(Duration.between(c.channel.start(), now).toNanos()));
        m.put("idle", GoDurations.uptime(Math.max(0, Duration.between(c.channel.lastActivity(), now).toNanos())));
        m.put("pending_bytes", c.channel.pendingBytes());
        m.put("in_msgs", c.channel.inMsgs());
        m.put("out_msgs", c.channel.outMsgs());
        m.put("in_bytes", c.channel.inBytes());
        m.put("out_bytes", c.channel.outBytes());
        m.put("subscriptions", c.channel.interestCount());
        if (!c.remoteId().isEmpty()) {
            m.put("name", c.remoteId());
        }
        c.channel.tlsSession().ifPresent(s -> {
            m.put("tls_version", s.getProtocol().replace("TLSv", ""));
            m.put("tls_cipher_suite", s.getCipherSuite());
        });
        return m;
    }

    /** Go's createOutboundAccountsGatewayz. */
    private static List<Object> outboundAccounts(GatewayConnection c, String only) {
        List<Object> list = new ArrayList<>();
        OutboundInterest oi = c.outboundInterest();
        if (oi == null) {
            return list;
        }
        oi.accounts().forEach((name, e) -> {
            if (!only.isEmpty() && !only.equals(name)) {
                return;
            }
            Map<String, Object> a = account(name);
            if (OutboundInterest.noInterestMarker(e)) {
                // Go's nil entry (after A-): shown as optimistic with nothing else.
                a.put("interest_mode", InterestMode.OPTIMISTIC.text);
            } else {
                a.put("interest_mode", e.mode.text);
                putIfNotZero(a, "no_interest_count", e.noInterest == null ? 0 : e.noInterest.size());
            }
            a.put("interest_only_threshold", InboundInterest.SWITCH_THRESHOLD);
            if (!OutboundInterest.noInterestMarker(e)) {
                putIfNotZero(a, "num_subs", e.registered.size());
                putIfNotZero(a, "num_queue_subs", e.queueSubs);
            }
            list.add(a);
        });
        return list;
    }

    /** Go's createInboundAccountsGatewayz. */
    private List<Object> inboundAccounts(GatewayConnection c, String only) {
        List<Object> list = new ArrayList<>();
        InboundInterest ii = c.inboundInterest();
        if (ii == null) {
            return list;
        }
        gateways.interest().locked(() -> ii.accounts().forEach((name, e) -> {
            if (!only.isEmpty() && !only.equals(name)) {
                return;
            }
            Map<String, Object> a = account(name);
            boolean marker = InboundInterest.unsubscribedMarker(e);
            a.put("interest_mode", marker ? InterestMode.OPTIMISTIC.text : e.mode.text);
            putIfNotZero(a, "no_interest_count", marker || e.noInterest == null ? 0 : e.noInterest.size());
            a.put("interest_only_threshold", InboundInterest.SWITCH_THRESHOLD);
            list.add(a);
        }));
        return list;
    }

    private static Map<String, Object> account(String name) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", name);
        return a;
    }

    private static void putIfNotZero(Map<String, Object> m, String key, int value) {
        if (value != 0) {
            m.put(key, value);
        }
    }

    /** Go's GatewayOptsVarz. */
    private Object varz() {
        GatewayConfig c = gateways.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("host", c.host());
        m.put("port", gateways.port());
        m.put("auth_timeout", c.authTimeout().toNanos() / 1e9);
        m.put("tls_timeout", c.tls().map(t -> t.timeout().toNanos() / 1e9).orElse(2.0));
        if (c.tls().isPresent()) {
            m.put("tls_required", true);
            m.put("tls_verify", true);
        }
        if (!c.advertise().isEmpty()) {
            m.put("advertise", c.advertise());
        }
        if (c.connectRetries() != 0) {
            m.put("connect_retries", c.connectRetries());
        }
        List<Object> remotes = new ArrayList<>();
        for (RemoteGatewayConfig r : c.gateways()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("name", r.name());
            RemoteGateway live = gateways.remotes().get(r.name());
            List<String> urls = live != null ? live.hostPorts()
                    : r.urls().stream().map(GatewayUrl::hostPort).toList();
            if (!urls.isEmpty()) {
                g.put("urls", urls);
            }
            remotes.add(g);
        }
        if (!remotes.isEmpty()) {
            m.put("gateways", remotes);
        }
        if (c.rejectUnknown()) {
            m.put("reject_unknown", true);
        }
        return m;
    }

    /** Go's GatewayStat list (outbound sends, the matching inbound receptions); null without outbound gateways. */
    private Object statsz() {
        List<GatewayConnection> outs = gateways.outboundConnections();
        if (outs.isEmpty()) {
            return null;
        }
        List<GatewayConnection> ins = gateways.inboundConnections();
        List<Object> list = new ArrayList<>();
        for (GatewayConnection c : outs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("gwid", c.cid);
            m.put("name", c.remote.name);
            m.put("sent", stats(c.channel.outMsgs(), c.channel.outBytes()));
            long msgs = 0;
            long bytes = 0;
            int n = 0;
            for (GatewayConnection in : ins) {
                if (in.remoteName().equals(c.remote.name)) {
                    msgs += in.channel.inMsgs();
                    bytes += in.channel.inBytes();
                    n++;
                }
            }
            m.put("received", stats(msgs, bytes));
            m.put("inbound_connections", n);
            list.add(m);
        }
        return list;
    }

    private static Map<String, Object> stats(long msgs, long bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("msgs", msgs);
        m.put("bytes", bytes);
        return m;
    }
}
