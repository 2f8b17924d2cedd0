package nats.api.messaging;

/**
 * A message being traced (Go 2.11's message tracing, ADR-41): it carried a {@code Nats-Trace-Dest} header, or a
 * sampled W3C {@code traceparent} header in an account with a trace destination. The kernel records what
 * happens to the message on this server (ingress, subject mapping, imports, deliveries to clients) and
 * publishes one trace event when the message is done with; a plugin that forwards or stores the message adds
 * its own entries through this handle. It is handed to plugins with the message ({@link InboundMessage#trace()},
 * null when the message is not traced), so an untraced message costs them one null check.
 *
 * <p>Entries are added on the thread that holds the message (the publisher's); a {@link JetStreamTrace} may be
 * completed from another thread, and the event is published once both are done.
 *
 * @since API 2.2
 */
public interface MessageTrace {

    /** The header naming the subject trace events go to. */
    String DEST_HEADER = "Nats-Trace-Dest";
    /** The header asking for the trace only: nothing is delivered to applications or stored. */
    String ONLY_HEADER = "Nats-Trace-Only";
    /** The header a server sets when it forwards a traced message to another server: the hop's id. */
    String HOP_HEADER = "Nats-Trace-Hop";
    /** The header naming the account events go to, set when the message crossed accounts before it left. */
    String ORIGIN_ACCOUNT_HEADER = "Nats-Trace-Origin-Account";

    /** Go's egress error for a peer without tracing, when only a trace was asked for (nothing is sent). */
    String ERROR_TRACE_ONLY_NOT_SUPPORTED = "Not delivered because remote does not support message tracing";
    /** Go's egress error for a peer without tracing: the message goes, but that server sends no event. */
    String ERROR_NOT_SUPPORTED =
            "Message delivered but remote does not support message tracing so no trace event generated from there";

    /** Whether only the trace was asked for: the message must not be delivered to applications or stored. */
    boolean traceOnly();

    /**
     * Counts one more hop to another server and returns its id for {@link #HOP_HEADER}: {@code "1"},
     * {@code "2"}… on the first server, {@code "<received hop>.1"}… on a server the message reached over a hop.
     */
    String nextHop();

    /**
     * The message's header block as the next server must receive it: {@link #HOP_HEADER} set to {@code hop}, and
     * {@link #ORIGIN_ACCOUNT_HEADER} when the account events go to is not {@code account} (the account the
     * message is forwarded in). The payload follows unchanged.
     */
    byte[] headersForHop(String account, String hop);

    /**
     * Records that the message left for another server.
     *
     * @param kind         the link's kind ({@code ROUTE}, {@code GATEWAY}, {@code LEAF})
     * @param connectionId the link connection's id
     * @param peerName     the other server's name
     * @param hop          the id given to the other server ({@link #nextHop()}), or null when none was sent
     * @param error        why it was not delivered (or why no event will come from there), or null
     */
    void linkEgress(MessageOrigin kind, long connectionId, String peerName, String hop, String error);

    /**
     * Records that a JetStream stream takes the message; the event is published once the returned handle is
     * completed (from whatever thread stores the message).
     */
    JetStreamTrace jetStream(String stream);
}
