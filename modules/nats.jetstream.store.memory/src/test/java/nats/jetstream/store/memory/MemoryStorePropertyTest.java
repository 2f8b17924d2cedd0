package nats.jetstream.store.memory;

import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.contract.StreamStorePropertyContract;

/** Random operations against the memory backend and a model. */
class MemoryStorePropertyTest extends StreamStorePropertyContract {

    @Override
    protected StreamStore create(StreamConfig config) {
        return new MemoryStoreProvider().open(config, StoreContext.builder().build());
    }

    @Override
    protected StreamStore reopen(StreamStore store, StreamConfig config) {
        return store;
    }
}
