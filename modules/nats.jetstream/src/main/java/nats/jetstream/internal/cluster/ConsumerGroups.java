package nats.jetstream.internal.cluster;

import java.util.Map;

/**
 * How many peers Go 2.9.10 gives a clustered consumer's own RAFT group ({@code createGroupForConsumer}): its
 * {@code num_replicas}, or the stream's replica count, except that an ephemeral of a limits stream that does not
 * ask for more gets one. Consumers here ride their stream's group; this says what Go's would be, for what Go shows
 * of it (a consumer's {@code cluster} block, {@code ha_assets}: Go runs no group for a single peer).
 */
public final class ConsumerGroups {

    private ConsumerGroups() {
    }

    /** The peers of Go's group for a consumer with {@code consumerConfig} on a stream with {@code streamConfig}. */
    public static long goGroupSize(Map<?, ?> consumerConfig, Map<?, ?> streamConfig) {
        long replicas = consumerConfig.get("num_replicas") instanceof Number n ? n.longValue() : 0;
        if (replicas > 0) {
            return replicas;
        }
        boolean ephemeral = !(consumerConfig.get("durable_name") instanceof String d) || d.isEmpty();
        boolean limits = !(streamConfig.get("retention") instanceof String r) || r.equals("limits");
        if (ephemeral && limits) {
            return 1;
        }
        return streamConfig.get("num_replicas") instanceof Number n ? Math.max(1, n.longValue()) : 1;
    }
}
