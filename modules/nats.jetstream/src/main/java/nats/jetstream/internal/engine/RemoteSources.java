package nats.jetstream.internal.engine;

import java.util.List;

import nats.jetstream.internal.model.StreamSettings;

/**
 * A single server's stream whose mirror or sources include a stream in another domain or account: its origins are
 * followed over the network (as a clustered stream's leader follows them) instead of through this server's stores.
 */
public interface RemoteSources {

    /** The stream's configuration changed: follow its (new) origins. */
    void configChanged(StreamSettings cfg);

    /** The stream stops: stop following. */
    void stop();

    /** What the stream reports of its origins. */
    List<? extends SourceStatus> statuses();
}
