package nats.jetstream.internal.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import nats.jetstream.internal.engine.RemoteSources;
import nats.jetstream.internal.engine.Replicas;
import nats.jetstream.internal.engine.SourceStatus;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.internal.engine.StreamSources;
import nats.jetstream.internal.model.StreamSettings;
import nats.jetstream.internal.model.StreamSource;

/**
 * A single server's stream that mirrors or sources a stream in another domain or account (Go's {@code external}:
 * an API prefix across a leaf node connection, say): as a clustered stream's leader does ({@link StreamSourcing}),
 * one {@link OriginFeed} per origin creates a push consumer there, but each delivery is stored at once instead of
 * being proposed to a group.
 */
public final class SingleServerSourcing implements RemoteSources, OriginFeed.Sink {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Stream stream;
    private volatile List<OriginFeed> feeds = List.of();
    private volatile boolean stopped;
    private final Thread agent;

    public SingleServerSourcing(Stream stream) {
        this.stream = stream;
        configChanged(stream.config());
        this.agent = Thread.ofVirtual().name("jetstream-remote-sources-" + stream.name()).start(this::run);
    }

    @Override
    public synchronized void configChanged(StreamSettings cfg) {
        List<OriginFeed> fresh = new ArrayList<>();
        cfg.mirror.ifPresent(m -> fresh.add(keep(m, true)));
        for (StreamSource s : cfg.sources) {
            fresh.add(keep(s, false));
        }
        for (OriginFeed old : feeds) {
            if (!fresh.contains(old)) {
                old.cancel();
            }
        }
        feeds = List.copyOf(fresh);
    }

    private OriginFeed keep(StreamSource spec, boolean mirror) {
        for (OriginFeed f : feeds) {
            if (f.mirror() == mirror && f.spec().equals(spec)) {
                return f;
            }
        }
        return new OriginFeed(spec, mirror, stream.account().connection(), this);
    }

    @Override
    public void stop() {
        stopped = true;
        LockSupport.unpark(agent);
        for (OriginFeed f : feeds) {
            f.cancel();
        }
    }

    @Override
    public List<? extends SourceStatus> statuses() {
        return feeds;
    }

    private void run() {
        while (!stopped && !stream.isClosed()) {
            long now = System.nanoTime();
            for (OriginFeed f : feeds) {
                if (stopped) {
                    return;
                }
                if (f.needsConsumer(now)) {
                    f.start(resumeAfter(f));
                }
            }
            LockSupport.parkNanos(this, TICK_NANOS);
        }
    }

    /** The last origin sequence the store holds from {@code feed}'s origin, 0 for none. */
    private long resumeAfter(OriginFeed feed) {
        if (feed.mirror()) {
            return stream.store().fastState().lastSequence();
        }
        long through = feed.storedThrough();
        if (through < 0) {
            through = Replicas.lastSourcedSequence(stream, feed.spec());
            feed.storedThrough(through);
        }
        return through;
    }

    @Override
    public CompletableFuture<Long> mirrored(long originSequence, long timestampNanos, String subject, byte[] headers,
                                            byte[] payload) {
        Replicas.storeMirrored(stream, originSequence, timestampNanos, subject, headers, payload);
        return CompletableFuture.completedFuture(originSequence);
    }

    @Override
    public CompletableFuture<Long> sourced(String subject, byte[] headers, byte[] payload) {
        StreamSources.acceptSourced(stream, subject, headers, payload);
        return CompletableFuture.completedFuture(0L);
    }

    @Override
    public void mirrorSkipped(long through) {
        Replicas.skipMirrored(stream, through);
    }

    @Override
    public boolean leading() {
        return !stopped && !stream.isClosed();
    }
}
