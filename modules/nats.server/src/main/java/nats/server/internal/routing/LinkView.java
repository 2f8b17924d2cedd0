package nats.server.internal.routing;

import java.util.Optional;

import nats.api.links.LinkMessage;
import nats.api.messaging.ClientInfo;
import nats.api.messaging.MessageOrigin;

/**
 * A routed message as one link sees it: in the account the link's interest matched, with the queue groups the
 * link was chosen for. Reused for every message of one publisher.
 */
final class LinkView implements LinkMessage {

    private RoutedMessage m;
    private String account;
    private byte[] queues;
    private int queuesLength;

    /**
     * The reply with Go's {@code @<subject>} suffix when the message is delivered on another subject than its own
     * (a JetStream delivery: matched on the deliver subject or inbox, shown with the message's subject), as Go's
     * processMsgResults appends {@code pa.deliver} for routes and leaf nodes; null when the reply goes as it is.
     */
    private byte[] encodedReply;

    void wrap(RoutedMessage message, String accountName, byte[] queueNames, int queueNamesLength) {
        this.m = message;
        this.account = accountName;
        this.queues = queueNames;
        this.queuesLength = queueNamesLength;
        this.encodedReply = message != null && message.shownSubject != null && message.replyLength > 0
                ? JetStreamReplies.encode(message) : null;
    }

    @Override
    public byte[] queuesArray() {
        return queues;
    }

    @Override
    public int queuesOffset() {
        return 0;
    }

    @Override
    public int queuesLength() {
        return queuesLength;
    }

    @Override
    public byte[] subjectArray() {
        return m.subject;
    }

    @Override
    public int subjectOffset() {
        return m.subjectOffset;
    }

    @Override
    public int subjectLength() {
        return m.subjectLength;
    }

    @Override
    public byte[] replyArray() {
        return encodedReply != null ? encodedReply : m.reply;
    }

    @Override
    public int replyOffset() {
        return encodedReply != null ? 0 : m.replyOffset;
    }

    @Override
    public int replyLength() {
        return encodedReply != null ? encodedReply.length : m.replyLength;
    }

    @Override
    public byte[] dataArray() {
        return m.data;
    }

    @Override
    public int dataOffset() {
        return m.dataOffset;
    }

    @Override
    public int dataLength() {
        return m.dataLength;
    }

    @Override
    public int headerLength() {
        return m.headerLength();
    }

    @Override
    public String account() {
        return account;
    }

    @Override
    public MessageOrigin origin() {
        return m.kind;
    }

    @Override
    public String originCluster() {
        return m.originCluster;
    }

    @Override
    public Optional<ClientInfo> client() {
        return m.client();
    }

    @Override
    public nats.api.messaging.MessageTrace trace() {
        return m.trace;
    }
}
