package nats.jetstream.internal.api;

import java.nio.charset.StandardCharsets;

import nats.api.messaging.DirectHandler;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.MessageHandler;
import nats.api.messaging.MessagePublisher;
import nats.api.messaging.Subscription;

/**
 * The account's API connection as the cluster layer answers one request through it: whatever it publishes to the
 * request's reply subject is an answer, counted in the account's API totals and sent to the audit advisory (Go's
 * {@code sendAPIResponse} / {@code sendAPIErrResponse}), whether sent now or once a proposal committed.
 */
final class AnsweringConnection implements InternalConnection {

    private final InternalConnection connection;
    private final String account;
    private final Message request;
    private final ApiRouter router;

    private AnsweringConnection(InternalConnection connection, String account, Message request, ApiRouter router) {
        this.connection = connection;
        this.account = account;
        this.request = request;
        this.router = router;
    }

    /** {@code connection} answering {@code request} (itself when it already is such a connection). */
    static InternalConnection of(InternalConnection connection, String account, Message request, ApiRouter router) {
        if (connection instanceof AnsweringConnection a && a.request == request) {
            return a;
        }
        return new AnsweringConnection(raw(connection), account, request, router);
    }

    /** The connection without the counting (the single-server path counts its own answers). */
    static InternalConnection raw(InternalConnection connection) {
        return connection instanceof AnsweringConnection a ? a.connection : connection;
    }

    @Override
    public void publish(Message message) {
        connection.publish(message);
        if (request.hasReplyTo() && message.subject().equals(request.replyTo())) {
            router.accounted(account, request.subject(), new String(request.payload(), StandardCharsets.UTF_8),
                    new String(message.payload(), StandardCharsets.UTF_8));
        }
    }

    @Override
    public Subscription subscribe(String subject, MessageHandler handler) {
        return connection.subscribe(subject, handler);
    }

    @Override
    public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
        return connection.subscribe(subject, queueGroup, handler);
    }

    @Override
    public Subscription subscribeDirect(String subject, String queueGroup, DirectHandler handler) {
        return connection.subscribeDirect(subject, queueGroup, handler);
    }

    @Override
    public MessagePublisher publisher() {
        return connection.publisher();
    }

    @Override
    public boolean hasInterest(String subject) {
        return connection.hasInterest(subject);
    }

    @Override
    public void close() {
        connection.close();
    }
}
