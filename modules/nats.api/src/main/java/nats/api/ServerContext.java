package nats.api;

import java.util.Map;
import java.util.Optional;

import nats.api.accounts.AccountDirectory;
import nats.api.links.Links;
import nats.api.messaging.InternalConnection;
import nats.api.monitoring.Monitoring;
import nats.api.net.Listeners;
import nats.api.sessions.ClientSessions;

/**
 * The kernel as a plugin sees it. Everything a plugin needs from the server goes through here, so a plugin
 * never has to reach into kernel internals.
 */
public interface ServerContext {

    /** Identity and version of the running server. */
    ServerIdentity identity();

    /** Server-wide settings a plugin may need (addresses, limits, tags). */
    ServerSettings settings();

    /**
     * The plugin's own config block, parsed from the server config file and merged with the Go flags that
     * belong to it (e.g. {@code -sd} into {@code jetstream}): values are {@code String}, {@code Long},
     * {@code Double}, {@code Boolean}, {@code List} or {@code Map}. Empty when absent.
     */
    Map<String, Object> configSection();

    /** A logger named for the plugin. */
    System.Logger logger();

    /** Opens an in-process client connection bound to the global account. */
    default InternalConnection connect(String connectionName) {
        return accounts().global().connect(connectionName);
    }

    /** The server's accounts, and their changes. */
    AccountDirectory accounts();

    /** Listeners on the kernel's accept and threading machinery. */
    Listeners listeners();

    /** Client connections of plugin protocols (WebSocket, MQTT), authenticated and counted by the kernel. */
    ClientSessions clientSessions();

    /** Monitoring endpoints, {@code /varz} sections, INFO fields, health checks. */
    Monitoring monitoring();

    /**
     * Links to other servers (routes, gateways, leaf nodes): their interest, their messages, local interest.
     *
     * @since API 2.2
     */
    Links links();

    /** Makes a service available to plugins started later (e.g. JetStream offers itself to MQTT). */
    <T> void registerService(Class<T> type, T service);

    /** A service registered by the kernel or an earlier plugin. */
    <T> Optional<T> service(Class<T> type);

    /**
     * Offers a protocol another plugin carries (MQTT, leaf nodes over WebSocket), one per name, so several
     * plugins may each offer theirs.
     *
     * @since API 2.3
     */
    default void registerStreamProtocol(nats.api.net.StreamProtocol protocol) {
        registerService(nats.api.net.StreamProtocol.class, protocol);
    }

    /**
     * The protocol offered under {@code name}, looked up when a carried connection asks for it.
     *
     * @since API 2.3
     */
    default Optional<nats.api.net.StreamProtocol> streamProtocol(String name) {
        return service(nats.api.net.StreamProtocol.class).filter(p -> p.name().equals(name));
    }
}
