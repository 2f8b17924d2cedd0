/**
 * The JetStream storage SPI: stream and consumer stores and the providers that open them, found with
 * {@code ServiceLoader}. Depends on {@code java.base} only; backends are separate modules.
 */
module nats.jetstream.store {
    exports nats.jetstream.store;

    uses nats.jetstream.store.StoreProvider;
}
