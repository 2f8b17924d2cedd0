package nats.server.internal.plugin;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import nats.api.ServerContext;
import nats.api.ServerIdentity;
import nats.api.ServerPlugin;
import nats.api.ServerSettings;
import nats.api.accounts.AccountDirectory;
import nats.api.links.Links;
import nats.api.monitoring.Monitoring;
import nats.api.net.Listeners;
import nats.api.sessions.ClientSessions;

/** The {@link ServerContext} handed to one plugin: the plugin's section, logger, and the shared kernel services. */
public final class KernelContext implements ServerContext {

    private final ServerPlugin plugin;
    private final KernelServices kernel;
    private final Map<String, Object> section;

    public KernelContext(ServerPlugin plugin, KernelServices kernel, Map<String, Object> section) {
        this.plugin = plugin;
        this.kernel = kernel;
        this.section = section;
    }

    @Override
    public ServerIdentity identity() {
        return kernel.identity();
    }

    @Override
    public ServerSettings settings() {
        return kernel.settings();
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
    public AccountDirectory accounts() {
        return kernel.accounts();
    }

    @Override
    public Listeners listeners() {
        return kernel.listeners();
    }

    @Override
    public ClientSessions clientSessions() {
        return kernel.sessions();
    }

    @Override
    public Monitoring monitoring() {
        return kernel.monitoring();
    }

    @Override
    public Links links() {
        return kernel.links();
    }

    @Override
    public <T> void registerService(Class<T> type, T service) {
        if (kernel.services().putIfAbsent(type, service) != null) {
            throw new IllegalStateException("a " + type.getName() + " service is already registered");
        }
    }

    @Override
    public <T> Optional<T> service(Class<T> type) {
        return Optional.ofNullable(kernel.services().get(type)).map(type::cast);
    }

    @Override
    public void registerStreamProtocol(nats.api.net.StreamProtocol protocol) {
        if (protocols().putIfAbsent(protocol.name(), protocol) != null) {
            throw new IllegalStateException("a stream protocol " + protocol.name() + " is already registered");
        }
    }

    /** By name; a plugin built for API 2.1/2.2 registered its one protocol as a plain service, which counts too. */
    @Override
    public Optional<nats.api.net.StreamProtocol> streamProtocol(String name) {
        return Optional.ofNullable(protocols().get(name))
                .or(() -> service(nats.api.net.StreamProtocol.class).filter(p -> p.name().equals(name)));
    }

    /** The carried protocols by name, kept with the services under a key of their own. */
    private StreamProtocols protocols() {
        return (StreamProtocols) kernel.services().computeIfAbsent(StreamProtocols.class, k -> new StreamProtocols());
    }

    /** The registry of {@link nats.api.net.StreamProtocol}s, one per name. */
    private static final class StreamProtocols
            extends ConcurrentHashMap<String, nats.api.net.StreamProtocol> {
        private static final long serialVersionUID = 1L;
    }

    /** What every plugin's context shares: the kernel's services behind the plugin API. */
    public record KernelServices(ServerIdentity identity, ServerSettings settings, AccountDirectory accounts,
                                 PluginListeners listeners, ClientSessions sessions, Monitoring monitoring,
                                 KernelLinks links, ConcurrentHashMap<Class<?>, Object> services) {

        /** The kernel's services for plugins of a server built on {@code core}. */
        public static KernelServices of(nats.server.internal.ServerCore core, Monitoring monitoring,
                                        PluginListeners listeners) {
            KernelAccounts accounts = new KernelAccounts(core.accounts(), core::options);
            KernelLinks links = new KernelLinks(core.accounts(), core.tracer(), core::leafConnectionsChanged);
            core.linkTraffic(links::traffic);
            core.leafCounts(account -> links.boundLinkCount(account, nats.api.messaging.MessageOrigin.LEAF));
            return new KernelServices(core.identity(), new KernelSettings(core::options, core::port), accounts,
                    listeners, new PluginSessions(core, accounts), monitoring, links, new ConcurrentHashMap<>());
        }
    }
}
