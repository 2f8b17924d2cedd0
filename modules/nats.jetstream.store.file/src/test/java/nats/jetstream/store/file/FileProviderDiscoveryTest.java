package nats.jetstream.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nats.jetstream.store.StoreProvider;
import nats.jetstream.store.StoreProviders;
import org.junit.jupiter.api.Test;

/** JetStream finds the file backend with ServiceLoader. */
class FileProviderDiscoveryTest {

    @Test
    void fileProviderIsFoundByStorageType() {
        StoreProvider provider = StoreProviders.find("file").orElseThrow(
                () -> new AssertionError("expected a 'file' StoreProvider from ServiceLoader"));
        assertTrue(provider instanceof FileStoreProvider, "expected the file backend's provider");
        assertEquals(StoreProvider.FILE, provider.storageType(), "expected storage type 'file'");
    }
}
