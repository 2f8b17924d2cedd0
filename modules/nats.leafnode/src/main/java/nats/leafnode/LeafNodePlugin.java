package nats.leafnode;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import nats.api.ApiRange;
import nats.api.PluginException;
import nats.api.ServerContext;
import nats.api.ServerPlugin;
import nats.leafnode.internal.LeafConfig;
import nats.leafnode.internal.LeafConfigReader;
import nats.leafnode.internal.LeafReload;
import nats.leafnode.internal.LeafNodes;
import nats.transport.config.ConfigProblem;

/**
 * Leaf-node connections (plugin {@code leafnode}, config section {@code leafnodes}): this server as the hub of
 * leaf nodes that connect to its leafnode port, and as a leaf of the remotes it dials, over Go's leaf protocol.
 */
public final class LeafNodePlugin implements ServerPlugin {

    private volatile LeafNodes nodes;

    @Override
    public String id() {
        return "leafnode";
    }

    @Override
    public ApiRange requiredApi() {
        return ApiRange.atLeast("2.3");
    }

    @Override
    public Optional<String> configSection() {
        return Optional.of("leafnodes");
    }

    @Override
    public void validate(Map<String, Object> section) throws PluginException {
        read(section, null);
    }

    /**
     * Gateways start first, so this plugin can tell whether one runs (Go's validateLeafNode checks both); JetStream
     * too, so its domain is known before the first leaf handshake.
     */
    @Override
    public java.util.Set<String> startsAfter() {
        return java.util.Set.of("gateway", "jetstream");
    }

    @Override
    public void start(ServerContext context) throws PluginException {
        LeafConfig config = read(context.configSection(), context.logger());
        boolean gateway = context.links().routeGossip().stream().anyMatch(g -> g.requiredClusterName().isPresent());
        if (config.listens() && gateway && !context.settings().systemAccountConfigured()) {
            throw new PluginException(
                    "leaf nodes and gateways (both being defined) require a system account to also be configured");
        }
        LeafNodes n;
        try {
            n = new LeafNodes(context, config);
        } catch (nats.transport.tls.TlsSetupException e) {
            throw new PluginException("leafnodes TLS configuration error: " + e.getMessage(), e);
        }
        try {
            n.start();
        } catch (IOException e) {
            n.stop();
            throw new PluginException("Error listening on leafnode port: " + config.port() + " - " + e.getMessage(), e);
        }
        nodes = n;
    }

    /** Go's reload of the leafnodes block: TLS (for new connections) and a few reorderings; see {@link LeafReload}. */
    @Override
    public void checkReload(Map<String, Object> current, Map<String, Object> fresh) throws PluginException {
        LeafConfig after = read(fresh, null);
        LeafReload.check(read(current, null), after);
        try {
            if (after.tls().isPresent()) {
                nats.transport.tls.ServerTls.create(after.tls().get());
            }
        } catch (nats.transport.tls.TlsSetupException e) {
            throw new PluginException("leafnodes TLS configuration error: " + e.getMessage(), e);
        }
    }

    @Override
    public void applyReload(Map<String, Object> current, Map<String, Object> fresh) {
        LeafNodes n = nodes;
        if (n == null) {
            return;
        }
        try {
            n.reload(read(fresh, null));
        } catch (PluginException | nats.transport.tls.TlsSetupException e) {
            throw new IllegalStateException("a reload checked before could not be applied: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        LeafNodes n = nodes;
        if (n != null) {
            n.stop();
        }
    }

    /** The running leaf-node side, for tests and monitoring; empty before start. */
    public Optional<LeafNodes> leafNodes() {
        return Optional.ofNullable(nodes);
    }

    private static LeafConfig read(Map<String, Object> section, System.Logger logger) throws PluginException {
        try {
            return new LeafConfigReader(w -> {
                if (logger != null) {
                    logger.log(System.Logger.Level.WARNING, w.getMessage());
                }
            }).read(section);
        } catch (ConfigProblem e) {
            throw new PluginException(e.getMessage(), e);
        }
    }
}
