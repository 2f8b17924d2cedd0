package nats.jetstream.internal.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import nats.api.accounts.PluginAccount;
import nats.api.messaging.InternalConnection;
import nats.jetstream.internal.config.AccountLimits;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.internal.model.Policies.Storage;
import nats.jetstream.internal.model.StreamSettings;
import nats.jetstream.store.StoreException;
import nats.transport.json.GoJson;
import nats.transport.json.Json;

/**
 * One JetStream-enabled account: its streams, its limits and usage, and the in-process connection its streams
 * and consumers subscribe and publish with. Stream creation, update and deletion are serialized by one lock.
 */
public final class JsAccount {

    private final JetStream js;
    private final PluginAccount account;
    private final Path directory;
    private final InternalConnection connection;
    private final Advisories advisories;
    private final ConcurrentSkipListMap<String, Stream> streams = new ConcurrentSkipListMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong memoryUsed = new AtomicLong();
    private final AtomicLong storeUsed = new AtomicLong();
    private final AtomicLong apiTotal = new AtomicLong();
    private final AtomicLong apiErrors = new AtomicLong();
    private volatile AccountLimits limits;
    private volatile boolean closed;

    JsAccount(JetStream js, PluginAccount account, AccountLimits limits, Path directory) {
        this.js = js;
        this.account = account;
        this.limits = limits;
        this.directory = directory;
        this.connection = account.connect("jetstream");
        this.advisories = new Advisories(this);
    }

    public JetStream js() {
        return js;
    }

    public String name() {
        return account.name();
    }

    public PluginAccount pluginAccount() {
        return account;
    }

    public InternalConnection connection() {
        return connection;
    }

    public Advisories advisories() {
        return advisories;
    }

    public AccountLimits limits() {
        return limits;
    }

    void updateLimits(AccountLimits newLimits) {
        this.limits = newLimits;
    }

    public Optional<Stream> stream(String name) {
        return Optional.ofNullable(streams.get(name));
    }

    /** Streams sorted by name. */
    public Collection<Stream> streams() {
        return streams.values();
    }

    public long memoryUsed() {
        return memoryUsed.get();
    }

    public long storeUsed() {
        return storeUsed.get();
    }

    void addUsage(Storage storage, long bytes) {
        (storage == Storage.MEMORY ? memoryUsed : storeUsed).addAndGet(bytes);
        js.addUsage(storage, bytes);
    }

    public long apiTotal() {
        return apiTotal.get();
    }

    public long apiErrors() {
        return apiErrors.get();
    }

    /** Counts an API request (and whether it failed) for {@code $JS.API.INFO} and {@code /jsz}. */
    public void countApi(boolean error) {
        apiTotal.incrementAndGet();
        if (error) {
            apiErrors.incrementAndGet();
        }
    }

    public int consumerCount() {
        int n = 0;
        for (Stream s : streams.values()) {
            n += s.consumerCount();
        }
        return n;
    }

    /** Whether the account's usage is over its limits for {@code storage} (Go's {@code jsa.limitsExceeded}). */
    boolean limitsExceeded(Storage storage) {
        AccountLimits l = limits;
        if (storage == Storage.MEMORY) {
            return l.maxMemory() >= 0 && memoryUsed.get() > l.maxMemory();
        }
        return l.maxStore() >= 0 && storeUsed.get() > l.maxStore();
    }

    /** The result of a create request: the stream, and whether this request created it. */
    public record Created(Stream stream, boolean created) {
    }

    /** Creates a stream, or returns the existing one when its configuration is the same (Go's addStream). */
    public Created createStream(StreamSettings requested) {
        StreamSettings cfg = new StreamConfigCheck(this).check(requested);
        lock.lock();
        try {
            Stream existing = streams.get(cfg.name);
            if (existing != null) {
                if (GoJson.compact(existing.config().toJson()).equals(GoJson.compact(cfg.toJson()))) {
                    return new Created(existing, false);
                }
                throw new ApiException(JsErrors.STREAM_NAME_EXIST);
            }
            checkLimits(cfg, 0);
            checkSubjectOverlap(cfg, null);
            Stream stream = Stream.create(this, cfg, streamDirectory(cfg.name), Instant.now());
            streams.put(cfg.name, stream);
            stream.start();
            return new Created(stream, true);
        } finally {
            lock.unlock();
        }
    }

    /** Creates a stream from a snapshot ({@code STREAM.RESTORE}), with the consumers it holds. */
    public Stream restoreStream(StreamSettings requested, java.io.InputStream snapshot) {
        StreamSettings cfg = new StreamConfigCheck(this).check(requested);
        lock.lock();
        try {
            if (streams.containsKey(cfg.name)) {
                throw new ApiException(JsErrors.STREAM_NAME_EXIST_RESTORE_FAILED);
            }
            checkLimits(cfg, 0);
            Path dir = streamDirectory(cfg.name);
            var store = js.provider(cfg.storage).restore(cfg.storeConfig(), js.storeContext(dir, cfg.name), snapshot);
            Stream stream = Stream.adopt(this, cfg, store, Instant.now());
            streams.put(cfg.name, stream);
            stream.recoverConsumers(false);
            stream.start();
            return stream;
        } catch (StoreException e) {
            throw new ApiException(JsErrors.STREAM_RESTORE, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Applies an update request to a stream. */
    public Stream updateStream(StreamSettings requested) {
        lock.lock();
        try {
            Stream stream = streams.get(requested.name);
            if (stream == null) {
                throw new ApiException(JsErrors.STREAM_NOT_FOUND);
            }
            StreamSettings old = stream.config();
            StreamSettings cfg = new StreamConfigCheck(this).checkUpdate(old, requested);
            long extra = Math.max(0, cfg.maxBytes) - Math.max(0, old.maxBytes);
            checkLimits(cfg, Math.max(0, extra) == 0 ? -1 : extra);
            checkSubjectOverlap(cfg, stream);
            stream.update(cfg);
            return stream;
        } finally {
            lock.unlock();
        }
    }

    public void deleteStream(Stream stream) {
        lock.lock();
        try {
            if (streams.remove(stream.name(), stream)) {
                stream.delete();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens a replica of a clustered stream (a fresh store under {@code replicas/}: the group's log rebuilds it) and
     * starts it without subscribing to its subjects.
     */
    Stream addReplica(StreamSettings cfg, Instant created) {
        lock.lock();
        try {
            Stream existing = streams.get(cfg.name);
            if (existing != null) {
                return existing;
            }
            // Kept from the last run: the group's snapshot says what of it is still good (StreamReplica).
            Path dir = directory.resolve("replicas").resolve(cfg.name);
            Stream stream = Stream.create(this, cfg, dir, created, true);
            stream.markReplica();
            streams.put(cfg.name, stream);
            stream.start();
            return stream;
        } finally {
            lock.unlock();
        }
    }

    Path streamDirectory(String streamName) {
        return directory.resolve("streams").resolve(streamName);
    }

    private void checkSubjectOverlap(StreamSettings cfg, Stream self) {
        for (Stream other : streams.values()) {
            if (other == self) {
                continue;
            }
            for (String a : cfg.subjects) {
                for (String b : other.config().subjects) {
                    if (SubjectRules.collide(a, b)) {
                        throw new ApiException(JsErrors.STREAM_SUBJECT_OVERLAP);
                    }
                }
            }
        }
    }

    /**
     * Go's {@code checkLimits} and {@code checkBytesLimits}: the stream count, and the bytes a stream reserves
     * ({@code max_bytes}, at least one byte) against the account's and the server's budget.
     *
     * @param addBytes the bytes to reserve, or 0 to take them from the configuration (-1: none)
     */
    private void checkLimits(StreamSettings cfg, long addBytes) {
        AccountLimits l = limits;
        if (addBytes == 0 && l.maxStreams() > 0 && streams.size() >= l.maxStreams()) {
            throw new ApiException(JsErrors.MAXIMUM_STREAMS_LIMIT);
        }
        long add = addBytes != 0 ? Math.max(0, addBytes) : (cfg.maxBytes > 0 ? cfg.maxBytes : 1);
        long reserved = reserved(cfg.storage);
        if (cfg.storage == Storage.MEMORY) {
            if (l.maxMemory() >= 0 && reserved + add > l.maxMemory()) {
                throw new ApiException(JsErrors.MEMORY_RESOURCES_EXCEEDED);
            }
            if (js.memoryReserved() + add > js.maxMemory()) {
                throw new ApiException(JsErrors.MEMORY_RESOURCES_EXCEEDED);
            }
        } else {
            if (l.maxStore() >= 0 && reserved + add > l.maxStore()) {
                throw new ApiException(JsErrors.STORAGE_RESOURCES_EXCEEDED);
            }
            if (js.storeReserved() + add > js.maxStore()) {
                throw new ApiException(JsErrors.STORAGE_RESOURCES_EXCEEDED);
            }
        }
    }

    /** Bytes reserved by this account's streams of one storage type ({@code max_bytes} of each). */
    public long reserved(Storage storage) {
        long total = 0;
        for (Stream s : streams.values()) {
            StreamSettings c = s.config();
            if (c.storage == storage && c.maxBytes > 0) {
                total += c.maxBytes;
            }
        }
        return total;
    }

    /** Opens the streams stored for this account (file streams survive restarts; memory streams do not). */
    void recover() {
        Path dir = directory.resolve("streams");
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(found::add);
        } catch (IOException e) {
            js.log().log(System.Logger.Level.ERROR, "JetStream cannot list the streams of account {0}: {1}",
                    name(), e.toString());
            return;
        }
        found.sort(null);
        for (Path streamDir : found) {
            if (!Files.isDirectory(streamDir)) {
                continue;
            }
            try {
                recoverStream(streamDir);
            } catch (RuntimeException e) {
                js.log().log(System.Logger.Level.ERROR, "JetStream could not recover stream ''{0} > {1}'': {2}",
                        name(), streamDir.getFileName(), e.toString());
            }
        }
        // Mirrors and sources of recovered streams start once every stream is there.
        for (Stream s : streams.values()) {
            s.startSources();
        }
    }

    private void recoverStream(Path streamDir) {
        var provider = js.provider(Storage.FILE);
        Optional<byte[]> meta = provider.readMetadata(streamDir, js.storeContext(streamDir, "recovery"));
        if (meta.isEmpty()) {
            return;
        }
        Map<String, Object> json = Json.parseObject(new String(meta.get(), StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked")
        StreamSettings cfg = StreamSettings.parse((Map<String, Object>) json.get("config"));
        Instant created = json.get("created") instanceof String s ? Instant.parse(s) : Instant.now();
        Stream stream = Stream.create(this, cfg, streamDir, created);
        streams.put(cfg.name, stream);
        stream.recoverConsumers(true);
        stream.start();
        js.log().log(System.Logger.Level.INFO, "  Restored {0} messages for stream ''{1} > {2}''",
                stream.store().fastState().messages(), name(), cfg.name);
    }

    /** Stops every stream; stored data stays. */
    void close() {
        closed = true;
        for (Stream s : streams.values()) {
            try {
                s.close();
            } catch (StoreException | IllegalStateException e) {
                js.log().log(System.Logger.Level.WARNING, "closing stream {0}: {1}", s.name(), e.toString());
            }
        }
        streams.clear();
        connection.close();
    }

    public boolean isClosed() {
        return closed;
    }
}
