package nats.api;

import java.lang.module.ModuleDescriptor;
import java.util.Optional;
import java.util.Set;

/**
 * A separately versioned server module (routes, JetStream, MQTT, ...) that the kernel discovers with
 * {@link java.util.ServiceLoader}. Implementations need a public no-argument constructor; they do no work
 * until {@link #start(ServerContext)}.
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

    /** Ids of plugins that must be started before this one. */
    default Set<String> dependsOn() {
        return Set.of();
    }

    /** Whether the plugin runs without being named by {@code --enable} or its config section. */
    default boolean enabledByDefault() {
        return false;
    }

    /**
     * Starts the plugin. Throwing refuses the start: the server reports the reason and does not run
     * half-configured.
     */
    void start(ServerContext context) throws PluginException;

    /** Stops the plugin and releases what it holds; called in reverse start order. */
    void stop();
}
