package nats.server.internal.routing;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import nats.api.messaging.ClientInfo;
import nats.api.messaging.InboundMessage;
import nats.api.messaging.MessageOrigin;
import nats.api.messaging.MessageTrace;
import nats.server.internal.trace.ActiveTrace;

/**
 * A message on its way through the router, as slices of the publisher's buffers. One instance is reused
 * per publishing connection, so subscribers must copy what they keep (network clients copy into their
 * outbound buffer anyway). Plugins' direct handlers see it as an {@link InboundMessage}, with no copy.
 */
public final class RoutedMessage implements InboundMessage {

    public byte[] subject;
    public int subjectOffset;
    public int subjectLength;
    /**
     * The subject written into MSG frames when it differs from the routing subject, or null: JetStream routes
     * a delivery on the consumer's deliver subject (or a pull request's inbox) and shows the message's own
     * subject, as Go's {@code pa.deliver} does.
     */
    public byte[] shownSubject;
    /** Reply subject bytes; {@code replyLength == 0} means none. */
    public byte[] reply;
    public int replyOffset;
    public int replyLength;
    /** Header block size, or -1 when the message has no headers. */
    public int headerSize = -1;
    /** Headers followed by payload. */
    public byte[] data;
    public int dataOffset;
    public int dataLength;
    /** True when a network client publishes: it may be stalled while a consumer catches up. */
    public boolean producerMayStall;
    /** The account the message was published in, for the request info of service imports. */
    public String originAccount = "";
    /** How many imports the message has crossed; bounds import cycles. */
    public int importHops;
    /** The publishing client, for service latency metrics; null for the server's own messages. */
    public PublishingClient publisher;
    /** What kind of connection published it. */
    public MessageOrigin kind = MessageOrigin.INTERNAL;
    /**
     * For a message a link received: the queue groups (names separated by spaces) this server must deliver
     * it to, one local member each; {@code queuesLength == 0} for none. Not carried into redirected copies.
     */
    public byte[] queues;
    /** The link that injected the message, null otherwise: links check {@link nats.api.links.Link#passesTo}. */
    public nats.api.links.Link sourceLink;
    /** The leaf node cluster a link said the message came from (Go's {@code pa.origin}), "" for none. */
    public String originCluster = "";
    public int queuesOffset;
    public int queuesLength;
    /**
     * A leaf node's message whose subject a mapping changed and that named no queue group: the mapped subject's
     * local queue groups get it as from a client (Go's {@code pmrIgnoreEmptyQueueFilter}; a JetStream domain's
     * direct get from a leaf node reaches the stream's queue subscription so).
     */
    public boolean anyQueueGroup;
    /** The message's trace (Go 2.11 message tracing); null when it is not traced, which is nearly always. */
    public ActiveTrace trace;

    /**
     * A copy bound for another account with the subject and reply replaced, sharing the publisher's
     * headers and payload. Used only on import paths, which may allocate.
     */
    public RoutedMessage redirected(String newSubject, String newReply) {
        RoutedMessage m = new RoutedMessage();
        m.subject = newSubject.getBytes(StandardCharsets.ISO_8859_1);
        m.subjectOffset = 0;
        m.subjectLength = m.subject.length;
        m.reply = newReply.getBytes(StandardCharsets.ISO_8859_1);
        m.replyOffset = 0;
        m.replyLength = m.reply.length;
        m.shownSubject = shownSubject;
        m.data = data;
        m.dataOffset = dataOffset;
        m.dataLength = dataLength;
        m.headerSize = headerSize;
        m.producerMayStall = producerMayStall;
        m.originAccount = originAccount;
        m.importHops = importHops + 1;
        m.publisher = publisher;
        m.kind = kind;
        m.trace = trace;
        m.originCluster = originCluster;
        m.prepareSizes();
        return m;
    }

    /**
     * Points this message at whole arrays a plugin or the server publishes (no copies), and prepares the size
     * texts.
     *
     * @param reply        the reply subject, or null for none
     * @param headerLength the header block's size at the start of the data, 0 for none
     */
    public void set(byte[] subjectBytes, byte[] replyBytes, byte[] bytes, int offset, int headerLength, int length) {
        subject = subjectBytes;
        shownSubject = null;
        subjectOffset = 0;
        subjectLength = subjectBytes.length;
        reply = replyBytes;
        replyOffset = 0;
        replyLength = replyBytes == null ? 0 : replyBytes.length;
        data = bytes;
        dataOffset = offset;
        dataLength = length;
        headerSize = headerLength > 0 ? headerLength : -1;
        prepareSizes();
    }

    /** Replaces headers and payload (e.g. after adding a header), updating the size texts. */
    public void replaceData(byte[] newData, int newHeaderSize) {
        data = newData;
        dataOffset = 0;
        dataLength = newData.length;
        headerSize = newHeaderSize;
        prepareSizes();
    }

    /** ASCII decimal of {@link #dataLength} and of {@link #headerSize}, for the MSG/HMSG line. */
    private final byte[] totalAscii = new byte[10];
    private int totalAsciiLength;
    private final byte[] headerAscii = new byte[10];
    private int headerAsciiLength;

    /** Fills the size texts once the sizes are known. */
    public void prepareSizes() {
        // Publishers usually repeat the same sizes: keep the text from the previous message.
        if (dataLength != preparedTotal) {
            totalAsciiLength = writeDecimal(dataLength, totalAscii);
            preparedTotal = dataLength;
        }
        if (headerSize != preparedHeader) {
            headerAsciiLength = headerSize >= 0 ? writeDecimal(headerSize, headerAscii) : 0;
            preparedHeader = headerSize;
        }
        if (headerSize >= 0) {
            payloadAsciiLength = writeDecimal(dataLength - headerSize, payloadAscii);
        }
    }

    /** ASCII decimal of the payload size without headers (for subscribers that do not take headers). */
    public byte[] payloadAscii() {
        return payloadAscii;
    }

    public int payloadAsciiLength() {
        return payloadAsciiLength;
    }

    private final byte[] payloadAscii = new byte[10];
    private int payloadAsciiLength;

    private int preparedTotal = -1;
    private int preparedHeader = -2;

    public byte[] totalAscii() {
        return totalAscii;
    }

    public int totalAsciiLength() {
        return totalAsciiLength;
    }

    public byte[] headerAscii() {
        return headerAscii;
    }

    public int headerAsciiLength() {
        return headerAsciiLength;
    }

    /** The subject for MSG frames: the shown subject when one is set, else the routing subject. */
    public byte[] frameSubject() {
        return shownSubject != null ? shownSubject : subject;
    }

    public int frameSubjectOffset() {
        return shownSubject != null ? 0 : subjectOffset;
    }

    public int frameSubjectLength() {
        return shownSubject != null ? shownSubject.length : subjectLength;
    }

    public boolean hasReply() {
        return replyLength > 0;
    }

    public boolean hasHeaders() {
        return headerSize >= 0;
    }

    // ---- InboundMessage ------------------------------------------------------------------------------

    // A handler sees the subject a subscriber's MSG shows (the shown subject of a JetStream delivery), as Go's
    // internal callbacks get pa.deliver.
    @Override
    public byte[] subjectArray() {
        return frameSubject();
    }

    @Override
    public int subjectOffset() {
        return frameSubjectOffset();
    }

    @Override
    public int subjectLength() {
        return frameSubjectLength();
    }

    @Override
    public byte[] replyArray() {
        return reply;
    }

    @Override
    public int replyOffset() {
        return replyOffset;
    }

    @Override
    public int replyLength() {
        return replyLength;
    }

    @Override
    public byte[] dataArray() {
        return data;
    }

    @Override
    public int dataOffset() {
        return dataOffset;
    }

    @Override
    public int dataLength() {
        return dataLength;
    }

    @Override
    public int headerLength() {
        return Math.max(0, headerSize);
    }

    @Override
    public String account() {
        return originAccount;
    }

    @Override
    public MessageOrigin origin() {
        return kind;
    }

    @Override
    public Optional<ClientInfo> client() {
        return publisher == null ? Optional.empty() : Optional.of(publisher.clientInfo());
    }

    @Override
    public String subject() {
        return subjectString();
    }

    @Override
    public MessageTrace trace() {
        return trace;
    }

    @Override
    public String reply() {
        return replyString();
    }

    public String subjectString() {
        return new String(subject, subjectOffset, subjectLength, StandardCharsets.ISO_8859_1);
    }

    public String replyString() {
        return replyLength == 0 ? "" : new String(reply, replyOffset, replyLength, StandardCharsets.ISO_8859_1);
    }

    private static int writeDecimal(int value, byte[] out) {
        if (value == 0) {
            out[0] = '0';
            return 1;
        }
        int digits = 0;
        for (int v = value; v > 0; v /= 10) {
            digits++;
        }
        for (int i = digits - 1, v = value; i >= 0; i--, v /= 10) {
            out[i] = (byte) ('0' + v % 10);
        }
        return digits;
    }
}
