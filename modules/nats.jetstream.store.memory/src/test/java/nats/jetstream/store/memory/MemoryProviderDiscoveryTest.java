package nats.jetstream.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nats.jetstream.store.StoreProvider;
import nats.jetstream.store.StoreProviders;
import org.junit.jupiter.api.Test;

/** JetStream finds the memory backend with ServiceLoader. */
class MemoryProviderDiscoveryTest {

    @Test
    void memoryProviderIsFoundByStorageType() {
        StoreProvider provider = StoreProviders.find("memory").orElseThrow(
                () -> new AssertionError("expected a 'memory' StoreProvider from ServiceLoader"));
        assertTrue(provider instanceof MemoryStoreProvider, "expected the memory backend's provider");
        assertEquals(StoreProvider.MEMORY, provider.storageType(), "expected storage type 'memory'");
    }
}
