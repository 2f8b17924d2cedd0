package nats.server.internal.plugin;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import nats.api.PluginException;
import nats.api.ServerPlugin;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;

/**
 * The config blocks that belong to plugins: which are present, that a plugin able to serve each is installed
 * (a Go config with a {@code cluster {}} block must not start silently without clustering), each enabled
 * plugin's check of its block, and reloads checked by every plugin before any is applied.
 */
public final class PluginConfig {

    /** Go's config blocks served by plugins, and the module that serves each. */
    private static final Map<String, String> MODULES = Map.of(
            "cluster", "nats.cluster",
            "gateway", "nats.gateway",
            "leafnodes", "nats.leafnode",
            "jetstream", "nats.jetstream",
            "mqtt", "nats.mqtt",
            "websocket", "nats.websocket");

    private static final System.Logger LOG = System.getLogger(PluginConfig.class.getName());

    private PluginConfig() {
    }

    /**
     * Blocks present in the configuration that switch something on: {@code jetstream: false} or
     * {@code jetstream: disabled} is present but asks for nothing.
     */
    public static Set<String> presentSections(ServerOptions options) {
        Set<String> present = new LinkedHashSet<>();
        options.configSections().forEach((name, value) -> {
            if (!switchedOff(value)) {
                present.add(name);
            }
        });
        present.addAll(options.sectionsEnabledByFlags().keySet());
        return present;
    }

    private static boolean switchedOff(Object value) {
        return Boolean.FALSE.equals(value) || (value instanceof String s
                && (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("disabled") || s.equalsIgnoreCase("off")));
    }

    /**
     * Refuses blocks no installed plugin serves, naming the module needed, then lets each enabled plugin check
     * its own block.
     */
    public static void validate(List<DiscoveredPlugin> installed, List<DiscoveredPlugin> enabled,
                                ServerOptions options) throws ServerStartException {
        for (Map.Entry<String, Map.Entry<String, Boolean>> unclaimed : options.unclaimedSections().entrySet()) {
            String name = unclaimed.getKey();
            if (installed.stream().noneMatch(p -> p.plugin().configSection().map(name::equals).orElse(false))) {
                if (unclaimed.getValue().getValue()) {
                    throw new ServerStartException(unclaimed.getValue().getKey());
                }
                LOG.log(System.Logger.Level.WARNING, unclaimed.getValue().getKey());
            }
        }
        Map<String, String> byFlag = options.sectionsEnabledByFlags();
        for (String section : presentSections(options)) {
            if (installed.stream().anyMatch(p -> p.plugin().configSection().map(section::equals).orElse(false))) {
                continue;
            }
            String module = MODULES.get(section);
            if (byFlag.containsKey(section)) {
                throw new ServerStartException(byFlag.get(section) + " needs " + (module == null ? "a plugin that "
                        + "owns the '" + section + "' config section" : module) + ", which is not in this server's "
                        + "image or plugins directory");
            }
            if (module != null) {
                throw new ServerStartException("the configuration has a '" + section + "' block, but " + module
                        + ", the module that serves it, is not in this server's image or plugins directory");
            }
        }
        for (Map.Entry<String, Map<String, Object>> account : options.accountSettings().entrySet()) {
            for (String key : account.getValue().keySet()) {
                if (installed.stream().noneMatch(p -> p.plugin().accountSettings().contains(key))) {
                    throw new ServerStartException("account '" + account.getKey() + "' has a '" + key + "' block, but "
                            + MODULES.getOrDefault(key, "the module") + ", the module that serves it, is not in this "
                            + "server's image or plugins directory");
                }
            }
        }
        for (DiscoveredPlugin p : enabled) {
            try {
                p.plugin().validate(section(options, p.plugin()));
            } catch (PluginException | RuntimeException e) {
                throw new ServerStartException(positioned(e), e);
            }
        }
    }

    /** A plugin's refusal; placed at the key's file, line and column when it came from a block reader. */
    private static String positioned(Exception e) {
        if (e.getCause() instanceof nats.transport.config.ConfigProblem problem) {
            nats.server.internal.config.ConfigException located =
                    nats.server.internal.config.OptionsMapper.error(problem);
            return located.line() > 0 ? located.getMessage() : e.getMessage();
        }
        return e.getMessage();
    }

    /** A plugin's block with the Go flags' values over it; a plain value ({@code jetstream: true}) reads as {@code enabled}. */
    public static Map<String, Object> section(ServerOptions options, ServerPlugin plugin) {
        Optional<String> name = plugin.configSection();
        return name.isEmpty() ? Map.of() : options.section(name.get());
    }

    /** Every plugin checks its reloaded block; the first refusal refuses the whole reload with its message. */
    public static void checkReload(List<DiscoveredPlugin> enabled, ServerOptions current, ServerOptions fresh)
            throws ServerStartException {
        for (DiscoveredPlugin p : enabled) {
            try {
                p.plugin().checkReload(section(current, p.plugin()), section(fresh, p.plugin()));
            } catch (PluginException | RuntimeException e) {
                throw new ServerStartException(e.getMessage(), e);
            }
        }
    }

    /** Applies reloaded blocks the plugins accepted. */
    public static void applyReload(List<DiscoveredPlugin> enabled, ServerOptions current, ServerOptions fresh) {
        for (DiscoveredPlugin p : enabled) {
            p.plugin().applyReload(section(current, p.plugin()), section(fresh, p.plugin()));
        }
    }
}
