package nats.jetstream.store.memory;

import java.io.InputStream;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.contract.StreamStoreContract;

/** The store contract against the memory backend. */
class MemoryStoreContractTest extends StreamStoreContract {

    private final MemoryStoreProvider provider = new MemoryStoreProvider();

    @Override
    protected StreamStore create(StreamConfig config) {
        return provider.open(config, StoreContext.builder().build());
    }

    @Override
    protected StreamStore restore(StreamConfig config, InputStream snapshot) {
        return provider.restore(config, StoreContext.builder().build(), snapshot);
    }

    @Override
    protected long messageSize(String subject, int headers, int payload) {
        return subject.length() + headers + payload + 16;
    }
}
