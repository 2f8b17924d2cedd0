package nats.server.internal.auth;

/** Subscription, data and payload limits of users and accounts; -1 means unlimited (Go's {@code NoLimit}). */
public record NatsLimits(long subs, long data, long payload) {

    static final long NO_LIMIT = -1;

    static final NatsLimits ZERO = new NatsLimits(0, 0, 0);
    static final NatsLimits UNLIMITED = new NatsLimits(NO_LIMIT, NO_LIMIT, NO_LIMIT);
}
