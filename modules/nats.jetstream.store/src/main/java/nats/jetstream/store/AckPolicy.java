package nats.jetstream.store;

/** A consumer's ack policy, as far as its stored state depends on it. */
public enum AckPolicy {
    /** No acks: delivered is also acknowledged. */
    NONE,
    /** An ack acknowledges every earlier message too. */
    ALL,
    /** Each message is acknowledged on its own. */
    EXPLICIT
}
