package nats.server.internal.plugin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nats.api.PluginException;
import nats.api.ServerPlugin;
import nats.server.options.ServerStartException;

/**
 * Starts the enabled plugins in dependency order and stops them in reverse. If one refuses to start, the
 * ones already started are stopped again: the server never runs half-configured.
 */
public final class PluginLifecycle {

    private static final System.Logger LOG = System.getLogger(PluginLifecycle.class.getName());

    private final Deque<ServerPlugin> started = new ArrayDeque<>();

    /** Orders plugins so each comes after the plugins it depends on. */
    static List<DiscoveredPlugin> startOrder(List<DiscoveredPlugin> enabled) throws ServerStartException {
        Map<String, DiscoveredPlugin> byId = new LinkedHashMap<>();
        enabled.forEach(p -> byId.put(p.plugin().id(), p));
        List<DiscoveredPlugin> ordered = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>();
        for (String id : byId.keySet()) {
            visit(id, byId, state, ordered, new ArrayDeque<>());
        }
        return ordered;
    }

    private static void visit(String id, Map<String, DiscoveredPlugin> byId, Map<String, Integer> state,
                              List<DiscoveredPlugin> ordered, Deque<String> path) throws ServerStartException {
        Integer s = state.get(id);
        if (s != null && s == 2) {
            return;
        }
        if (s != null) {
            throw new ServerStartException("plugin dependency cycle: " + String.join(" -> ", path) + " -> " + id);
        }
        state.put(id, 1);
        path.addLast(id);
        DiscoveredPlugin plugin = byId.get(id);
        for (String dependency : plugin.plugin().dependsOn()) {
            if (!byId.containsKey(dependency)) {
                throw new ServerStartException(plugin.plugin().missingDependency(dependency).orElse("plugin '" + id
                        + "' needs plugin '" + dependency + "', which is not enabled or not installed"));
            }
            visit(dependency, byId, state, ordered, path);
        }
        for (String before : plugin.plugin().startsAfter()) {
            if (byId.containsKey(before)) {
                visit(before, byId, state, ordered, path);
            }
        }
        path.removeLast();
        state.put(id, 2);
        ordered.add(plugin);
    }

    /**
     * Starts the plugins; on a refusal stops what started and reports it: a built-in plugin's refusal with its own
     * (Go's) text, a drop-in's and any failure with the plugin's name.
     */
    public void startAll(List<DiscoveredPlugin> enabled, ContextFactory contexts) throws ServerStartException {
        for (DiscoveredPlugin p : startOrder(enabled)) {
            ServerPlugin plugin = p.plugin();
            try {
                plugin.start(contexts.contextFor(plugin));
                started.push(plugin);
                LOG.log(System.Logger.Level.INFO, "Started plugin {0} {1} ({2})", plugin.id(), plugin.version(),
                        p.origin());
            } catch (PluginException e) {
                stopAll();
                // A built-in module's refusal is the text Go prints for the same condition, shown as it is; a
                // drop-in's names the plugin and its jar, which Go has no counterpart for.
                throw new ServerStartException(p.builtIn() ? e.getMessage()
                        : "plugin '" + plugin.id() + "' " + p.origin() + " refused to start: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                stopAll();
                throw new ServerStartException("plugin '" + plugin.id() + "' " + p.origin() + " failed to start: "
                        + e, e);
            }
        }
    }

    /** Tells the started plugins, newest first, that the server entered lame-duck mode. */
    public void enterLameDuckMode() {
        for (ServerPlugin plugin : started) {
            try {
                plugin.enterLameDuckMode();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "plugin " + plugin.id() + " failed to enter lame-duck mode", e);
            }
        }
    }

    /** Stops started plugins, newest first. */
    public void stopAll() {
        while (!started.isEmpty()) {
            ServerPlugin plugin = started.pop();
            try {
                plugin.stop();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "plugin " + plugin.id() + " failed to stop cleanly", e);
            }
        }
    }

    /** Which plugins the options switch on: named by --enable, owning a present config block, or default-on. */
    public static List<DiscoveredPlugin> enabled(List<DiscoveredPlugin> all, Set<String> requested,
                                                 Set<String> configSections) throws ServerStartException {
        List<String> known = all.stream().map(p -> p.plugin().id()).sorted().toList();
        for (String id : requested) {
            if (!known.contains(id)) {
                throw new ServerStartException("unknown plugin '" + id + "' (asked for by --enable); available: "
                        + (known.isEmpty() ? "(none)" : String.join(", ", known)));
            }
        }
        List<DiscoveredPlugin> enabled = new ArrayList<>();
        for (DiscoveredPlugin p : all) {
            ServerPlugin plugin = p.plugin();
            boolean on = requested.contains(plugin.id()) || plugin.enabledByDefault()
                    || plugin.configSection().map(configSections::contains).orElse(false);
            if (on) {
                enabled.add(p);
            }
        }
        return enabled;
    }

    /** Makes the {@link nats.api.ServerContext} each plugin starts with. */
    @FunctionalInterface
    public interface ContextFactory {
        nats.api.ServerContext contextFor(ServerPlugin plugin);
    }
}
