package nats.gateway;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import nats.api.ApiRange;
import nats.api.PluginException;
import nats.api.ServerContext;
import nats.api.ServerPlugin;
import nats.gateway.internal.GatewayConfig;
import nats.gateway.internal.GatewayConfigReader;
import nats.gateway.internal.Gateways;
import nats.transport.config.ConfigProblem;
import nats.transport.tls.ServerTls;
import nats.transport.tls.TlsSetupException;

/**
 * Gateways (plugin {@code gateway}, config section {@code gateway}): joins this server's cluster to other
 * clusters over Go's gateway protocol, so jnatsd and Go clusters form one super-cluster.
 */
public final class GatewayPlugin implements ServerPlugin {

    private volatile Gateways gateways;

    @Override
    public String id() {
        return "gateway";
    }

    @Override
    public ApiRange requiredApi() {
        return ApiRange.atLeast("2.2");
    }

    @Override
    public Optional<String> configSection() {
        return Optional.of("gateway");
    }

    @Override
    public void validate(Map<String, Object> section) throws PluginException {
        read(section, null);
    }

    @Override
    public void start(ServerContext context) throws PluginException {
        GatewayConfig config = read(context.configSection(), context.logger());
        try {
            GatewayConfigReader.validateForStart(config);
        } catch (ConfigProblem e) {
            throw new PluginException(e.getMessage(), e);
        }
        if (!config.enabled()) {
            context.logger().log(System.Logger.Level.WARNING, "gateway block without a name and port: gateways are not started");
            return;
        }
        Gateways g;
        try {
            g = new Gateways(context, config);
        } catch (TlsSetupException e) {
            throw new PluginException("gateway TLS configuration error: " + e.getMessage(), e);
        }
        try {
            g.start();
        } catch (IOException e) {
            g.stop();
            throw new PluginException("Error listening on gateway port: " + config.port() + " - " + e.getMessage(), e);
        }
        gateways = g;
    }

    /** Go's reload of the gateway block: TLS may change (for new connections), anything else is refused. */
    @Override
    public void checkReload(Map<String, Object> current, Map<String, Object> fresh) throws PluginException {
        GatewayConfig before = read(current, null);
        GatewayConfig after = read(fresh, null);
        if (!before.withoutTls().equals(after.withoutTls())) {
            throw new PluginException("config reload not supported for Gateway: old=" + before.withoutTls()
                    + ", new=" + after.withoutTls());
        }
        try {
            if (after.tls().isPresent()) {
                ServerTls.create(after.tls().get());
            }
            for (var remote : after.gateways()) {
                if (remote.tls().isPresent()) {
                    ServerTls.create(remote.tls().get());
                }
            }
        } catch (TlsSetupException e) {
            throw new PluginException("gateway TLS configuration error: " + e.getMessage(), e);
        }
    }

    @Override
    public void applyReload(Map<String, Object> current, Map<String, Object> fresh) {
        Gateways g = gateways;
        if (g == null) {
            return;
        }
        try {
            g.reloadTls(read(fresh, null));
        } catch (PluginException | TlsSetupException e) {
            throw new IllegalStateException("a reload checked before could not be applied: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        Gateways g = gateways;
        if (g != null) {
            g.stop();
        }
    }

    /** The running gateways, for tests; empty before start or when not configured. */
    public Optional<Gateways> gateways() {
        return Optional.ofNullable(gateways);
    }

    private static GatewayConfig read(Map<String, Object> section, System.Logger logger) throws PluginException {
        try {
            return new GatewayConfigReader(w -> {
                if (logger != null) {
                    logger.log(System.Logger.Level.WARNING, w.getMessage());
                }
            }).read(section);
        } catch (ConfigProblem e) {
            throw new PluginException(e.getMessage(), e);
        }
    }
}
