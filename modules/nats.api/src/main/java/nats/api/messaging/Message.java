package nats.api.messaging;

import java.util.Arrays;

/**
 * A NATS message as seen by in-process clients.
 *
 * @param subject the subject it was published to
 * @param replyTo the reply subject, or the empty string when there is none
 * @param headers the raw {@code NATS/1.0} header block including its final blank line, or empty
 * @param payload the message body
 */
public record Message(String subject, String replyTo, byte[] headers, byte[] payload) {

    /** An empty header block. */
    public static final byte[] NO_HEADERS = new byte[0];

    public Message {
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException("a message needs a subject");
        }
        if (replyTo == null || headers == null || payload == null) {
            throw new IllegalArgumentException("replyTo, headers and payload must not be null; use empty values");
        }
    }

    /** Whether the publisher asked for a reply. */
    public boolean hasReplyTo() {
        return !replyTo.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Message m && subject.equals(m.subject) && replyTo.equals(m.replyTo)
                && Arrays.equals(headers, m.headers) && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return (subject.hashCode() * 31 + replyTo.hashCode()) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Message[subject=" + subject + ", replyTo=" + replyTo + ", headers=" + headers.length
                + " bytes, payload=" + payload.length + " bytes]";
    }
}
