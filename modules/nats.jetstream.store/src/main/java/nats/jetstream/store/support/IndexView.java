package nats.jetstream.store.support;

/** What a storage backend may ask of the engine's index: whether messages remain in a sequence range. */
public interface IndexView {

    /** Messages present with a sequence in {@code [from, to]}. */
    long countBetween(long from, long to);
}
