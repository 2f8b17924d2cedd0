package nats.bench.internal;

import java.util.Arrays;

/**
 * Exact latency percentiles from a sorted copy of all samples (nearest-rank method).
 *
 * <p>Request/reply runs record tens of thousands of samples, so sorting a {@code long[]} is cheap
 * and avoids the bucketing error of a histogram.
 *
 * @param count number of samples
 * @param min smallest sample
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max largest sample
 * @param mean arithmetic mean
 */
record Percentiles(int count, long min, long p50, long p90, long p99, long p999, long max,
    double mean) {

  /** Summarizes the first {@code count} samples (the array is not modified). */
  static Percentiles of(long[] samples, int count) {
    if (count <= 0) {
      return new Percentiles(0, 0, 0, 0, 0, 0, 0, 0);
    }
    long[] s = Arrays.copyOf(samples, count);
    Arrays.sort(s);
    double sum = 0;
    for (long v : s) {
      sum += v;
    }
    return new Percentiles(count, s[0], rank(s, 50), rank(s, 90), rank(s, 99), rank(s, 99.9),
        s[count - 1], sum / count);
  }

  /** Nearest rank: the smallest sample such that at least {@code p}% of samples are at most it. */
  static long rank(long[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    // Work in tenths of a percent with integer math so 99.9% of 1000 samples is rank 999 exactly.
    long tenths = Math.round(p * 10);
    long rank = (tenths * sorted.length + 999) / 1000; // ceil(p/100 * n)
    int idx = (int) Math.max(0, Math.min(sorted.length - 1, rank - 1));
    return sorted[idx];
  }
}
