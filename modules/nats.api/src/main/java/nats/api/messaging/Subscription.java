package nats.api.messaging;

/** A subscription held by an {@link InternalConnection}. */
public interface Subscription {

    /** The subject filter subscribed to. */
    String subject();

    /** Stops delivery; further messages already routed may still arrive. */
    void unsubscribe();
}
