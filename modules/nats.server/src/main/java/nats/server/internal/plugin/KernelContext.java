package nats.server.internal.plugin;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import nats.api.InternalConnection;
import nats.api.ServerContext;
import nats.api.ServerIdentity;
import nats.api.ServerPlugin;
import nats.server.internal.ServerCore;
import nats.server.internal.client.InProcessConnection;

/** The {@link ServerContext} handed to one plugin. */
public final class KernelContext implements ServerContext {

    private final ServerPlugin plugin;
    private final ServerCore core;
    private final Map<String, Object> section;
    private final Map<Class<?>, Object> services;

    public KernelContext(ServerPlugin plugin, ServerCore core, Map<String, Object> section,
                         ConcurrentHashMap<Class<?>, Object> services) {
        this.plugin = plugin;
        this.core = core;
        this.section = section;
        this.services = services;
    }

    @Override
    public ServerIdentity identity() {
        return core.identity();
    }

    @Override
    public Map<String, Object> configSection() {
        return section;
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("nats.plugin." + plugin.id());
    }

    @Override
    public InternalConnection connect(String connectionName) {
        return new InProcessConnection(core.sublist(), plugin.id() + ":" + connectionName);
    }

    @Override
    public <T> void registerService(Class<T> type, T service) {
        if (services.putIfAbsent(type, service) != null) {
            throw new IllegalStateException("a " + type.getName() + " service is already registered");
        }
    }

    @Override
    public <T> Optional<T> service(Class<T> type) {
        return Optional.ofNullable(services.get(type)).map(type::cast);
    }
}
