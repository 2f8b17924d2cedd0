package nats.api;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A separately versioned server module (routes, JetStream, MQTT, ...) that the kernel discovers with
 * {@link java.util.ServiceLoader}. Implementations need a public no-argument constructor; they do no work
 * until {@link #start(ServerContext)}.
 *
 * <p>Lifecycle: {@link #validate} (also under {@code nats-server -t}), {@link #start}, then any number of
 * reloads ({@link #checkReload} for every plugin before {@link #applyReload} for any), possibly
 * {@link #enterLameDuckMode}, and {@link #stop}, in reverse start order.
 */
public interface ServerPlugin {

    /** Short, stable identifier used by {@code --enable} and in logs, e.g. {@code mqtt}. */
    String id();

    /** The plugin's own version: by default the version recorded in its module descriptor. */
    default String version() {
        return Optional.ofNullable(getClass().getModule().getDescriptor())
                .flatMap(ModuleDescriptor::rawVersion)
                .orElse("unversioned");
    }

    /** The kernel API versions this plugin was built for. */
    ApiRange requiredApi();

    /** The top-level config block this plugin owns (e.g. {@code mqtt}); its presence enables the plugin. */
    default Optional<String> configSection() {
        return Optional.empty();
    }

    /**
     * Keys this plugin owns inside each account of the {@code accounts {}} block (e.g. {@code jetstream});
     * the kernel accepts them and hands them over through {@code PluginAccount.setting}.
     */
    default Set<String> accountSettings() {
        return Set.of();
    }

    /** Ids of plugins that must be started before this one. */
    default Set<String> dependsOn() {
        return Set.of();
    }

    /**
     * The text the start is refused with when {@code pluginId}, one of {@link #dependsOn()}, is not enabled: Go's
     * own text for the missing feature (e.g. MQTT's "mqtt requires JetStream to be enabled..."); empty for the
     * kernel's generic one.
     *
     * @since API 2.1
     */
    default Optional<String> missingDependency(String pluginId) {
        return Optional.empty();
    }

    /** Whether the plugin runs without being named by {@code --enable} or its config section. */
    default boolean enabledByDefault() {
        return false;
    }

    /**
     * Checks the plugin's config section before anything starts, and under {@code nats-server -t}.
     *
     * @param section the section's values (see {@link ServerContext#configSection()}); empty when absent
     * @throws PluginException with the text Go would print for the same mistake
     */
    default void validate(Map<String, Object> section) throws PluginException {
    }

    /**
     * Starts the plugin. Throwing refuses the start: the server reports the reason and does not run
     * half-configured.
     */
    void start(ServerContext context) throws PluginException;

    /**
     * Checks a reloaded section before anything is applied. The default accepts an unchanged section and
     * refuses any change, with Go's text for an option that cannot be reloaded.
     *
     * @throws PluginException to refuse the whole reload (the running configuration stays)
     */
    default void checkReload(Map<String, Object> current, Map<String, Object> fresh) throws PluginException {
        if (!current.equals(fresh)) {
            throw new PluginException("config reload not supported for " + configSection().orElse(id()));
        }
    }

    /** Applies a reloaded section that {@link #checkReload} accepted. */
    default void applyReload(Map<String, Object> current, Map<String, Object> fresh) {
    }

    /** The server entered lame-duck mode: stop accepting new work; {@link #stop} follows. */
    default void enterLameDuckMode() {
    }

    /** Stops the plugin and releases what it holds; called in reverse start order. */
    void stop();
}
