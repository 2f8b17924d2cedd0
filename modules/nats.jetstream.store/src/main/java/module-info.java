/**
 * The JetStream storage SPI: stream and consumer stores and the providers that open them, found with
 * {@code ServiceLoader}. Depends on {@code java.base} only; backends are separate modules.
 */
module nats.jetstream.store {
    exports nats.jetstream.store;
    // The logic both backends share (indexes, limits, expiry, consumer state, snapshots), for them alone.
    exports nats.jetstream.store.support to nats.jetstream.store.memory, nats.jetstream.store.file;

    uses nats.jetstream.store.StoreProvider;
}
