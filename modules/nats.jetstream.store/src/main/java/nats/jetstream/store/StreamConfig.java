package nats.jetstream.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The part of a stream's configuration a store acts on: its limits, discard policy, per-message TTL and
 * compression. JetStream keeps the full configuration (and may persist it with
 * {@link StreamStore#writeMetadata(byte[])}); the store only needs this.
 *
 * <p>Limits of zero or less mean "unlimited", as {@code -1} does in the Go server's JSON.
 *
 * @param name the stream's name (used in logs and file headers)
 * @param subjects the stream's subjects (informational for the store)
 * @param maxMessages {@code max_msgs}
 * @param maxBytes {@code max_bytes}
 * @param maxAge {@code max_age}; {@link Duration#ZERO} for none
 * @param maxMessagesPerSubject {@code max_msgs_per_subject}
 * @param maxMessageSize {@code max_msg_size}: largest subject + headers + payload accepted
 * @param discard {@code discard}
 * @param discardNewPerSubject {@code discard_new_per_subject}: with discard new, refuse a message over the
 *     per-subject limit instead of dropping that subject's oldest
 * @param allowMessageTtl {@code allow_msg_ttl}: per-message TTLs given to {@code append} are enforced
 * @param compression {@code compression}
 * @param firstSequence {@code first_seq}: the sequence of the first message of a new stream (1 if 0)
 */
public record StreamConfig(String name, List<String> subjects, long maxMessages, long maxBytes, Duration maxAge,
        long maxMessagesPerSubject, long maxMessageSize, DiscardPolicy discard, boolean discardNewPerSubject,
        boolean allowMessageTtl, Compression compression, long firstSequence) {

    public StreamConfig {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("stream name is empty");
        }
        subjects = List.copyOf(subjects);
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("max age is negative: " + maxAge);
        }
        Objects.requireNonNull(discard, "discard");
        Objects.requireNonNull(compression, "compression");
        if (firstSequence < 0) {
            throw new IllegalArgumentException("first sequence is negative: " + firstSequence);
        }
    }

    /** A configuration with no limits, discard old, no TTL and no compression. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder(name).subjects(subjects).maxMessages(maxMessages).maxBytes(maxBytes).maxAge(maxAge)
                .maxMessagesPerSubject(maxMessagesPerSubject).maxMessageSize(maxMessageSize).discard(discard)
                .discardNewPerSubject(discardNewPerSubject).allowMessageTtl(allowMessageTtl)
                .compression(compression).firstSequence(firstSequence);
    }

    /** Builds a {@link StreamConfig}; every setting starts unlimited or off. */
    public static final class Builder {
        private final String name;
        private List<String> subjects = List.of();
        private long maxMessages = -1;
        private long maxBytes = -1;
        private Duration maxAge = Duration.ZERO;
        private long maxMessagesPerSubject = -1;
        private long maxMessageSize = -1;
        private DiscardPolicy discard = DiscardPolicy.OLD;
        private boolean discardNewPerSubject;
        private boolean allowMessageTtl;
        private Compression compression = Compression.NONE;
        private long firstSequence;

        private Builder(String name) {
            this.name = name;
        }

        public Builder subjects(List<String> value) {
            this.subjects = value;
            return this;
        }

        public Builder subjects(String... value) {
            this.subjects = List.of(value);
            return this;
        }

        public Builder maxMessages(long value) {
            this.maxMessages = value;
            return this;
        }

        public Builder maxBytes(long value) {
            this.maxBytes = value;
            return this;
        }

        public Builder maxAge(Duration value) {
            this.maxAge = value;
            return this;
        }

        public Builder maxMessagesPerSubject(long value) {
            this.maxMessagesPerSubject = value;
            return this;
        }

        public Builder maxMessageSize(long value) {
            this.maxMessageSize = value;
            return this;
        }

        public Builder discard(DiscardPolicy value) {
            this.discard = value;
            return this;
        }

        public Builder discardNewPerSubject(boolean value) {
            this.discardNewPerSubject = value;
            return this;
        }

        public Builder allowMessageTtl(boolean value) {
            this.allowMessageTtl = value;
            return this;
        }

        public Builder compression(Compression value) {
            this.compression = value;
            return this;
        }

        public Builder firstSequence(long value) {
            this.firstSequence = value;
            return this;
        }

        public StreamConfig build() {
            return new StreamConfig(name, subjects, maxMessages, maxBytes, maxAge, maxMessagesPerSubject,
                    maxMessageSize, discard, discardNewPerSubject, allowMessageTtl, compression, firstSequence);
        }
    }
}
