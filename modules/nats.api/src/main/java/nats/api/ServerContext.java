package nats.api;

import java.util.Map;
import java.util.Optional;

/**
 * The kernel as a plugin sees it. Everything a plugin needs from the server goes through here, so a plugin
 * never has to reach into kernel internals.
 */
public interface ServerContext {

    /** Identity and version of the running server. */
    ServerIdentity identity();

    /**
     * The plugin's own config block, parsed from the server config file: values are {@code String},
     * {@code Long}, {@code Double}, {@code Boolean}, {@code List} or {@code Map}. Empty when absent.
     */
    Map<String, Object> configSection();

    /** A logger named for the plugin. */
    System.Logger logger();

    /** Opens an in-process client connection bound to the global account. */
    InternalConnection connect(String connectionName);

    /** Makes a service available to plugins started later (e.g. JetStream offers itself to MQTT). */
    <T> void registerService(Class<T> type, T service);

    /** A service registered by the kernel or an earlier plugin. */
    <T> Optional<T> service(Class<T> type);
}
