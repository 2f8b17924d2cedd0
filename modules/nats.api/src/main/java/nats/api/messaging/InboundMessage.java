package nats.api.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A message handed to a {@link DirectHandler} as slices of the kernel's buffers: nothing is copied before the
 * handler runs. The view is valid only during the call; a handler copies what it keeps ({@link #copyData()},
 * {@link #subject()}...). Headers, when present, come first in the data slice, followed by the payload.
 */
public interface InboundMessage {

    /** The array holding the subject bytes (ASCII/UTF-8), from {@link #subjectOffset()}. */
    byte[] subjectArray();

    int subjectOffset();

    int subjectLength();

    /** The array holding the reply subject bytes; {@link #replyLength()} is 0 when there is no reply. */
    byte[] replyArray();

    int replyOffset();

    int replyLength();

    /** The array holding the header block followed by the payload. */
    byte[] dataArray();

    int dataOffset();

    /** Header block plus payload. */
    int dataLength();

    /** Size of the {@code NATS/1.0} header block at the start of the data, 0 when there are no headers. */
    int headerLength();

    /** The account the message was published in (after imports, the account it was delivered in). */
    String account();

    /** Where the message came from, for rules that depend on it (JetStream, links, auditing). */
    MessageOrigin origin();

    /** The publishing client, when a client published it (absent for the server's own messages). */
    Optional<ClientInfo> client();

    /**
     * The message's trace when it is being traced, else null (the common case, so checking costs one null test).
     * A handler that forwards or stores the message reports through it.
     *
     * @since API 2.2
     */
    default MessageTrace trace() {
        return null;
    }

    default boolean hasReply() {
        return replyLength() > 0;
    }

    default boolean hasHeaders() {
        return headerLength() > 0;
    }

    default int payloadLength() {
        return dataLength() - headerLength();
    }

    default String subject() {
        return new String(subjectArray(), subjectOffset(), subjectLength(), StandardCharsets.UTF_8);
    }

    default String reply() {
        return replyLength() == 0 ? "" : new String(replyArray(), replyOffset(), replyLength(), StandardCharsets.UTF_8);
    }

    /** A copy of the header block (empty without headers). */
    default byte[] copyHeaders() {
        return Arrays.copyOfRange(dataArray(), dataOffset(), dataOffset() + headerLength());
    }

    /** A copy of the payload. */
    default byte[] copyPayload() {
        return Arrays.copyOfRange(dataArray(), dataOffset() + headerLength(), dataOffset() + dataLength());
    }

    /** A copy of headers and payload together. */
    default byte[] copyData() {
        return Arrays.copyOfRange(dataArray(), dataOffset(), dataOffset() + dataLength());
    }

    /** A self-contained copy as a {@link Message}. */
    default Message toMessage() {
        return new Message(subject(), reply(), copyHeaders(), copyPayload());
    }
}
