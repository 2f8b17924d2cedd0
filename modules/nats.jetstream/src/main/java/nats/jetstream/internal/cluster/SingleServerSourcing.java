package nats.jetstream.internal.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import nats.jetstream.internal.engine.RemoteSources;
import nats.jetstream.internal.engine.Replicas;
import nats.jetstream.internal.engine.SourceStatus;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.internal.engine.StreamSources;
import nats.jetstream.internal.model.StreamSettings;

/**
 * A single server's stream that mirrors or sources a stream in another domain or account (Go's {@code external}:
 * an API prefix across a leaf node connection, say): as a clustered stream's leader does ({@link StreamSourcing}),
 * one {@link OriginFeed} per origin creates a push consumer there, but each delivery is stored at once instead of
 * being proposed to a group.
 */
public final class SingleServerSourcing implements RemoteSources, OriginFeed.Sink {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Stream stream;
    private final OriginFeeds feeds;
    private volatile boolean stopped;
    private final Thread agent;

    public SingleServerSourcing(Stream stream) {
        this.stream = stream;
        this.feeds = new OriginFeeds(stream, stream.account().connection(), this);
        feeds.configChanged(stream.config());
        this.agent = Thread.ofVirtual().name("jetstream-remote-sources-" + stream.name()).start(this::run);
    }

    @Override
    public void configChanged(StreamSettings cfg) {
        feeds.configChanged(cfg);
        LockSupport.unpark(agent);
    }

    @Override
    public void stop() {
        stopped = true;
        LockSupport.unpark(agent);
        for (OriginFeed f : feeds.list()) {
            f.cancel();
        }
    }

    @Override
    public List<? extends SourceStatus> statuses() {
        return feeds.list();
    }

    private void run() {
        while (leading()) {
            feeds.startDue(this::leading);
            LockSupport.parkNanos(this, TICK_NANOS);
        }
    }

    @Override
    public CompletableFuture<Long> mirrored(long originSequence, long timestampNanos, String subject, byte[] headers,
                                            byte[] payload, BooleanSupplier stillWanted) {
        Replicas.storeMirrored(stream, originSequence, timestampNanos, subject, headers, payload);
        return CompletableFuture.completedFuture(originSequence);
    }

    @Override
    public CompletableFuture<Long> sourced(String subject, byte[] headers, byte[] payload,
                                           BooleanSupplier stillWanted) {
        StreamSources.acceptSourced(stream, subject, headers, payload);
        return CompletableFuture.completedFuture(0L);
    }

    @Override
    public CompletableFuture<Long> mirrorSkipped(long through, BooleanSupplier stillWanted) {
        Replicas.skipMirrored(stream, through);
        return CompletableFuture.completedFuture(through);
    }

    @Override
    public boolean leading() {
        return !stopped && !stream.isClosed();
    }
}
