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

    void wrap(RoutedMessage message, String accountName, byte[] queueNames, int queueNamesLength) {
        this.m = message;
        this.account = accountName;
        this.queues = queueNames;
        this.queuesLength = queueNamesLength;
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
        return m.reply;
    }

    @Override
    public int replyOffset() {
        return m.replyOffset;
    }

    @Override
    public int replyLength() {
        return m.replyLength;
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
    public Optional<ClientInfo> client() {
        return m.client();
    }

    @Override
    public nats.api.messaging.MessageTrace trace() {
        return m.trace;
    }
}
