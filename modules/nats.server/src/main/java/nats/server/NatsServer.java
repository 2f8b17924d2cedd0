package nats.server;

import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import nats.api.ServerIdentity;
import nats.server.internal.ServerCore;
import nats.server.internal.StartupWork;
import nats.server.internal.monitor.MonitorDocuments;
import nats.server.internal.monitor.MonitorServer;
import nats.server.internal.system.SystemAccount;
import nats.server.internal.plugin.DiscoveredPlugin;
import nats.server.internal.monitor.MonitorExtensions;
import nats.server.internal.plugin.KernelContext;
import nats.server.internal.plugin.PluginListeners;
import nats.server.internal.plugin.PluginConfig;
import nats.server.internal.plugin.PluginLifecycle;
import nats.server.internal.plugin.PluginLoader;
import nats.server.internal.listen.EarlyListener;
import nats.server.internal.monitor.EarlyMonitorPort;
import nats.server.internal.tls.ClientTls;
import nats.transport.tls.TlsSetupException;

/**
 * A running jnatsd server: the kernel plus its enabled plugins. Start one with {@link #start(ServerOptions)},
 * stop it with {@link #shutdown()}.
 */
public final class NatsServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NatsServer.class.getName());

    private volatile ServerOptions options;
    private final ServerCore core;
    private final PluginLifecycle plugins = new PluginLifecycle();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Path portsFile;
    private MonitorServer monitor;
    private final MonitorDocuments documents;
    private final PluginListeners listeners;
    private final KernelContext.KernelServices kernel;
    /** Listener URLs by name for the ports file ({@code cluster}, {@code websocket}...), beyond nats and monitoring. */
    private final Map<String, List<String>> pluginPorts = new java.util.concurrent.ConcurrentSkipListMap<>();
    private List<DiscoveredPlugin> enabledPlugins = List.of();
    private java.util.Optional<SystemAccount> systemAccount = java.util.Optional.empty();

    private NatsServer(ServerOptions options, java.util.Optional<ClientTls> tls) {
        this.options = options;
        this.core = new ServerCore(options, tls);
        MonitorExtensions extensions = new MonitorExtensions(core::infoField, core::announceInfo);
        this.documents = new MonitorDocuments(core, extensions);
        this.listeners = new PluginListeners((name, url) ->
                pluginPorts.computeIfAbsent(name, n -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(url));
        this.kernel = KernelContext.KernelServices.of(core, extensions, listeners);
    }

    /** The project's own version, as recorded in the kernel's module descriptor. */
    public static String projectVersion() {
        return NatsServer.class.getModule().getDescriptor() == null ? "dev"
                : NatsServer.class.getModule().getDescriptor().rawVersion().orElse("dev");
    }

    /**
     * The project's modules in the kernel's layer (the image), with the versions in their descriptors:
     * name to version. Empty when running on the class path.
     */
    public static java.util.SortedMap<String, String> builtInModules() {
        java.util.SortedMap<String, String> modules = new java.util.TreeMap<>();
        ModuleLayer layer = NatsServer.class.getModule().getLayer();
        if (layer != null) {
            for (Module module : layer.modules()) {
                if (module.getName().startsWith("nats.")) {
                    modules.put(module.getName(), module.getDescriptor().rawVersion().orElse("unversioned"));
                }
            }
        }
        return modules;
    }

    /**
     * Begins the part of a start that needs no configuration (the server's identity, the time-zone database,
     * the security providers) on a background thread, so it overlaps the launcher's reading of flags and
     * config files. Optional: a start without it does the same work itself.
     */
    public static void prepareStart() {
        StartupWork.begin();
    }

    /** Lists the plugins found in the image and the plugins directory, and whether the options enable them. */
    public static List<PluginInfo> listPlugins(ServerOptions options) throws ServerStartException {
        List<DiscoveredPlugin> all = PluginLoader.discover(options.pluginsDir().orElse(null));
        List<DiscoveredPlugin> enabled = PluginLifecycle.enabled(all, options.enabledPlugins(),
                options.presentSections());
        return all.stream().map(p -> new PluginInfo(p.plugin().id(), p.plugin().version(), p.moduleName(),
                p.origin(), enabled.contains(p))).toList();
    }

    /**
     * Checks the configuration as {@code nats-server -t} does: the plugins it needs are present, and each
     * enabled plugin accepts its section.
     */
    public static void check(ServerOptions options) throws ServerStartException {
        List<DiscoveredPlugin> all = PluginLoader.discover(options.pluginsDir().orElse(null));
        PluginConfig.validate(all, PluginLifecycle.enabled(all, options.enabledPlugins(),
                PluginConfig.presentSections(options)), options);
    }

    /** Binds the listeners and starts the enabled plugins; on any failure nothing is left running. */
    public static NatsServer start(ServerOptions options) throws ServerStartException {
        // The monitoring and client ports are bound before anything slow (plugins, certificates): a client that
        // connects now waits in the backlog for INFO, which it gets once all is ready, and monitoring listens
        // before the client port as in Go. Bind failures are reported below, where Go reports them, after the
        // configuration's own errors.
        try (EarlyMonitorPort monitorPort = earlyMonitorPort(options);
                EarlyListener clientPort = EarlyListener.bind(options.host(), ServerCore.listenPort(options), "client")) {
            return start(options, monitorPort, clientPort);
        }
    }

    /** The monitoring port startMonitoring will serve, when the options name exactly one. */
    private static EarlyMonitorPort earlyMonitorPort(ServerOptions options) {
        if ((options.httpPort() == 0) == (options.httpsPort() == 0)) {
            return EarlyMonitorPort.none();
        }
        boolean https = options.httpPort() == 0;
        return EarlyMonitorPort.bind(monitorHost(options), https ? options.httpsPort() : options.httpPort(), https);
    }

    private static String monitorHost(ServerOptions options) {
        return options.httpHost().isEmpty() ? options.host() : options.httpHost();
    }

    private static NatsServer start(ServerOptions options, EarlyMonitorPort monitorPort, EarlyListener clientPort)
            throws ServerStartException {
        List<DiscoveredPlugin> all = PluginLoader.discover(options.pluginsDir().orElse(null));
        List<DiscoveredPlugin> enabled = PluginLifecycle.enabled(all, options.enabledPlugins(),
                PluginConfig.presentSections(options));
        PluginConfig.validate(all, enabled, options);
        NatsServer server;
        try {
            server = new NatsServer(options, clientTls(options));
        } catch (IllegalStateException e) {
            // The account resolver could not be set up (its directory, or no account server at the URL).
            throw new ServerStartException(e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.INFO, "Starting jnatsd {0} (NATS protocol level {1}), server id {2}",
                projectVersion(), ServerCore.PROTOCOL_VERSION, server.core.identity().serverId());
        server.startMonitoring(options, monitorPort);
        // The client port is bound at once (a client waits in the backlog) and accepts once all is ready.
        try {
            server.core.bind(clientPort.take());
        } catch (IOException e) {
            if (server.monitor != null) {
                server.monitor.stop();
            }
            server.core.shutdown();
            throw listenFailure(options, e);
        }
        // Plugins start before the client port accepts, so no client sees a half-started server.
        server.enabledPlugins = enabled;
        try {
            server.plugins.startAll(enabled, plugin -> new KernelContext(plugin, server.kernel,
                    PluginConfig.section(options, plugin)));
            // The system account's services are subscribed before any client can connect.
            server.systemAccount = SystemAccount.start(server.core, server.documents);
            try {
                server.core.start();
            } catch (IOException e) {
                throw listenFailure(options, e);
            }
            server.writeFiles();
        } catch (ServerStartException e) {
            server.listeners.closeAll();
            server.plugins.stopAll();
            if (server.monitor != null) {
                server.monitor.stop();
            }
            server.systemAccount.ifPresent(SystemAccount::shutdown);
            server.core.shutdown();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "Server is ready");
        LOG.log(System.Logger.Level.INFO, "Enabled modules: {0}", server.enabledModules());
        return server;
    }

    /**
     * Starts the HTTP or HTTPS monitoring port, as Go's StartMonitoring: not both, HTTPS only with the client
     * port's TLS. As in Go, monitoring is up before the client port; it listens on the client host unless
     * http_host says otherwise.
     */
    private void startMonitoring(ServerOptions options, EarlyMonitorPort early) throws ServerStartException {
        if (options.httpPort() == 0 && options.httpsPort() == 0) {
            return;
        }
        String refused = options.httpPort() != 0 && options.httpsPort() != 0
                ? "can't specify both HTTP (" + options.httpPort() + ") and HTTPs (" + options.httpsPort() + ") ports"
                : options.httpPort() == 0 && core.clientTls().isEmpty() ? "TLS cert and key required for HTTPS" : null;
        if (refused != null) {
            core.shutdown();
            throw new ServerStartException("Can't start monitoring: " + refused);
        }
        try {
            monitor = new MonitorServer(documents);
            monitor.basePath(options.httpBasePath());
            String httpHost = monitorHost(options);
            if (options.httpPort() != 0) {
                monitor.start(httpHost, options.httpPort(), early);
            } else {
                monitor.startHttps(httpHost, options.httpsPort(), () -> core.clientTls().orElseThrow().server(), early);
            }
        } catch (IOException e) {
            core.shutdown();
            throw new ServerStartException("Can't start monitoring: can't listen to the monitor port: "
                    + e.getMessage(), e);
        }
    }

    private static ServerStartException listenFailure(ServerOptions options, IOException e) {
        return new ServerStartException("cannot listen on " + options.host() + ":" + options.port() + ": "
                + e.getMessage(), e);
    }

    /** Loads the client port's certificates before anything starts, so a bad file stops the server at once. */
    private static java.util.Optional<ClientTls> clientTls(ServerOptions options) throws ServerStartException {
        try {
            java.util.Optional<ClientTls> tls = ClientTls.forServer(options);
            tls.ifPresent(t -> t.warnings().forEach(w -> LOG.log(System.Logger.Level.WARNING, "TLS: " + w)));
            return tls;
        } catch (TlsSetupException e) {
            throw new ServerStartException("TLS configuration error: " + e.getMessage(), e);
        }
    }

    private void writeFiles() throws ServerStartException {
        try {
            if (options.pidFile().isPresent()) {
                Files.writeString(options.pidFile().get(), Long.toString(ProcessHandle.current().pid()));
            }
            if (options.portsFileDir().isPresent()) {
                String exe = ProcessHandle.current().info().command().map(c -> Path.of(c).getFileName().toString())
                        .orElse("nats-server");
                portsFile = options.portsFileDir().get().resolve(exe + "_" + ProcessHandle.current().pid() + ".ports");
                String host = options.host().equals("0.0.0.0") ? "127.0.0.1" : options.host();
                StringBuilder json = new StringBuilder("{\"nats\":[\"nats://" + host + ":" + port() + "\"]");
                if (monitorPort() > 0) {
                    json.append(",\"monitoring\":[\"http://").append(host).append(':').append(monitorPort()).append("\"]");
                }
                pluginPorts.forEach((name, urls) -> json.append(",\"").append(name).append("\":[")
                        .append(String.join(",", urls.stream().map(u -> "\"" + u + "\"").toList())).append(']'));
                json.append('}');
                Files.writeString(portsFile, json.toString(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new ServerStartException("cannot write pid/ports file: " + e.getMessage(), e);
        }
    }

    /**
     * One line for the log: the kernel and each enabled plugin with its module, version and where it listens,
     * e.g. {@code nats.server 1.0.0 (client on 0.0.0.0:4222, http monitor on 0.0.0.0:8222), jetstream
     * (nats.jetstream 1.0.0), cluster (nats.cluster 1.0.0, cluster on 0.0.0.0:6222)}.
     */
    String enabledModules() {
        StringBuilder line = new StringBuilder("nats.server ").append(projectVersion()).append(" (client on ")
                .append(options.host()).append(':').append(core.port());
        if (monitor != null) {
            line.append(options.httpPort() != 0 ? ", http monitor on " : ", https monitor on ")
                    .append(options.httpHost().isEmpty() ? options.host() : options.httpHost()).append(':')
                    .append(monitor.port());
        }
        line.append(')');
        for (DiscoveredPlugin p : enabledPlugins) {
            line.append(", ").append(p.plugin().id()).append(" (").append(p.moduleName()).append(' ')
                    .append(p.plugin().version());
            for (String listener : listeners.listeningFor(p.moduleName())) {
                line.append(", ").append(listener);
            }
            line.append(')');
        }
        return line.toString();
    }

    /** The monitoring port actually bound, or 0 when monitoring is off. */
    public int monitorPort() {
        return monitor == null ? 0 : monitor.port();
    }

    /**
     * The URLs of the listeners plugins opened, by listener name ({@code websocket: [ws://127.0.0.1:8080]}), as
     * the ports file lists them: how a caller finds a plugin's port chosen with {@code port: -1}.
     */
    public Map<String, List<String>> pluginListenerUrls() {
        Map<String, List<String>> copy = new java.util.TreeMap<>();
        pluginPorts.forEach((name, urls) -> copy.put(name, List.copyOf(urls)));
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** The client port actually bound (useful with port -1). */
    public int port() {
        return core.port();
    }

    public ServerIdentity identity() {
        return core.identity();
    }

    public int clientCount() {
        return core.clientCount();
    }

    /**
     * Applies a reloaded configuration (SIGHUP, {@code --signal reload}) without dropping clients whose
     * credentials still hold. Options that cannot change while running are refused, as the Go server
     * refuses them, and the running configuration stays.
     *
     * @throws ServerStartException naming the first option that cannot be reloaded
     */
    public synchronized void reload(ServerOptions fresh) throws ServerStartException {
        java.util.Optional<String> refused = ReloadCheck.firstUnsupported(options, fresh);
        if (refused.isPresent()) {
            throw new ServerStartException(refused.get());
        }
        // Certificates are read again, as Go reloads them; a bad file refuses the whole reload.
        java.util.Optional<ClientTls> freshTls = clientTls(fresh);
        // Every plugin checks its section before anything changes; a refusal keeps the running configuration.
        PluginConfig.checkReload(enabledPlugins, options, fresh);
        core.reload(fresh, freshTls);
        ServerOptions current = options;
        options = fresh;
        PluginConfig.applyReload(enabledPlugins, current, fresh);
        LOG.log(System.Logger.Level.INFO, "Reloaded server configuration");
    }

    /** Stops accepting clients and closes the existing ones spread over the lame-duck duration. */
    public void enterLameDuckMode() {
        LOG.log(System.Logger.Level.INFO, "Entering lame duck mode, stop accepting new clients");
        plugins.enterLameDuckMode();
        listeners.closeAll();
        core.enterLameDuckMode();
        // Like the Go server: once the last client is closed (at the latest after the duration), exit.
        long deadline = System.nanoTime() + options.lameDuckDuration().toNanos();
        Thread.ofVirtual().name("nats-lame-duck").start(() -> {
            try {
                while (core.clientCount() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                return;
            }
            shutdown();
        });
    }

    /** Graceful stop: close listeners, flush and close clients, stop plugins in reverse order. */
    public void shutdown() {
        if (stopped.getCount() == 0) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "Initiating Shutdown...");
        if (monitor != null) {
            monitor.stop();
        }
        // As in Go, the shutdown notice goes out before the clients are closed.
        systemAccount.ifPresent(SystemAccount::shutdown);
        listeners.closeAll();
        core.shutdown();
        plugins.stopAll();
        try {
            if (portsFile != null) {
                Files.deleteIfExists(portsFile);
            }
            if (options.pidFile().isPresent()) {
                Files.deleteIfExists(options.pidFile().get());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove pid/ports file: " + e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "Server Exiting..");
        stopped.countDown();
    }

    /** Blocks until {@link #shutdown()} completed. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        shutdown();
    }
}
