/**
 * In-memory JetStream storage: the {@code "memory"} {@link nats.jetstream.store.StoreProvider}. Streams live
 * in the heap with the file store's semantics (limits, TTLs, consumers, snapshots) and vanish on restart.
 */
module nats.jetstream.store.memory {
    requires nats.jetstream.store;

    provides nats.jetstream.store.StoreProvider with nats.jetstream.store.memory.MemoryStoreProvider;
}
