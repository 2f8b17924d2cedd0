package nats.api.monitoring;

import java.util.Arrays;

/**
 * One histogram as Prometheus exposes it: cumulative counts of observations at or below each upper bound, the
 * number of all observations (the {@code +Inf} bucket) and their sum. The plugin keeps the buckets (for
 * example an array of counters it increments on its own thread) and hands a copy to each scrape.
 *
 * @param upperBounds      the buckets' upper bounds, strictly increasing, finite (e.g. seconds: 0.0001, 0.001)
 * @param cumulativeCounts observations at or below each bound; never decreasing, at most {@code count}
 * @param count            all observations, including those above the last bound
 * @param sum              the sum of all observed values
 */
public record HistogramValue(double[] upperBounds, long[] cumulativeCounts, long count, double sum) {

    public HistogramValue {
        upperBounds = upperBounds.clone();
        cumulativeCounts = cumulativeCounts.clone();
        if (upperBounds.length != cumulativeCounts.length) {
            throw new IllegalArgumentException("histogram: " + upperBounds.length + " bounds but "
                    + cumulativeCounts.length + " counts");
        }
        for (int i = 0; i < upperBounds.length; i++) {
            if (!Double.isFinite(upperBounds[i]) || (i > 0 && upperBounds[i] <= upperBounds[i - 1])) {
                throw new IllegalArgumentException("histogram: bounds must be finite and strictly increasing: "
                        + Arrays.toString(upperBounds));
            }
            if (cumulativeCounts[i] < 0 || (i > 0 && cumulativeCounts[i] < cumulativeCounts[i - 1])) {
                throw new IllegalArgumentException("histogram: counts must be cumulative: "
                        + Arrays.toString(cumulativeCounts));
            }
        }
        if (count < (cumulativeCounts.length == 0 ? 0 : cumulativeCounts[cumulativeCounts.length - 1])) {
            throw new IllegalArgumentException("histogram: count " + count + " is below the last bucket's");
        }
    }

    @Override
    public double[] upperBounds() {
        return upperBounds.clone();
    }

    @Override
    public long[] cumulativeCounts() {
        return cumulativeCounts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistogramValue h && count == h.count && Double.compare(sum, h.sum) == 0
                && Arrays.equals(upperBounds, h.upperBounds) && Arrays.equals(cumulativeCounts, h.cumulativeCounts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(upperBounds) + Arrays.hashCode(cumulativeCounts)) + Long.hashCode(count);
    }

    @Override
    public String toString() {
        return "HistogramValue[upperBounds=" + Arrays.toString(upperBounds) + ", cumulativeCounts="
                + Arrays.toString(cumulativeCounts) + ", count=" + count + ", sum=" + sum + "]";
    }
}
