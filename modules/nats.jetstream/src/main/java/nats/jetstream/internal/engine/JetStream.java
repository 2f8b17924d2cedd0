package nats.jetstream.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import nats.api.ServerContext;
import nats.api.accounts.PluginAccount;
import nats.jetstream.internal.config.AccountLimits;
import nats.jetstream.internal.config.JetStreamOptions;
import nats.jetstream.internal.model.Policies.Storage;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StoreProvider;
import nats.jetstream.store.StoreProviders;

/**
 * JetStream on this server: the options in force, the storage backends, the JetStream-enabled accounts and
 * the shared timer thread. Accounts are enabled and disabled as the kernel reports them.
 */
public final class JetStream implements AutoCloseable {

    private final ServerContext context;
    private final JetStreamOptions options;
    private final Map<String, JsAccount> accounts = new ConcurrentHashMap<>();
    private final StoreProvider fileProvider;
    private final StoreProvider memoryProvider;
    private final ScheduledExecutorService timers;
    private final Instant started = Instant.now();
    private final long maxMemory;
    private final long maxStore;
    private final AtomicLong memoryReserved = new AtomicLong();
    private final AtomicLong storeReserved = new AtomicLong();
    /** Bytes stored in every account, kept up to date by the streams, for the per-message limit check. */
    private final AtomicLong memoryTotal = new AtomicLong();
    private final AtomicLong storeTotal = new AtomicLong();
    private final System.Logger log;
    private volatile boolean shuttingDown;
    /** How a single server's stream follows origins in another domain or account (none: not at all). */
    private volatile java.util.function.Function<Stream, RemoteSources> remoteSources;

    public JetStream(ServerContext context, JetStreamOptions options, ModuleLayer layer) {
        this.context = context;
        this.options = options;
        this.log = context.logger();
        this.fileProvider = find(layer, StoreProvider.FILE);
        this.memoryProvider = find(layer, StoreProvider.MEMORY);
        this.timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("jetstream-timers").factory());
        this.maxMemory = options.maxMemory() >= 0 ? options.maxMemory() : SystemResources.defaultMaxMemory();
        this.maxStore = options.maxStore() >= 0 ? options.maxStore()
                : SystemResources.defaultMaxStore(options.storeRoot());
    }

    private static StoreProvider find(ModuleLayer layer, String type) {
        Optional<StoreProvider> p = layer != null ? StoreProviders.find(layer, type) : StoreProviders.find(type);
        return p.or(() -> StoreProviders.find(type)).orElseThrow(() -> new IllegalStateException(
                "no JetStream " + type + " store backend (module nats.jetstream.store." + type + ") is installed"));
    }

    /** Sets how streams with an origin in another domain or account follow it (the cluster package's feeds). */
    public void followRemoteOrigins(java.util.function.Function<Stream, RemoteSources> factory) {
        remoteSources = factory;
    }

    java.util.function.Function<Stream, RemoteSources> remoteSources() {
        return remoteSources;
    }

    public ServerContext context() {
        return context;
    }

    public JetStreamOptions options() {
        return options;
    }

    public System.Logger log() {
        return log;
    }

    public ScheduledExecutorService timers() {
        return timers;
    }

    public Instant started() {
        return started;
    }

    /** The effective {@code max_memory_store}. */
    public long maxMemory() {
        return maxMemory;
    }

    /** The effective {@code max_file_store}. */
    public long maxStore() {
        return maxStore;
    }

    public StoreProvider provider(Storage storage) {
        return storage == Storage.MEMORY ? memoryProvider : fileProvider;
    }

    /**
     * How often a clustered stream's replica syncs its store. Its messages are durable in the group's log (synced
     * on a quorum before any ack), its store is rebuilt from the log after the last snapshot at start, and a
     * snapshot syncs the store before the log is compacted: a sync per write would only repeat the log's.
     */
    static final java.time.Duration REPLICA_SYNC = java.time.Duration.ofMinutes(2);

    /** The context a stream's store opens with. */
    StoreContext storeContext(Path directory, String streamName) {
        return storeContext(directory, streamName, options.durability());
    }

    /** The context a clustered stream's replica opens its store with (see {@link #REPLICA_SYNC}). */
    StoreContext replicaStoreContext(Path directory, String streamName) {
        nats.jetstream.store.Durability d = options.durability();
        boolean sooner = !d.isAlways() && d.syncInterval().compareTo(REPLICA_SYNC) < 0;
        return storeContext(directory, streamName, sooner ? d : nats.jetstream.store.Durability.interval(REPLICA_SYNC));
    }

    private StoreContext storeContext(Path directory, String streamName, nats.jetstream.store.Durability durability) {
        StoreContext.Builder b = StoreContext.builder().directory(directory).durability(durability)
                .logger(System.getLogger("nats.jetstream.store." + streamName))
                .threads(Thread.ofPlatform().daemon().name("jetstream-store-" + streamName + "-", 0).factory());
        options.encryption().ifPresent(b::encryption);
        return b.build();
    }

    /** Makes JetStream available in {@code account}, recovering its stored streams. */
    public JsAccount enable(PluginAccount account, AccountLimits limits) {
        JsAccount existing = accounts.get(account.name());
        if (existing != null) {
            existing.updateLimits(limits);
            return existing;
        }
        JsAccount jsa = new JsAccount(this, account, limits, options.storeRoot().resolve(account.name()));
        accounts.put(account.name(), jsa);
        jsa.recover();
        return jsa;
    }

    /** Withdraws JetStream from an account: its streams stop (their stored data stays). */
    public void disable(String accountName) {
        JsAccount jsa = accounts.remove(accountName);
        if (jsa != null) {
            jsa.close();
        }
    }

    public Optional<JsAccount> account(String name) {
        return Optional.ofNullable(accounts.get(name));
    }

    public Collection<JsAccount> accounts() {
        return accounts.values();
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Bytes reserved by streams with {@code max_bytes} (Go's reservations), by storage type. */
    AtomicLong reserved(Storage storage) {
        return storage == Storage.MEMORY ? memoryReserved : storeReserved;
    }

    public long memoryReserved() {
        return memoryReserved.get();
    }

    public long storeReserved() {
        return storeReserved.get();
    }

    /** Memory used by every account's memory streams. */
    public long memoryUsed() {
        return memoryTotal.get();
    }

    /** Disk used by every account's file streams. */
    public long storeUsed() {
        return storeTotal.get();
    }

    void addUsage(Storage storage, long bytes) {
        (storage == Storage.MEMORY ? memoryTotal : storeTotal).addAndGet(bytes);
    }

    /** Whether the server as a whole is over its memory or disk budget for {@code storage} (Go's js.limitsExceeded). */
    boolean limitsExceeded(Storage storage) {
        return storage == Storage.MEMORY ? maxMemory > 0 && memoryUsed() > maxMemory
                : maxStore > 0 && storeUsed() > maxStore;
    }

    /** Creates the store directory, so a mistake in it shows at start-up. */
    public void prepareStore() throws IOException {
        Files.createDirectories(options.storeRoot());
    }

    @Override
    public void close() {
        shuttingDown = true;
        for (JsAccount jsa : accounts.values()) {
            jsa.close();
        }
        accounts.clear();
        timers.shutdownNow();
    }
}
