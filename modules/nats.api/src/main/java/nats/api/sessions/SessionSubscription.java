package nats.api.sessions;

/** A subscription made by a {@link ClientSession}. */
public interface SessionSubscription {

    String subject();

    /** The queue group, or null. */
    String queueGroup();

    /** Stops delivery; messages already being delivered may still arrive. */
    void unsubscribe();
}
