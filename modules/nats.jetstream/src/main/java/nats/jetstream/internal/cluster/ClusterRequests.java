package nats.jetstream.internal.cluster;

import nats.api.messaging.Message;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.engine.Stream;

/**
 * What the cluster needs of the API layer (which depends on the cluster, not the other way round): the answer to a
 * stream create or update once the stream's group has a leader, and the single-server handling of a request that
 * a stream group replicated (purge, message delete), run on every replica in log order.
 */
public interface ClusterRequests {

    /** Sends the create or update answer ({@code type}) for {@code stream} to {@code reply}. */
    void answerStream(Stream stream, String reply, String type);

    /** Answers a clustered restore's last chunk with Go's {@code stream_create_response} (config, created, state). */
    void answerRestored(Stream stream, String reply);

    /**
     * An answer the cluster sent for the API layer (a stream group's leader answering a create, update, restore or
     * replicated request): counted in the account's API totals and audited, as Go's {@code sendAPIResponse}.
     */
    void answered(JsAccount account, String subject, String request, String response);

    /** Go's {@code StreamInfo} of a stream this server leads, with its {@code cluster} block, as JSON. */
    String streamInfo(Stream stream);

    /** Handles a replicated request on this replica's stream; returns the response body. */
    String applyRequest(JsAccount account, Message request);
}
