package nats.api.messaging;

/**
 * The JetStream entry of a traced message ({@link MessageTrace#jetStream}), completed once the stream has
 * decided about the message: stored, found without interest, refused, or (trace only) checked and not stored.
 *
 * @since API 2.2
 */
public interface JetStreamTrace {

    /**
     * Completes the entry and lets the trace event go. Call exactly once.
     *
     * @param subject    the subject the message is (or would be) stored under; null when it failed before
     * @param noInterest whether an interest-retention stream had no consumer for it
     * @param error      why it was not stored, in Go's words, or null
     */
    void completed(String subject, boolean noInterest, String error);
}
