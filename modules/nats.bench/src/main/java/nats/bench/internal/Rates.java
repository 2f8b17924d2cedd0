package nats.bench.internal;

import java.util.Map;

/** Adds the elapsed time and the derived rates to a metrics map. */
final class Rates {
  private Rates() {}

  /**
   * Puts {@code elapsed_ms}, {@code msgs_per_sec} and {@code mb_per_sec} (payload megabytes,
   * 10^6 bytes, per second).
   */
  static void put(Map<String, Number> m, long msgs, int size, long elapsedNanos) {
    double secs = Math.max(1, elapsedNanos) / 1e9;
    m.put("elapsed_ms", elapsedNanos / 1_000_000);
    m.put("msgs_per_sec", msgs / secs);
    m.put("mb_per_sec", msgs * (double) size / secs / 1e6);
  }
}
