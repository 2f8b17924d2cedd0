package nats.api.monitoring;

/** The samples of one histogram family (see {@link MetricsWriter}). */
public interface HistogramSamples {

    /**
     * Adds one histogram.
     *
     * @param value       the buckets, count and sum as the source recorded them
     * @param labelValues one per label name the family declared, in that order
     * @return this, to add the next histogram
     */
    HistogramSamples sample(HistogramValue value, String... labelValues);
}
