package nats.leafnode.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nats.api.links.RemoteInterest;
import nats.api.monitoring.MonitorException;
import nats.api.monitoring.MonitorQuery;
import nats.api.monitoring.Monitoring;
import nats.transport.compress.CompressionOptions;
import nats.transport.json.GoDurations;

/**
 * What leaf nodes add to monitoring, as Go 2.9 shows it: {@code /leafz} (and {@code LEAFZ} requests, with
 * {@code subs} and {@code acc}), and the {@code leaf} section and {@code leafnodes} count of {@code /varz}.
 */
final class LeafMonitoring {

    /** Go's TLS_TIMEOUT and AUTH_TIMEOUT defaults, in seconds, shown in /varz when a port is set. */
    private static final double DEFAULT_TLS_TIMEOUT = 2.0;

    private final LeafNodes nodes;

    LeafMonitoring(LeafNodes nodes) {
        this.nodes = nodes;
    }

    void register(Monitoring monitoring) {
        monitoring.document("/leafz", "LEAFZ", this::leafz);
        monitoring.varzSection("leaf", this::varzLeaf);
        monitoring.varzSection("leafnodes", () -> nodes.connections().size());
    }

    /** Go's Leafz. */
    Map<String, Object> leafz(MonitorQuery query) throws MonitorException {
        boolean subs = query.flag("subs", "subscriptions");
        String account = query.option("acc", "account").orElse("");
        List<Object> leafs = new ArrayList<>();
        for (LeafConnection c : nodes.connections()) {
            if (!account.isEmpty() && !account.equals(c.handshake.account())) {
                continue;
            }
            leafs.add(leaf(c, subs));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server_id", nodes.identity().serverId());
        m.put("now", Instant.now());
        m.put("leafnodes", leafs.size());
        // Go marshals its nil slice when there is no leaf node: null.
        m.put("leafs", leafs.isEmpty() ? null : leafs);
        return m;
    }

    private static Map<String, Object> leaf(LeafConnection c, boolean subs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", c.handshake.account());
        String address = c.remoteAddress();
        int colon = address.lastIndexOf(':');
        m.put("ip", address.substring(0, colon));
        m.put("port", Integer.parseInt(address.substring(colon + 1)));
        m.put("rtt", GoDurations.duration(c.channel.rttNanos()));
        m.put("in_msgs", c.channel.inMsgs());
        m.put("out_msgs", c.channel.outMsgs());
        m.put("in_bytes", c.channel.inBytes());
        m.put("out_bytes", c.channel.outBytes());
        List<RemoteInterest> interest = c.channel.interest();
        m.put("subscriptions", interest.size());
        if (subs && !interest.isEmpty()) {
            m.put("subscriptions_list", interest.stream().map(RemoteInterest::subject).toList());
        }
        if (!c.compression.isEmpty() && !c.compression.equals(CompressionOptions.NOT_SUPPORTED)) {
            // Go 2.10's field; left out with a peer that announced no compression, so /leafz stays Go 2.9's then.
            m.put("compression", c.compression);
        }
        return m;
    }

    /** Go's LeafNodeOptsVarz. */
    private Object varzLeaf() {
        LeafConfig c = nodes.config();
        Map<String, Object> m = new LinkedHashMap<>();
        if (c.listens()) {
            m.put("host", c.host());
            m.put("port", nodes.port());
            m.put("auth_timeout", c.auth().timeout().toNanos() / 1e9);
            m.put("tls_timeout", c.tls().map(t -> t.timeout().toNanos() / 1e9).orElse(DEFAULT_TLS_TIMEOUT));
            if (c.tls().isPresent()) {
                m.put("tls_required", true);
                if (c.tls().get().verify()) {
                    m.put("tls_verify", true);
                }
            }
        }
        if (!c.remotes().isEmpty()) {
            List<Object> remotes = new ArrayList<>();
            for (LeafConfig.RemoteConfig r : c.remotes()) {
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("local_account", r.account().isEmpty() ? nodes.globalAccount() : r.account());
                r.tls().ifPresent(t -> rm.put("tls_timeout", t.policy().handshakeTimeout().toNanos() / 1e9));
                rm.put("urls", r.urls().stream().map(u -> u.host() + ":" + u.port()).toList());
                if (!r.denyImports().isEmpty() || !r.denyExports().isEmpty()) {
                    Map<String, Object> deny = new LinkedHashMap<>();
                    if (!r.denyExports().isEmpty()) {
                        deny.put("exports", r.denyExports());
                    }
                    if (!r.denyImports().isEmpty()) {
                        deny.put("imports", r.denyImports());
                    }
                    rm.put("deny", deny);
                }
                remotes.add(rm);
            }
            m.put("remotes", remotes);
        }
        return m;
    }
}
