/** The {@code "memory"} JetStream storage backend: {@link nats.jetstream.store.memory.MemoryStoreProvider}. */
package nats.jetstream.store.memory;
