package nats.jetstream.store;

import java.util.Objects;

/**
 * A store operation that failed. Its {@link #kind()} tells JetStream which API error to answer with; the
 * message of the limit kinds is exactly the Go server's text.
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, with the Go server's error text where it has one. */
    public enum Kind {
        /** The store was closed or deleted. */
        CLOSED("store is closed"),
        /** No message under that sequence (or subject). */
        NOT_FOUND("no message found"),
        /** The sequence is beyond the last one. */
        EOF("stream store EOF"),
        /** Discard new: {@code max_msgs} reached. */
        MAX_MSGS("maximum messages exceeded"),
        /** Discard new: {@code max_bytes} reached. */
        MAX_BYTES("maximum bytes exceeded"),
        /** Discard new per subject: {@code max_msgs_per_subject} reached. */
        MAX_MSGS_PER_SUBJECT("maximum messages per subject exceeded"),
        /** The message is larger than {@code max_msg_size} (or than the store can hold). */
        MSG_TOO_LARGE("message size exceeds maximum allowed"),
        /** A raw store or skip was given a sequence other than the next one. */
        SEQUENCE_MISMATCH("expected sequence does not match store"),
        /** Acks were recorded for a consumer with ack policy none. */
        NO_ACK_POLICY("ack policy is none"),
        /** A consumer state update older than the stored state. */
        OLD_UPDATE("old update ignored"),
        /** A request matched more results than allowed. */
        TOO_MANY_RESULTS("too many matching results for request"),
        /** A value given to the store is not acceptable (consumer state, configuration, snapshot). */
        BAD_REQUEST("bad request"),
        /** Stored data cannot be decrypted with the configured key. */
        WRONG_KEY("encryption key mismatch"),
        /** Stored data is damaged beyond what the store can skip (a snapshot, a metadata file). */
        CORRUPT("stream state snapshot is corrupt"),
        /** Writing to storage failed; the store refuses writes from then on. */
        IO("storage write error");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        /** The error text (Go's, where the Go server has one). */
        public String text() {
            return text;
        }
    }

    private final Kind kind;

    /** A failure whose message is the kind's text. */
    public StoreException(Kind kind) {
        super(Objects.requireNonNull(kind, "kind").text());
        this.kind = kind;
    }

    /** A failure with its own message (for kinds whose Go text would say too little). */
    public StoreException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** A failure caused by {@code cause} (usually an {@link java.io.IOException}). */
    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }
}
