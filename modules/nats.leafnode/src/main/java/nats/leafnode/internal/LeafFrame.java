package nats.leafnode.internal;

import java.util.Optional;

import nats.api.links.LinkMessage;
import nats.api.messaging.ClientInfo;
import nats.api.messaging.MessageOrigin;
import nats.transport.protocol.RoutedMessageArgs;

/** An LMSG/HMSG as the parser left it, in the connection's bound account; reused for every message. */
final class LeafFrame implements LinkMessage {

    private RoutedMessageArgs args;
    private byte[] data;
    private int offset;
    private int length;
    private String account;

    void wrap(RoutedMessageArgs parsed, byte[] buf, int off, int len, String accountName) {
        this.args = parsed;
        this.data = buf;
        this.offset = off;
        this.length = len;
        this.account = accountName;
    }

    @Override
    public byte[] queuesArray() {
        return args.buffer();
    }

    @Override
    public int queuesOffset() {
        return args.queuesOffset();
    }

    @Override
    public int queuesLength() {
        return args.queuesLength();
    }

    @Override
    public byte[] subjectArray() {
        return args.buffer();
    }

    @Override
    public int subjectOffset() {
        return args.subjectOffset();
    }

    @Override
    public int subjectLength() {
        return args.subjectLength();
    }

    @Override
    public byte[] replyArray() {
        return args.buffer();
    }

    @Override
    public int replyOffset() {
        return args.replyOffset();
    }

    @Override
    public int replyLength() {
        return args.replyLength();
    }

    @Override
    public byte[] dataArray() {
        return data;
    }

    @Override
    public int dataOffset() {
        return offset;
    }

    @Override
    public int dataLength() {
        return length;
    }

    @Override
    public int headerLength() {
        return Math.max(0, args.headerSize());
    }

    @Override
    public String account() {
        return account;
    }

    @Override
    public MessageOrigin origin() {
        return MessageOrigin.LEAF;
    }

    @Override
    public Optional<ClientInfo> client() {
        return Optional.empty();
    }
}
