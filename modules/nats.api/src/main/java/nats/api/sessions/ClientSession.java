package nats.api.sessions;

import nats.api.accounts.PluginAccount;
import nats.api.messaging.DirectHandler;

/**
 * An authenticated client of a plugin's protocol (MQTT), as the kernel sees it: bound to an account, held to
 * its user's permissions and limits, counted and listed in {@code /connz}. Publishing and subscribing go
 * through the same checks and routing as a NATS client's. Publishing is done from one thread at a time (the
 * client's reader); subscribe, unsubscribe and close are thread-safe.
 */
public interface ClientSession {

    /** The client id (cid) the kernel gave the session. */
    long id();

    PluginAccount account();

    /** The authenticated user, empty when authentication is off. */
    String user();

    /**
     * Publishes as this client: the account's mappings and the user's publish permissions apply.
     *
     * @return {@link PublishResult#DENIED} when permissions refuse the subject
     */
    PublishResult publish(byte[] subject, byte[] reply, byte[] data, int offset, int headerLength, int length);

    /** Wakes the receivers of what this session published since the last flush. */
    void flush();

    /**
     * Subscribes as this client; delivered messages reach {@code handler} on the publisher's thread, and the
     * message counts as delivered (out msgs) when the handler returns true.
     *
     * @param queueGroup the queue group, or null
     * @throws SessionException with Go's text when permissions, limits or the subject refuse it
     */
    SessionSubscription subscribe(String subject, String queueGroup, DirectHandler handler) throws SessionException;

    /** Records activity (for idle time in {@code /connz}) and received traffic the kernel did not see itself. */
    void activity();

    /** Sets a field shown in this client's {@code /connz} entry, e.g. {@code mqtt_client}. */
    void monitoringField(String name, String value);

    /** Bytes the plugin holds for this client but has not written yet ({@code pending_bytes}). */
    void pendingBytes(long bytes);

    /** Closes the session (the plugin closes the client's connection itself); {@code reason} as Go's. */
    void close(String reason);

    /** Whether the session was closed. */
    boolean isClosed();

    /** The outcome of a publish. */
    enum PublishResult {
        /** Someone received it. */
        ROUTED,
        /** Allowed, but nobody was subscribed. */
        NO_INTEREST,
        /** The user may not publish to the subject. */
        DENIED
    }
}
