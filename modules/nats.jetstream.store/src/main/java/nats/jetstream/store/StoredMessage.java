package nats.jetstream.store;

import java.util.Objects;

/**
 * A message as stored. The arrays belong to the store (a memory store hands out the ones it keeps): a
 * caller must treat them as read-only.
 *
 * @param subject the subject it was published to
 * @param headers the NATS header block ({@code NATS/1.0...}), empty when it had none
 * @param payload the message body
 * @param sequence its stream sequence
 * @param timestamp when it was stored, in nanoseconds since the epoch
 */
public record StoredMessage(String subject, byte[] headers, byte[] payload, long sequence, long timestamp) {

    private static final byte[] NONE = new byte[0];

    public StoredMessage {
        Objects.requireNonNull(subject, "subject");
        headers = headers == null ? NONE : headers;
        payload = payload == null ? NONE : payload;
    }

    /** A short description, without the payload. */
    @Override
    public String toString() {
        return "StoredMessage[seq=" + sequence + ", subject=" + subject + ", headers=" + headers.length
                + " B, payload=" + payload.length + " B, ts=" + timestamp + "]";
    }
}
