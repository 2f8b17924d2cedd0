package nats.jetstream.store;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds {@link StoreProvider}s with {@link ServiceLoader}. */
public final class StoreProviders {

    private StoreProviders() {
    }

    /** Every provider visible from this module's layer (the boot layer for the image). */
    public static List<StoreProvider> all() {
        // With nothing on the class path (the image), the layer's providers are all there are; the class-loader
        // lookup would also open every module's META-INF/services copy through jrt: to look for class-path ones.
        ModuleLayer layer = StoreProviders.class.getModule().getLayer();
        if (layer != null && System.getProperty("java.class.path", "").isEmpty()) {
            return all(layer);
        }
        return ServiceLoader.load(StoreProvider.class, StoreProviders.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }

    /** Every provider in {@code layer} and its parents (for plugins loaded in a child layer). */
    public static List<StoreProvider> all(ModuleLayer layer) {
        return ServiceLoader.load(layer, StoreProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** The provider of {@code storageType} ({@code "memory"} or {@code "file"}). */
    public static Optional<StoreProvider> find(String storageType) {
        return all().stream().filter(provider -> provider.storageType().equals(storageType)).findFirst();
    }

    /** The provider of {@code storageType} in {@code layer}. */
    public static Optional<StoreProvider> find(ModuleLayer layer, String storageType) {
        return all(layer).stream().filter(provider -> provider.storageType().equals(storageType)).findFirst();
    }
}
