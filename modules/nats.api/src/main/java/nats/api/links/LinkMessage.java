package nats.api.links;

import nats.api.messaging.InboundMessage;

/**
 * A message crossing a link, as slices of buffers valid only during the call that hands it over: from the
 * kernel to {@link Link#send}, or from a plugin to {@link LinkPublisher#publish}. Besides the message it
 * names the account it is routed in ({@link #account()}) and the queue groups it is meant for: the groups a
 * link was chosen for (so that the other side delivers to one of its own members of each), or, for a
 * message a link received, the groups this server must deliver it to.
 */
public interface LinkMessage extends InboundMessage {

    /** The array holding the queue group names, separated by single spaces. */
    byte[] queuesArray();

    int queuesOffset();

    /** 0 when the message is meant for no queue group. */
    int queuesLength();

    /**
     * The cluster of the leaf node the message came in from (Go's leafnode origin cluster: the {@code cluster} a
     * leaf connection's other side named, or the origin of a route's {@code LMSG}); empty when none. A hub cluster
     * keeps such a message from going back to leaf connections of that cluster.
     *
     * @since API 2.5
     */
    default String originCluster() {
        return "";
    }

    default boolean hasQueues() {
        return queuesLength() > 0;
    }

    /** The queue group names as text, separated by spaces ({@code ""} when none). */
    default String queues() {
        return queuesLength() == 0 ? "" : new String(queuesArray(), queuesOffset(), queuesLength(),
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
