package nats.api.messaging;

/**
 * Receives messages on the publisher's own thread, as byte slices ({@link InboundMessage}), with no copy and no
 * queue in between: the fast path for plugins that keep up with network clients (JetStream ingest, MQTT
 * delivery). The handler must not block; it copies what it keeps and hands slow work to its own thread.
 */
@FunctionalInterface
public interface DirectHandler {

    /**
     * @return false when the message was refused (e.g. the handler's queue is full), which counts as not
     *         delivered: a queue group then tries another member
     */
    boolean onMessage(InboundMessage message);

    /**
     * Whether this handler understands trace-only messages ({@link MessageTrace#traceOnly()}): it then receives
     * them and must only report (JetStream checks a message without storing it). Other handlers never see them.
     *
     * @since API 2.2
     */
    default boolean acceptsTraceOnly() {
        return false;
    }

    /**
     * A direct handler that is also told when the publisher's current batch ends: once per read of a network
     * client (or per flush of an in-process publisher) in which it accepted a message, on the same thread,
     * after the last message of the batch. Work deferred per message can be done once there for the whole
     * batch, e.g. one sync of a file for every message stored from the read (group commit on the
     * publisher's thread). It may block for such work the batch itself caused, never for unrelated work.
     *
     * @since API 2.2
     */
    interface Batched extends DirectHandler {

        /** The batch in which this handler accepted messages is over. */
        void endOfBatch();
    }
}
