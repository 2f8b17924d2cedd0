package nats.server.internal.auth;

import java.util.Map;

/**
 * The limits an operator puts on an account (Go's {@code jwt.OperatorLimits}). JetStream limits are either
 * one set or per tier; when tiers are given the single set reads as zero, as in Go.
 */
public record OperatorLimits(
        NatsLimits nats,
        AccountLimits account,
        JetStreamLimits jetStream,
        Map<String, JetStreamLimits> jetStreamTiers) {

    /** Connection, leafnode, import and export limits; -1 means unlimited. */
    public record AccountLimits(
            long imports,
            long exports,
            boolean wildcardExports,
            boolean disallowBearer,
            long conn,
            long leaf) {
    }

    /** JetStream resources; 0 storage means JetStream is disabled for the account. */
    public record JetStreamLimits(
            long memoryStorage,
            long diskStorage,
            long streams,
            long consumer,
            long maxAckPending,
            long memoryMaxStreamBytes,
            long diskMaxStreamBytes,
            boolean maxBytesRequired) {

        static final JetStreamLimits ZERO = new JetStreamLimits(0, 0, 0, 0, 0, 0, 0, false);
    }
}
