package nats.server.internal.plugin;

import nats.api.ServerPlugin;

/**
 * A plugin instance and where it came from.
 *
 * @param plugin the provider instance
 * @param origin {@code built-in} or {@code drop-in (jar names)}
 */
public record DiscoveredPlugin(ServerPlugin plugin, String origin) {

    /** The origin of a plugin in the image's own modules (the boot layer). */
    public static final String BUILT_IN = "built-in";

    public boolean builtIn() {
        return origin.equals(BUILT_IN);
    }

    public String moduleName() {
        Module module = plugin.getClass().getModule();
        return module.isNamed() ? module.getName() : "(class path)";
    }
}
