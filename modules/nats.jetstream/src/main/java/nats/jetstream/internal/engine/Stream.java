package nats.jetstream.internal.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

import nats.api.messaging.Subscription;
import nats.jetstream.internal.model.ApiError;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.ConsumerSettings;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.internal.model.Policies.Retention;
import nats.jetstream.internal.model.StreamSettings;
import nats.jetstream.store.RemovalReason;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreListener;
import nats.jetstream.store.StreamState;
import nats.jetstream.store.StreamStore;
import nats.transport.json.GoJson;

/**
 * One stream: its configuration, its store, the subscriptions that feed it, its writer ({@link StreamIngest})
 * and its consumers. Writes to the store happen under {@link #writeLock()}: the writer holds it per batch, API
 * operations (purge, delete) take it in between.
 */
public final class Stream implements StoreListener {

    private final JsAccount account;
    private final String name;
    private final StreamStore store;
    private final Instant created;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final StreamIngest ingest;
    private final ConcurrentSkipListMap<String, Consumer> consumers = new ConcurrentSkipListMap<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private volatile StreamSettings config;
    private volatile byte[] pubAckPrefix;
    private volatile SubjectTransform republishTransform;
    private volatile SubjectTransform inputTransform;
    private volatile StreamSources sources;
    /** The mirror or sources when one of them is in another domain or account (then {@link #sources} is null). */
    private volatile RemoteSources remoteSources;
    /** A clustered stream's origins as its group's leader follows them (empty elsewhere). */
    private volatile java.util.function.Supplier<List<? extends SourceStatus>> replicatedSources = List::of;
    private volatile boolean closed;
    /** A replica of a clustered stream: its group's leader feeds it, so it subscribes to no subjects itself. */
    private volatile boolean replica;
    /** A clustered replica's group (null on a single server): see {@link ReplicaHooks}. */
    private volatile ReplicaHooks replicaHooks;

    private Stream(JsAccount account, StreamSettings config, StreamStore store, Instant created) {
        this.account = account;
        this.name = config.name;
        this.config = config;
        this.store = store;
        this.created = created;
        applyDerived(config);
        this.ingest = new StreamIngest(this);
    }

    /** Opens (or creates) the stream's store and persists its configuration. */
    static Stream create(JsAccount account, StreamSettings cfg, Path directory, Instant created) {
        return create(account, cfg, directory, created, false);
    }

    /** As {@link #create(JsAccount, StreamSettings, Path, Instant)}; a clustered replica's store syncs less often. */
    static Stream create(JsAccount account, StreamSettings cfg, Path directory, Instant created, boolean replica) {
        JetStream js = account.js();
        StreamStore store;
        try {
            store = js.provider(cfg.storage).open(cfg.storeConfig(), replica
                    ? js.replicaStoreContext(directory, cfg.name) : js.storeContext(directory, cfg.name));
        } catch (StoreException e) {
            throw new ApiException(JsErrors.STREAM_CREATE, e.getMessage());
        }
        Stream stream = new Stream(account, cfg, store, created);
        stream.writeMetadata();
        return stream;
    }

    /** Wraps a store made elsewhere (a restore) and persists the configuration. */
    static Stream adopt(JsAccount account, StreamSettings cfg, StreamStore store, Instant created) {
        Stream stream = new Stream(account, cfg, store, created);
        stream.writeMetadata();
        return stream;
    }

    private void applyDerived(StreamSettings cfg) {
        String domain = account.js().options().domain();
        String prefix = domain.isEmpty() ? "{\"stream\":" + quote(cfg.name) + ", \"seq\":"
                : "{\"stream\":" + quote(cfg.name) + ", \"domain\":" + quote(domain) + ", \"seq\":";
        pubAckPrefix = prefix.getBytes(StandardCharsets.UTF_8);
        republishTransform = cfg.republish.map(r -> SubjectTransform.of(r.source(), r.destination())).orElse(null);
        inputTransform = cfg.subjectTransform.map(t -> SubjectTransform.of(t.source(), t.destination())).orElse(null);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder();
        nats.transport.json.JsonWriter.quote(b, s);
        return b.toString();
    }

    void writeMetadata() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("config", config.toJson());
        meta.put("created", created);
        store.writeMetadata(GoJson.compact(meta).getBytes(StandardCharsets.UTF_8));
    }

    /** Subscribes to the stream's subjects and starts its writer, consumers and sources. */
    void start() {
        account.addUsage(config.storage, store.fastState().bytes());
        store.addListener(this);
        store.setDurabilityListener(ingest::durableThrough);
        ingest.start();
        subscribe();
        for (Consumer c : consumers.values()) {
            c.start();
        }
        if (!account.js().isShuttingDown()) {
            startSources();
        }
    }

    /** A replica that lacks messages it should hold (catching up) answers no direct gets meanwhile. */
    private volatile boolean directPaused;

    /** Stops (or resumes) a replica's direct-get service, while it catches up. */
    void pauseDirect(boolean pause) {
        synchronized (subscriptions) {
            if (pause == directPaused) {
                return;
            }
            directPaused = pause;
            if (pause) {
                unsubscribe();
            } else {
                subscribe();
            }
        }
    }

    private void subscribe() {
        StreamSettings cfg = config;
        if (directPaused) {
            return;
        }
        var conn = account.connection();
        synchronized (subscriptions) {
            for (String subject : replica ? List.<String>of() : cfg.subjects) {
                subscriptions.add(conn.subscribeDirect(subject, null, ingest));
            }
            if (cfg.allowDirect) {
                DirectGet direct = new DirectGet(this);
                subscriptions.add(conn.subscribeDirect("$JS.API.DIRECT.GET." + name, "_sys_", direct));
                subscriptions.add(conn.subscribeDirect("$JS.API.DIRECT.GET." + name + ".>", "_sys_", direct));
            }
            if (cfg.mirrorDirect && cfg.mirror.isPresent()) {
                DirectGet direct = new DirectGet(this);
                String origin = cfg.mirror.get().name();
                subscriptions.add(conn.subscribeDirect("$JS.API.DIRECT.GET." + origin, "_sys_", direct));
                subscriptions.add(conn.subscribeDirect("$JS.API.DIRECT.GET." + origin + ".>", "_sys_", direct));
            }
        }
    }

    private void unsubscribe() {
        synchronized (subscriptions) {
            for (Subscription s : subscriptions) {
                s.unsubscribe();
            }
            subscriptions.clear();
        }
    }

    void markReplica() {
        replica = true;
    }

    public boolean isReplica() {
        return replica;
    }

    void startSources() {
        StreamSettings cfg = config;
        if (replica) {
            return;
        }
        if ((cfg.mirror.isPresent() || !cfg.sources.isEmpty()) && sources == null && remoteSources == null
                && !closed) {
            var remote = account.js().remoteSources();
            if (remote != null && hasExternalOrigin(cfg)) {
                remoteSources = remote.apply(this);
                return;
            }
            sources = new StreamSources(this);
            sources.start();
        }
    }

    private static boolean hasExternalOrigin(StreamSettings cfg) {
        return cfg.mirror.map(m -> m.isExternal()).orElse(false) || cfg.sources.stream().anyMatch(s -> s.isExternal());
    }

    public JsAccount account() {
        return account;
    }

    public String name() {
        return name;
    }

    public StreamSettings config() {
        return config;
    }

    public StreamStore store() {
        return store;
    }

    public Instant created() {
        return created;
    }

    ReentrantLock writeLock() {
        return writeLock;
    }

    StreamIngest ingest() {
        return ingest;
    }

    SubjectTransform republishTransform() {
        return republishTransform;
    }

    SubjectTransform inputTransform() {
        return inputTransform;
    }

    public Optional<StreamSources> sources() {
        return Optional.ofNullable(sources);
    }

    /** The origins this stream mirrors or sources from, as followed here (on one server, or as a group's leader). */
    public List<? extends SourceStatus> sourceStatuses() {
        StreamSources s = sources;
        if (s != null) {
            return s.tails();
        }
        RemoteSources r = remoteSources;
        return r != null ? r.statuses() : replicatedSources.get();
    }

    void replicatedSources(java.util.function.Supplier<List<? extends SourceStatus>> statuses) {
        replicatedSources = statuses;
    }

    public boolean isClosed() {
        return closed;
    }

    /** {@code {"stream":"X", "seq":N}} as Go writes it (note the space), with {@code "duplicate": true}. */
    byte[] pubAck(long sequence, boolean duplicate) {
        byte[] prefix = pubAckPrefix;
        String tail = duplicate ? sequence + ",\"duplicate\": true}" : sequence + "}";
        byte[] out = new byte[prefix.length + tail.length()];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        for (int i = 0; i < tail.length(); i++) {
            out[prefix.length + i] = (byte) tail.charAt(i);
        }
        return out;
    }

    /** An error publish ack: {@code {"error":{...},"stream":"X","seq":0}}. */
    byte[] pubAckError(ApiError error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error.toJson());
        m.put("stream", name);
        String domain = account.js().options().domain();
        if (!domain.isEmpty()) {
            m.put("domain", domain);
        }
        m.put("seq", 0);
        return GoJson.compact(m).getBytes(StandardCharsets.UTF_8);
    }

    // --- consumers ----------------------------------------------------------------------------------------

    public Optional<Consumer> consumer(String consumerName) {
        return Optional.ofNullable(consumers.get(consumerName));
    }

    public Collection<Consumer> consumers() {
        return consumers.values();
    }

    public int consumerCount() {
        return consumers.size();
    }

    void putConsumer(Consumer c) {
        consumers.put(c.name(), c);
    }

    /**
     * Removes a consumer that was deleted; on an interest stream, messages only it held are released (on a clustered
     * replica its group's leader does that from the committed states). A work queue keeps them for its next
     * consumer, as Go's ({@code stopWithFlags} checks interest of interest streams only).
     */
    void consumerGone(Consumer c) {
        if (consumers.remove(c.name(), c) && config.retention == Retention.INTEREST && !closed
                && replicaHooks == null) {
            checkInterestState();
        }
    }

    public Consumer createConsumer(ConsumerSettings requested, String requestedName, ConsumerAction action) {
        return new ConsumerFactory(this).create(requested, requestedName, action);
    }

    /** Whether any consumer would want a message on {@code subject} (interest retention). */
    boolean hasInterestIn(String subject) {
        ReplicaHooks hooks = replicaHooks;
        if (hooks != null) {
            return hooks.hasInterestIn(subject);
        }
        for (Consumer c : consumers.values()) {
            if (c.filterMatches(subject)) {
                return true;
            }
        }
        return false;
    }

    /** A consumer acknowledged {@code sequence}: an interest or work-queue stream may drop it now. */
    void acknowledged(long sequence, String subject) {
        Retention retention = config.retention;
        if (retention == Retention.LIMITS || replicaHooks != null) { // clustered: decided from committed states
            return;
        }
        if (retention == Retention.INTEREST) {
            for (Consumer c : consumers.values()) {
                if (c.needsAck(sequence, subject)) {
                    return;
                }
            }
        }
        removeAcknowledged(sequence);
    }

    /**
     * Drops an acknowledged message; not on a clustered replica, whose group's leader decides removals from the
     * committed consumer states and replicates them (so it does not matter which server runs the consumer).
     */
    private void removeAcknowledged(long sequence) {
        if (replicaHooks == null) {
            store.remove(sequence);
        }
    }

    void replicaHooks(ReplicaHooks hooks) {
        this.replicaHooks = hooks;
    }

    ReplicaHooks replicaHooks() {
        return replicaHooks;
    }

    /** Drops every message no consumer still needs (after a consumer of an interest stream went away). */
    void checkInterestState() {
        StreamState state = store.fastState();
        if (state.messages() == 0) {
            return;
        }
        long last = state.lastSequence();
        for (long seq = state.firstSequence(); seq <= last; seq++) {
            Optional<String> subject = store.subjectOf(seq);
            if (subject.isEmpty()) {
                continue;
            }
            boolean needed = false;
            for (Consumer c : consumers.values()) {
                if (c.needsAck(seq, subject.get())) {
                    needed = true;
                    break;
                }
            }
            if (!needed) {
                removeAcknowledged(seq);
            }
        }
    }

    /** Reopens the stored consumers: at a server start ({@code serverStart}) or from a restored snapshot. */
    void recoverConsumers(boolean serverStart) {
        for (String consumerName : store.consumerNames()) {
            try {
                Consumer c = serverStart ? ConsumerFactory.recoverAtStart(this, consumerName)
                        : ConsumerFactory.recover(this, consumerName);
                if (c != null) {
                    consumers.put(c.name(), c);
                }
            } catch (RuntimeException e) {
                account.js().log().log(System.Logger.Level.WARNING,
                        "JetStream could not recover consumer ''{0} > {1} > {2}'': {3}", account.name(), name,
                        consumerName, e.toString());
            }
        }
    }

    // --- store listener -----------------------------------------------------------------------------------

    @Override
    public void stored(long sequence, String subject, long size) {
        account.addUsage(config.storage, size);
        for (Consumer c : consumers.values()) {
            c.messageStored(sequence, subject);
        }
    }

    @Override
    public void removed(long sequence, String subject, long size, RemovalReason reason) {
        account.addUsage(config.storage, -size);
    }

    @Override
    public void purged(long messages, long bytes) {
        account.addUsage(config.storage, -bytes);
    }

    // --- operations ---------------------------------------------------------------------------------------

    /** Applies an updated configuration that {@link StreamConfigCheck#checkUpdate} accepted. */
    void update(StreamSettings cfg) {
        writeLock.lock();
        try {
            StreamSettings old = config;
            config = cfg;
            applyDerived(cfg);
            ingest.writer().configChanged(cfg);
            try {
                store.updateConfig(cfg.storeConfig());
            } catch (StoreException e) {
                config = old;
                applyDerived(old);
                throw new ApiException(JsErrors.STREAM_UPDATE, e.getMessage());
            }
            writeMetadata();
            if (!old.subjects.equals(cfg.subjects) || old.allowDirect != cfg.allowDirect
                    || old.mirrorDirect != cfg.mirrorDirect) {
                unsubscribe();
                subscribe();
            }
        } finally {
            writeLock.unlock();
        }
        StreamSources s = sources;
        RemoteSources r = remoteSources;
        if (s != null) {
            s.configChanged();
        } else if (r != null) {
            r.configChanged(cfg);
        } else {
            startSources();
        }
    }

    /**
     * Purges messages (Go's {@code purge}) and moves consumers past them.
     *
     * @return how many were removed
     */
    public long purge(String subject, long sequence, long keep) {
        if (config.sealed) {
            throw new ApiException(JsErrors.STREAM_PURGE_FAILED, "sealed stream");
        }
        writeLock.lock();
        try {
            return purgeLocked(subject, sequence, keep);
        } finally {
            writeLock.unlock();
        }
    }

    long purgeLocked(String subject, long sequence, long keep) {
        long purged = subject.isEmpty() && sequence == 0 && keep == 0 ? store.purge()
                : store.purge(subject, sequence, keep);
        StreamState state = store.fastState();
        long first = state.firstSequence();
        if (!subject.isEmpty()) {
            var filtered = store.filteredState(state.firstSequence(), nats.jetstream.store.SubjectFilter.of(subject));
            first = filtered.messages() > 0 ? filtered.first() : state.lastSequence() + 1;
        }
        for (Consumer c : consumers.values()) {
            c.purged(first, subject);
        }
        if (subject.isEmpty() && sequence == 0 && keep == 0) {
            ingest.writer().resetDedupe();
        }
        return purged;
    }

    /** Removes one message; erase overwrites its bytes. */
    public boolean deleteMessage(long sequence, boolean erase) {
        writeLock.lock();
        try {
            return erase ? store.erase(sequence) : store.remove(sequence);
        } finally {
            writeLock.unlock();
        }
    }

    /** Stops the stream and removes everything it stored. */
    void delete() {
        stopAll();
        for (Consumer c : consumers.values()) {
            c.stopForStreamDelete();
        }
        consumers.clear();
        store.delete();
        account.addUsage(config.storage, -Math.max(0, lastKnownBytes));
    }

    private long lastKnownBytes;

    private void stopAll() {
        closed = true;
        StreamSources s = sources;
        if (s != null) {
            s.stop();
        }
        RemoteSources r = remoteSources;
        if (r != null) {
            r.stop();
        }
        unsubscribe();
        ingest.stop();
        lastKnownBytes = store.fastState().bytes();
        store.removeListener(this);
    }

    /** Stops the stream; its store keeps everything for the next start. */
    void close() {
        stopAll();
        for (Consumer c : consumers.values()) {
            c.close();
        }
        account.addUsage(config.storage, -Math.max(0, lastKnownBytes));
        store.close();
    }
}
