package nats.transport.link;

import java.nio.charset.StandardCharsets;

import nats.api.links.LinkMessage;
import nats.transport.net.OutboundQueue;

/**
 * Writes one message as servers send it to each other, allocation-free: {@code RMSG account subject [reply]
 * size} on routes and gateways (without the account on a route bound to one), {@code LMSG subject [reply] size} on
 * leaf connections, {@code HMSG} with the
 * header size where the peer takes headers. A message for queue groups names them after the reply:
 * {@code + reply queues...} or {@code | queues...} without a reply (Go's route protocol).
 */
final class MessageFrame {

    private static final byte[] RMSG = "RMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LMSG = "LMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HMSG = "HMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] REPLY_AND_QUEUES = {'+', ' '};
    private static final byte[] QUEUES_ONLY = {'|', ' '};
    /** Room for the op, separators, two decimal sizes and the line ends. */
    private static final int OVERHEAD = 5 + 1 + 1 + 2 + 1 + 1 + 22 + 2 + 2;

    private MessageFrame() {
    }

    /**
     * @param leaf         LMSG rather than RMSG (a leaf connection)
     * @param account      the account's bytes, or null where the connection binds it (LMSG, a per-account route)
     * @param replyPrefix  bytes put before the reply ({@code _GR_.} routing), empty for none
     * @param data         the header block followed by the payload
     * @param headerLength the header block's length, 0 for none
     * @param length       header block and payload
     * @param headers      whether the peer takes headers (HMSG); if not, the header block is dropped
     * @return false when the queue refused the frame (closed or over its pending limit)
     */
    static boolean write(OutboundQueue out, LinkMessage m, boolean leaf, byte[] account, byte[] replyPrefix, byte[] data,
                         int offset, int headerLength, int length, boolean headers) {
        return write(out, m, leaf, null, account, replyPrefix, data, offset, headerLength, length, headers);
    }

    /**
     * As above; a non-null {@code origin} makes it a route's {@code LMSG origin account subject ... hdr size} (Go's
     * leafnode origin cluster), which always carries the header size, 0 without headers.
     */
    static boolean write(OutboundQueue out, LinkMessage m, boolean leaf, byte[] origin, byte[] account,
                         byte[] replyPrefix, byte[] data, int offset, int headerLength, int length, boolean headers) {
        boolean withOrigin = origin != null;
        boolean hmsg = withOrigin || headerLength > 0 && headers;
        int skip = headerLength > 0 && !hmsg ? headerLength : 0;
        int dataLength = length - skip;
        int replyLength = m.hasReply() ? replyPrefix.length + m.replyLength() : 0;
        int max = OVERHEAD + (account == null ? 0 : account.length) + (withOrigin ? origin.length + 1 : 0)
                + m.subjectLength() + replyLength + m.queuesLength() + dataLength;
        if (!out.begin(max)) {
            return false;
        }
        try {
            if (withOrigin) {
                out.put(LMSG);
                out.put(origin);
                out.put((byte) ' ');
            } else {
                out.put(hmsg ? HMSG : leaf ? LMSG : RMSG);
            }
            if (account != null) {
                out.put(account);
                out.put((byte) ' ');
            }
            out.put(m.subjectArray(), m.subjectOffset(), m.subjectLength());
            out.put((byte) ' ');
            if (m.hasQueues()) {
                if (m.hasReply()) {
                    out.put(REPLY_AND_QUEUES);
                    putReply(out, m, replyPrefix);
                } else {
                    out.put(QUEUES_ONLY);
                }
                out.put(m.queuesArray(), m.queuesOffset(), m.queuesLength());
                out.put((byte) ' ');
            } else if (m.hasReply()) {
                putReply(out, m, replyPrefix);
            }
            if (hmsg) {
                out.putDecimal(headerLength - skip);
                out.put((byte) ' ');
            }
            out.putDecimal(dataLength);
            out.put(CRLF);
            out.put(data, offset + skip, dataLength);
            out.put(CRLF);
        } finally {
            out.end(true, dataLength);
        }
        return true;
    }

    private static void putReply(OutboundQueue out, LinkMessage m, byte[] prefix) {
        if (prefix.length > 0) {
            out.put(prefix);
        }
        out.put(m.replyArray(), m.replyOffset(), m.replyLength());
        out.put((byte) ' ');
    }
}
