package nats.api;

import java.util.List;
import java.util.Optional;

/** The server-wide settings plugins read; a view of the configuration in force (it follows reloads). */
public interface ServerSettings {

    /** The client listener's host ({@code host}/{@code -a}). */
    String host();

    /** The client port bound; -1 until the client listener is open (plugins start before it). */
    int clientPort();

    /** {@code max_payload}: the largest message a client may publish. */
    int maxPayload();

    /** {@code server_tags}. */
    List<String> tags();

    /** The system account's name, when there is one. */
    Optional<String> systemAccount();

    /**
     * Whether the configuration named the system account ({@code system_account}, or the operator's JWT) rather
     * than the server taking {@code $SYS} by default; Go's start-up checks ask for one in some setups.
     *
     * @since API 2.3
     */
    default boolean systemAccountConfigured() {
        return systemAccount().isPresent();
    }

    /** Whether the server runs in operator (JWT) mode. */
    boolean operatorMode();

    /**
     * {@code ping_interval}: how often an idle connection is pinged (routes use it too).
     *
     * @since API 2.2
     */
    java.time.Duration pingInterval();

    /**
     * {@code ping_max}: unanswered PINGs before a connection is stale.
     *
     * @since API 2.2
     */
    int maxPingsOut();

    /**
     * {@code max_pending}: bytes queued for one connection before it is a slow consumer.
     *
     * @since API 2.2
     */
    long maxPending();

    /**
     * {@code write_deadline}: how long one write may block before the connection is closed.
     *
     * @since API 2.2
     */
    java.time.Duration writeDeadline();
}
