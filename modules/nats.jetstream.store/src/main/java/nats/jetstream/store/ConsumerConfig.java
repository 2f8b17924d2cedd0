package nats.jetstream.store;

import java.util.Objects;

/**
 * The part of a consumer's configuration its stored state depends on. JetStream keeps the full
 * configuration (and may persist it with {@link ConsumerStore#writeMetadata(byte[])}).
 *
 * @param ackPolicy {@code ack_policy}
 * @param maxDeliver {@code max_deliver}; zero or less for unlimited
 */
public record ConsumerConfig(AckPolicy ackPolicy, long maxDeliver) {

    public ConsumerConfig {
        Objects.requireNonNull(ackPolicy, "ackPolicy");
    }
}
