package nats.cluster;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import nats.api.ApiRange;
import nats.api.PluginException;
import nats.api.ServerContext;
import nats.api.ServerPlugin;
import nats.api.net.TlsPolicy;
import nats.cluster.internal.Cluster;
import nats.cluster.internal.ClusterConfig;
import nats.cluster.internal.ClusterConfigReader;
import nats.cluster.internal.ClusterReload;
import nats.transport.config.ConfigProblem;
import nats.transport.tls.ServerTls;
import nats.transport.tls.TlsSetupException;

/**
 * Clustering with routes (plugin {@code cluster}, config section {@code cluster}, Go's {@code --cluster},
 * {@code --routes}, {@code --cluster_name} flags): a full mesh of servers that share their subscribers' interest
 * and forward messages to each other over Go's route protocol, so jnatsd and Go servers form one cluster.
 */
public final class ClusterPlugin implements ServerPlugin {

    private volatile Cluster cluster;

    @Override
    public String id() {
        return "cluster";
    }

    @Override
    public ApiRange requiredApi() {
        return ApiRange.atLeast("2.3");
    }

    /** Gateways start first, so the first route INFO carries this server's gateway URL (Go starts them first). */
    @Override
    public java.util.Set<String> startsAfter() {
        // They add route gossip (gateway URLs, JetStream peers, leafnode URLs, websocket URLs) that must be in place
        // before the first route.
        return java.util.Set.of("gateway", "jetstream", "leafnode", "websocket");
    }

    @Override
    public Optional<String> configSection() {
        return Optional.of("cluster");
    }

    @Override
    public void validate(Map<String, Object> section) throws PluginException {
        read(section, null);
    }

    @Override
    public void start(ServerContext context) throws PluginException {
        ClusterConfig config = withRequiredName(read(context.configSection(), context.logger()),
                context.links().routeGossip());
        if (!config.listens()) {
            // As Go: without a cluster port there is no routing (routes alone are not dialled).
            context.logger().log(System.Logger.Level.WARNING,
                    "cluster block without a port: routing is not started");
            return;
        }
        // Go's start-up checks for what routes carry (JetStream requires a server name, cluster name and routes).
        for (nats.api.links.RouteGossip g : context.links().routeGossip()) {
            Optional<String> refusal = g.checkCluster(config.dynamicName() ? Optional.empty()
                    : Optional.of(config.name()), config.routes().size());
            if (refusal.isPresent()) {
                throw new PluginException(refusal.get());
            }
        }
        Optional<TlsPolicy> tls;
        try {
            tls = config.tls().isPresent() ? Optional.of(ServerTls.create(config.tls().get()).policy())
                    : Optional.empty();
        } catch (TlsSetupException e) {
            throw new PluginException("cluster TLS configuration error: " + e.getMessage(), e);
        }
        Cluster c = new Cluster(context, config, tls);
        try {
            c.start();
        } catch (IOException e) {
            c.stop();
            throw new PluginException("Error listening on router port: " + config.port() + " - " + e.getMessage(), e);
        }
        cluster = c;
    }

    /**
     * Go's validateCluster: a gateway's name is the cluster's; a different configured name stops the start, and a
     * cluster without a name takes the gateway's (configured, not dynamic).
     */
    static ClusterConfig withRequiredName(ClusterConfig config, java.util.List<nats.api.links.RouteGossip> gossip)
            throws PluginException {
        for (nats.api.links.RouteGossip g : gossip) {
            Optional<String> required = g.requiredClusterName();
            if (required.isEmpty() || required.get().equals(config.name())) {
                continue;
            }
            if (!config.dynamicName()) {
                throw new PluginException("cluster name conflicts between cluster and gateway definitions");
            }
            config = config.withName(required.get());
        }
        return config;
    }

    @Override
    public void checkReload(Map<String, Object> current, Map<String, Object> fresh) throws PluginException {
        ClusterReload.check(read(current, null), read(fresh, null));
    }

    @Override
    public void applyReload(Map<String, Object> current, Map<String, Object> fresh) {
        Cluster c = cluster;
        if (c == null) {
            return;
        }
        try {
            ClusterReload.apply(c, read(fresh, null));
        } catch (PluginException e) {
            throw new IllegalStateException("a reload checked before could not be applied", e);
        }
    }

    @Override
    public void enterLameDuckMode() {
        Cluster c = cluster;
        if (c != null) {
            c.enterLameDuckMode();
        }
    }

    @Override
    public void stop() {
        Cluster c = cluster;
        if (c != null) {
            c.stop();
        }
    }

    /** The running cluster, for tests and monitoring; empty before start or without a cluster port. */
    public Optional<Cluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    private static ClusterConfig read(Map<String, Object> section, System.Logger logger) throws PluginException {
        try {
            return new ClusterConfigReader(w -> {
                if (logger != null) {
                    logger.log(System.Logger.Level.WARNING, w.getMessage());
                }
            }).read(section);
        } catch (ConfigProblem e) {
            throw new PluginException(e.getMessage(), e);
        }
    }
}
