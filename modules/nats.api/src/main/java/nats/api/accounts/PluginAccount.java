package nats.api.accounts;

import java.util.Optional;

import nats.api.messaging.InternalConnection;

/**
 * One account as a plugin sees it: its name, its own subject space (reached through in-process connections),
 * and the settings that belong to plugins (a {@code jetstream} block inside the account in the config file,
 * or the limits of an account JWT).
 */
public interface PluginAccount {

    /** The account name: a configured name, {@code $G}, or an account public key in operator mode. */
    String name();

    /** Whether this is the system account. */
    boolean isSystem();

    /** Opens an in-process client bound to this account; {@code connectionName} shows in logs. */
    InternalConnection connect(String connectionName);

    /**
     * A block of this account's configuration that the kernel does not interpret itself, e.g. the value of
     * {@code accounts { A { jetstream: { max_mem: 1G } } } } for {@code "jetstream"}: a {@code Map}, or a
     * plain value such as {@code "enabled"} or {@code true}. Empty when absent.
     */
    Optional<Object> setting(String key);

    /**
     * The claims of the account's JWT as JSON (operator mode), for limits the plugin owns (e.g. the
     * {@code jetstream} limits inside {@code nats.limits}). Empty for accounts from the config file.
     */
    Optional<String> jwtClaimsJson();

    /** The account's clients connected to this server. */
    int clientCount();

    /**
     * Adds a subject mapping, as Go's {@code Account.AddMapping} (JetStream maps {@code $JS.<domain>.API.>} to
     * {@code $JS.API.>}): what clients and leaf nodes publish to {@code source} goes to {@code destination}, and
     * leaf nodes hear of the source. A source mapped already (by the configuration or before) is left as it is.
     *
     * @return false when the source was mapped already
     * @since API 2.3
     */
    default boolean addMapping(String source, String destination) {
        throw new UnsupportedOperationException("this kernel does not take plugin subject mappings");
    }

    /**
     * Calls {@code listener} with {@code true} when a literal subject gains its first interested subscriber and
     * {@code false} when it loses its last one (Go's sublist notifications: a push consumer watches its deliver
     * subject); called once at once with the current state.
     */
    InterestWatch watchInterest(String literalSubject, InterestListener listener);

    /** Receives interest changes for a watched subject; must not block. */
    @FunctionalInterface
    interface InterestListener {
        void interestChanged(boolean interested);
    }

    /** A registration made by {@link #watchInterest}. */
    interface InterestWatch extends AutoCloseable {
        @Override
        void close();
    }
}
