package nats.jetstream.internal.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import nats.api.messaging.InternalConnection;
import nats.jetstream.internal.engine.Replicas;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.internal.model.StreamSettings;
import nats.jetstream.internal.model.StreamSource;

/**
 * The origins one stream follows over the network, one {@link OriginFeed} per mirror or source, kept across
 * configuration changes: a clustered stream's leader ({@link StreamSourcing}) or a single server's stream with an
 * origin in another domain or account ({@link SingleServerSourcing}).
 */
final class OriginFeeds {

    private final Stream stream;
    private final InternalConnection connection;
    private final OriginFeed.Sink sink;
    private volatile List<OriginFeed> feeds = List.of();

    OriginFeeds(Stream stream, InternalConnection connection, OriginFeed.Sink sink) {
        this.stream = stream;
        this.connection = connection;
        this.sink = sink;
    }

    /** Follows {@code cfg}'s origins: the feeds of those that stayed are kept, the others cancelled. */
    synchronized void configChanged(StreamSettings cfg) {
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
        return new OriginFeed(spec, mirror, connection, sink);
    }

    List<OriginFeed> list() {
        return feeds;
    }

    /** Creates the origin consumers that are due (none yet, a gap seen, a silent origin) while {@code go} holds. */
    void startDue(BooleanSupplier go) {
        long now = System.nanoTime();
        for (OriginFeed f : feeds) {
            if (!go.getAsBoolean()) {
                return;
            }
            if (f.needsConsumer(now)) {
                f.start(resumeAfter(f));
            }
        }
    }

    /** The last origin sequence the store holds from {@code feed}'s origin, 0 for none. */
    private long resumeAfter(OriginFeed feed) {
        if (feed.mirror()) {
            return stream.store().fastState().lastSequence();
        }
        // A backwards scan of the store for the source's header: once per leadership, not at every retry (what
        // was taken since is the feed's own position).
        long through = feed.storedThrough();
        if (through < 0) {
            through = Replicas.lastSourcedSequence(stream, feed.spec());
            feed.storedThrough(through);
        }
        return through;
    }
}
