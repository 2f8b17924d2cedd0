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
