package nats.bench.internal.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Medians of rows measured in several rounds, and ratios taken round by round: one durable writer against the
 * disk's own fsync rates, 64 durable writers against 64 lazy ones. On a disk shared with other work, a ratio of
 * neighbours in time says more than one of figures taken minutes apart.
 */
final class RoundSummary {

  private RoundSummary() {}

  /** {@code rows} holds the rounds' rows in order, each round the same rows. */
  static void print(List<StoreBench.Row> rows, int rounds) {
    Map<String, List<StoreBench.Row>> byName = new LinkedHashMap<>();
    for (StoreBench.Row row : rows) {
      byName.computeIfAbsent(row.name(), k -> new ArrayList<>()).add(row);
    }
    System.out.printf("%nmedians of %d rounds (range), and ratios taken round by round%n", rounds);
    for (Map.Entry<String, List<StoreBench.Row>> entry : byName.entrySet()) {
      double[] rates = entry.getValue().stream().mapToDouble(StoreBench.Row::rate).sorted().toArray();
      StringBuilder line = new StringBuilder(String.format("%-58s %10.1f %-7s (%.1f-%.1f)", entry.getKey(),
          median(rates), entry.getValue().get(0).unit(), rates[0], rates[rates.length - 1]));
      String name = entry.getKey();
      if (name.startsWith("durable, 1 writer")) {
        // One writer waits for each sync: the disk's own rate is its limit.
        for (String probe : byName.keySet()) {
          if (probe.startsWith("disk fsync")) {
            ratio(line, entry.getValue(), byName.get(probe), rounds,
                probe.contains("preallocated") ? "the preallocated disk rate" : "the appending disk rate");
          }
        }
      } else if (name.startsWith("durable, 64 writers")) {
        // Group commit: against the same writers acknowledged without waiting for a sync.
        for (String other : byName.keySet()) {
          if (other.startsWith("lazy") && other.endsWith(", 64 writers")) {
            ratio(line, entry.getValue(), byName.get(other), rounds, "lazy 64");
          }
        }
      }
      System.out.println(line);
    }
  }

  /** Appends the median (range) of {@code rows}' rate over {@code base}'s, round by round. */
  private static void ratio(StringBuilder line, List<StoreBench.Row> rows, List<StoreBench.Row> base, int rounds,
      String what) {
    if (rows.size() != rounds || base.size() != rounds) {
      return;
    }
    double[] ratios = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      ratios[i] = rows.get(i).rate() / base.get(i).rate();
    }
    Arrays.sort(ratios);
    line.append(String.format("  %.2fx %s (%.2f-%.2f)", median(ratios), what, ratios[0], ratios[rounds - 1]));
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
