package nats.jetstream.internal.engine;

import nats.jetstream.internal.model.StreamSource;

/**
 * What a stream reports of one origin it mirrors or sources from (Go's {@code StreamSourceInfo}): followed on this
 * server by {@link StreamSources}, or by a clustered stream's leader over the network.
 */
public interface SourceStatus {

    /** The origin as configured. */
    StreamSource spec();

    /** Messages the origin holds that were not copied yet. */
    long lag();

    /** Nanoseconds since the origin was last heard from, -1 if never. */
    long activeNanos();

    /** Why the origin cannot be followed now (Go's {@code ApiError} JSON, e.g. the origin stream is missing). */
    default java.util.Optional<java.util.Map<String, Object>> error() {
        return java.util.Optional.empty();
    }
}
