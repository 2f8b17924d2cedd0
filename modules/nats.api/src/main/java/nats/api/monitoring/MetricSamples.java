package nats.api.monitoring;

/** The samples of one counter or gauge family (see {@link MetricsWriter}). */
public interface MetricSamples {

    /**
     * Adds one sample.
     *
     * @param value       the value; a counter's must not be negative
     * @param labelValues one per label name the family declared, in that order
     * @return this, to add the next sample
     */
    MetricSamples sample(double value, String... labelValues);
}
