package nats.jetstream.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import nats.jetstream.internal.model.StreamSettings;
import nats.jetstream.internal.model.StreamSource;
import nats.jetstream.internal.model.SubjectTransformSpec;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreListener;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.SubjectFilter;

/**
 * A stream's mirror or sources on this server: one agent thread follows each origin stream's store (woken by
 * the origin's store listener), copying a mirror's messages under their own sequences and timestamps, and
 * appending sourced messages (filtered and transformed) with a {@code Nats-Stream-Source} header, through the
 * stream's own checks. Origins that do not exist yet are waited for.
 */
public final class StreamSources {

    private static final int BATCH = 512;

    private final Stream target;
    private final List<Tail> tails = new ArrayList<>();
    private volatile Thread thread;
    private volatile boolean stopped;
    private volatile boolean parked;
    private volatile boolean signalled;

    /** One origin being followed. */
    public final class Tail implements StoreListener, SourceStatus {
        final StreamSource spec;
        final boolean mirror;
        final SubjectFilter filter;
        final List<SubjectTransform> transforms = new ArrayList<>();
        volatile long nextOriginSeq;
        volatile long lastActiveNanos;
        volatile Stream origin;
        boolean positioned;

        Tail(StreamSource spec, boolean mirror) {
            this.spec = spec;
            this.mirror = mirror;
            List<String> filters = new ArrayList<>();
            if (!spec.filterSubject().isEmpty()) {
                filters.add(spec.filterSubject());
            }
            for (SubjectTransformSpec t : spec.transforms()) {
                filters.add(t.source().isEmpty() ? ">" : t.source());
                transforms.add(SubjectTransform.of(t.source(), t.destination()));
            }
            this.filter = SubjectFilter.of(filters);
        }

        @Override
        public StreamSource spec() {
            return spec;
        }

        @Override
        public long lag() {
            Stream o = origin;
            if (o == null || o.isClosed()) {
                return 0;
            }
            long last = o.store().fastState().lastSequence();
            return Math.max(0, last - nextOriginSeq + 1);
        }

        @Override
        public long activeNanos() {
            long t = lastActiveNanos;
            return t == 0 ? -1 : System.nanoTime() - t;
        }

        @Override
        public void stored(long sequence, String subject, long size) {
            wake();
        }
    }

    StreamSources(Stream target) {
        this.target = target;
        StreamSettings cfg = target.config();
        cfg.mirror.ifPresent(m -> tails.add(new Tail(m, true)));
        for (StreamSource s : cfg.sources) {
            tails.add(new Tail(s, false));
        }
    }

    public List<Tail> tails() {
        return List.copyOf(tails);
    }

    void start() {
        thread = Thread.ofVirtual().name("jetstream-sources-" + target.name()).start(this::run);
    }

    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Tail tail : tails) {
            Stream o = tail.origin;
            if (o != null) {
                o.store().removeListener(tail);
            }
        }
    }

    /** The sources changed (a stream update): follow the new list. */
    void configChanged() {
        synchronized (tails) {
            StreamSettings cfg = target.config();
            List<Tail> fresh = new ArrayList<>();
            for (StreamSource s : cfg.sources) {
                Optional<Tail> same = tails.stream().filter(t -> t.spec.indexName().equals(s.indexName())).findFirst();
                fresh.add(same.orElseGet(() -> new Tail(s, false)));
            }
            cfg.mirror.ifPresent(m -> fresh.add(tails.stream().filter(t -> t.mirror).findFirst()
                    .orElseGet(() -> new Tail(m, true))));
            for (Tail old : tails) {
                if (!fresh.contains(old) && old.origin != null) {
                    old.origin.store().removeListener(old);
                }
            }
            tails.clear();
            tails.addAll(fresh);
        }
        wake();
    }

    private void wake() {
        signalled = true;
        if (parked) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    private void run() {
        while (!stopped) {
            signalled = false;
            int copied = 0;
            List<Tail> current;
            synchronized (tails) {
                current = List.copyOf(tails);
            }
            for (Tail tail : current) {
                try {
                    copied += pump(tail);
                } catch (StoreException | IllegalStateException e) {
                    if (stopped || target.isClosed()) {
                        return;
                    }
                    target.account().js().log().log(System.Logger.Level.WARNING,
                            "JetStream stream ''{0} > {1}'': copying from ''{2}'' failed: {3}",
                            target.account().name(), target.name(), tail.spec.name(), e.getMessage());
                }
            }
            if (copied == 0 && !stopped) {
                parked = true;
                if (!signalled) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(250));
                }
                parked = false;
            }
        }
    }

    /** Copies what is new in one origin; returns how many messages it looked at. */
    private int pump(Tail tail) {
        Stream origin = target.account().stream(tail.spec.name()).orElse(null);
        if (origin == null || origin.isClosed()) {
            tail.origin = null;
            return 0;
        }
        if (tail.origin != origin) {
            tail.origin = origin;
            origin.store().addListener(tail);
            tail.positioned = false;
        }
        tail.lastActiveNanos = System.nanoTime();
        if (!tail.positioned) {
            position(tail, origin);
            tail.positioned = true;
        }
        StreamStore from = origin.store();
        int n = 0;
        while (n < BATCH && !stopped && target.ingest().backlog() < BATCH * 8) {
            Optional<StoredMessage> next = from.loadNext(tail.mirror && tail.filter.matchesAll() ? SubjectFilter.ALL
                    : tail.filter, tail.nextOriginSeq);
            if (next.isEmpty()) {
                break;
            }
            StoredMessage sm = next.get();
            if (tail.mirror) {
                copyMirrored(sm);
            } else {
                copySourced(tail, sm);
            }
            tail.nextOriginSeq = sm.sequence() + 1;
            n++;
        }
        return n;
    }

    /** Where to start: after what the target already holds, else the configured start. */
    private void position(Tail tail, Stream origin) {
        StreamStore store = target.store();
        if (tail.mirror) {
            long last = store.fastState().lastSequence();
            if (last > 0) {
                tail.nextOriginSeq = last + 1;
                return;
            }
            long start = tail.spec.optStartSeq() > 0 ? tail.spec.optStartSeq()
                    : tail.spec.optStartTime().map(t -> origin.store().sequenceAt(t)).orElse(1L);
            tail.nextOriginSeq = Math.max(1, start);
            return;
        }
        long resumed = lastSourcedSequence(target, tail.spec);
        if (resumed > 0) {
            tail.nextOriginSeq = resumed + 1;
            return;
        }
        long start = tail.spec.optStartSeq() > 0 ? tail.spec.optStartSeq()
                : tail.spec.optStartTime().map(t -> origin.store().sequenceAt(t)).orElse(1L);
        tail.nextOriginSeq = Math.max(1, start);
    }

    /**
     * The origin sequence of the last message {@code target} holds from {@code source} (its
     * {@code Nats-Stream-Source} header), 0 if none: where sourcing resumes.
     */
    static long lastSourcedSequence(Stream target, StreamSource source) {
        StreamStore store = target.store();
        var state = store.fastState();
        String prefix = source.indexName() + " ";
        for (long seq = state.lastSequence(); seq >= state.firstSequence() && seq > 0; seq--) {
            Optional<StoredMessage> sm = store.load(seq);
            if (sm.isEmpty() || sm.get().headers().length == 0) {
                continue;
            }
            String header = Headers.get(sm.get().headers(), Headers.STREAM_SOURCE);
            if (header != null && header.startsWith(prefix)) {
                try {
                    return Long.parseLong(header.substring(prefix.length()).strip().split(" ")[0]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * A sourced message's headers: the origin's, with {@code Nats-Stream-Source} naming the source and sequence
     * (replacing the origin's own when it was sourced itself, as Go does, so resuming reads this stream's source).
     */
    static byte[] sourcedHeaders(StreamSource source, byte[] originHeaders, long originSequence) {
        byte[] base = originHeaders.length == 0
                ? "NATS/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)
                : Headers.remove(originHeaders, Headers.STREAM_SOURCE);
        return Headers.append(base, Headers.STREAM_SOURCE, source.indexName() + " " + originSequence);
    }

    /** The subject a sourced message is stored under: the first of the source's transforms that applies. */
    static String sourcedSubject(List<SubjectTransform> transforms, String subject) {
        for (SubjectTransform t : transforms) {
            String mapped = t.apply(subject);
            if (mapped != null) {
                return mapped;
            }
        }
        return subject;
    }

    private void copyMirrored(StoredMessage sm) {
        target.writeLock().lock();
        try {
            StreamStore store = target.store();
            long next = store.fastState().lastSequence() + 1;
            if (sm.sequence() < next) {
                return;
            }
            if (sm.sequence() > next) {
                store.skip(next, sm.sequence() - next);
            }
            store.storeRaw(sm.subject(), sm.headers(), sm.payload(), sm.sequence(), sm.timestamp(), 0, false);
        } finally {
            target.writeLock().unlock();
        }
    }

    /**
     * Stores a message an origin in another domain or account delivered ({@link RemoteSources}), its subject and
     * headers already those of a sourced message, through the writer as a local origin's.
     */
    public static void acceptSourced(Stream target, String subject, byte[] headers, byte[] payload) {
        target.ingest().offer(new StreamIngest.Inbound(subject, null, headers, payload));
    }

    private void copySourced(Tail tail, StoredMessage sm) {
        String subject = sourcedSubject(tail.transforms, sm.subject());
        byte[] headers = sourcedHeaders(tail.spec, sm.headers(), sm.sequence());
        // Through the writer, so dedupe, limits and republish apply as to any published message.
        acceptSourced(target, subject, headers, sm.payload());
    }
}
