package nats.transport.protocol;

import java.util.Optional;

import nats.api.links.LinkMessage;
import nats.api.messaging.ClientInfo;
import nats.api.messaging.MessageOrigin;

/**
 * A message a server-to-server link (route, gateway, leaf node) read, as the parser left it ({@code RMSG},
 * {@code LMSG} or {@code HMSG} arguments plus the payload in the read buffer), shown to the kernel as a
 * {@link LinkMessage}. One instance per connection, rewrapped for every message, so injection allocates nothing.
 */
public final class ReceivedLinkMessage implements LinkMessage {

    private final MessageOrigin origin;
    private RoutedMessageArgs args;
    private byte[] data;
    private int offset;
    private int length;
    private String account;
    private int subjectSkip;
    private String originCluster = "";

    /** @param origin the kind of link the messages come from */
    public ReceivedLinkMessage(MessageOrigin origin) {
        this.origin = origin;
    }

    /** Points at the next message: its parsed arguments, its payload and the account it is routed in. */
    public void wrap(RoutedMessageArgs parsed, byte[] buf, int off, int len, String accountName) {
        wrap(parsed, buf, off, len, accountName, 0);
    }

    /**
     * As {@link #wrap(RoutedMessageArgs, byte[], int, int, String)}, with the subject's first {@code skip} bytes
     * left out (a gateway's {@code _GR_.} reply prefix).
     */
    public void wrap(RoutedMessageArgs parsed, byte[] buf, int off, int len, String accountName, int skip) {
        this.args = parsed;
        this.data = buf;
        this.offset = off;
        this.length = len;
        this.account = accountName;
        this.subjectSkip = skip;
    }

    /**
     * The leaf node cluster the messages come from from now on (a hub's leaf connection: the cluster its leaf
     * named), or the one of the next message (a route's {@code LMSG}); "" for none.
     */
    public void originCluster(String cluster) {
        this.originCluster = cluster;
    }

    @Override
    public String originCluster() {
        return originCluster;
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
        return args.subjectOffset() + subjectSkip;
    }

    @Override
    public int subjectLength() {
        return args.subjectLength() - subjectSkip;
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
        return origin;
    }

    @Override
    public Optional<ClientInfo> client() {
        return Optional.empty();
    }
}
