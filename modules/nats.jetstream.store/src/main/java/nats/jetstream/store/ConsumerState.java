package nats.jetstream.store;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A consumer's stored state (Go's {@code ConsumerState}): immutable; both maps iterate in stream sequence
 * order.
 *
 * @param delivered the last message delivered
 * @param ackFloor the highest message below which everything is acknowledged
 * @param pending stream sequence to delivery, for messages delivered and not yet acknowledged
 * @param redelivered stream sequence to how many times it was redelivered (deliveries minus one)
 */
public record ConsumerState(SequencePair delivered, SequencePair ackFloor, Map<Long, PendingDelivery> pending,
        Map<Long, Long> redelivered) {

    /** Nothing delivered. */
    public static final ConsumerState EMPTY =
            new ConsumerState(SequencePair.ZERO, SequencePair.ZERO, Map.of(), Map.of());

    public ConsumerState {
        Objects.requireNonNull(delivered, "delivered");
        Objects.requireNonNull(ackFloor, "ackFloor");
        pending = Collections.unmodifiableSortedMap(new TreeMap<>(pending));
        redelivered = Collections.unmodifiableSortedMap(new TreeMap<>(redelivered));
    }
}
