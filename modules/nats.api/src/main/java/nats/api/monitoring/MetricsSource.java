package nats.api.monitoring;

/**
 * What a plugin adds to the server's Prometheus endpoint ({@code /metrics} on the monitoring port), e.g.
 * JetStream's per-stream message rates, fsync latency and group-commit sizes, or a route's traffic per peer.
 * Register one with {@link Monitoring#metrics(MetricsSource)}.
 *
 * <p>The server calls {@link #collect} once per scrape, on the scraping thread, and writes what it is given
 * after the kernel's own metrics. A source reports the values it already keeps (counters it increments anyway,
 * a histogram it records into): it must not block, take a lock its hot path holds for long, or do work that
 * grows with the number of connections or messages. A scrape is usually every 10 to 60 seconds, but an
 * operator may scrape more often.
 *
 * <p>If {@code collect} throws, nothing it wrote in that scrape appears, the failure is logged once and counted
 * in {@code jnatsd_metrics_source_errors_total}, and the rest of the scrape is served.
 */
@FunctionalInterface
public interface MetricsSource {

    /** Writes this source's metrics as they are now. */
    void collect(MetricsWriter metrics);
}
