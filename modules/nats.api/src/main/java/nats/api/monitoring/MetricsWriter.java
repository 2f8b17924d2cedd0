package nats.api.monitoring;

/**
 * Where a {@link MetricsSource} writes its metrics during one scrape, in the Prometheus data model: a family
 * has a name, a type, a help text and label names; each sample gives one value for one combination of label
 * values.
 *
 * <p>Rules the server enforces (breaking one throws {@link IllegalArgumentException}, which drops the
 * source's output for that scrape):
 * <ul>
 *   <li>family names match {@code [a-zA-Z_:][a-zA-Z0-9_:]*} and are unique in the whole scrape: name yours after
 *       your plugin, e.g. {@code jnatsd_jetstream_stream_messages_total}; a counter's name ends in
 *       {@code _total};</li>
 *   <li>label names match {@code [a-zA-Z_][a-zA-Z0-9_]*}, do not start with {@code __}, and are not
 *       {@code server_id}: the server puts {@code server_id} first on every sample, as the NATS Prometheus
 *       exporter does, so dashboards can tell servers apart;</li>
 *   <li>each sample gives exactly one value per label name, in the order the family declared them.</li>
 * </ul>
 * Label values may be any text (they are escaped). Keep the number of label combinations bounded: one per
 * stream or per peer is fine, one per message subject or per client is not.
 */
public interface MetricsWriter {

    /** A counter: a total that only grows while the server runs (messages, bytes, errors). */
    MetricSamples counter(String name, String help, String... labelNames);

    /** A gauge: a value that goes up and down (pending messages, bytes stored, connected peers). */
    MetricSamples gauge(String name, String help, String... labelNames);

    /** A histogram: a distribution of observations (fsync latency in seconds, messages per group commit). */
    HistogramSamples histogram(String name, String help, String... labelNames);
}
