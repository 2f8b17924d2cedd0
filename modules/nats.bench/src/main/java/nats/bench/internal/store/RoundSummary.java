package nats.bench.internal.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Medians of rows measured in several rounds, and each row's ratio to the disk's own fsync rates measured in
 * the same round: on a disk shared with other work, a ratio of neighbours in time says more than one of
 * figures taken minutes apart.
 */
final class RoundSummary {

  private RoundSummary() {}

  /** {@code rows} holds the rounds' rows in order, each round the same rows. */
  static void print(List<StoreBench.Row> rows, int rounds) {
    Map<String, List<StoreBench.Row>> byName = new LinkedHashMap<>();
    for (StoreBench.Row row : rows) {
      byName.computeIfAbsent(row.name(), k -> new ArrayList<>()).add(row);
    }
    System.out.printf("%nmedians of %d rounds (range), and the ratio to the disk's rates in the same round%n", rounds);
    for (Map.Entry<String, List<StoreBench.Row>> entry : byName.entrySet()) {
      double[] rates = entry.getValue().stream().mapToDouble(StoreBench.Row::rate).sorted().toArray();
      StringBuilder line = new StringBuilder(String.format("%-58s %10.1f %-7s (%.1f-%.1f)", entry.getKey(),
          median(rates), entry.getValue().get(0).unit(), rates[0], rates[rates.length - 1]));
      if (!entry.getKey().startsWith("disk fsync") && entry.getValue().size() == rounds) {
        for (String probe : byName.keySet()) {
          if (probe.startsWith("disk fsync") && byName.get(probe).size() == rounds) {
            double[] ratios = new double[rounds];
            for (int i = 0; i < rounds; i++) {
              ratios[i] = entry.getValue().get(i).rate() / byName.get(probe).get(i).rate();
            }
            Arrays.sort(ratios);
            line.append(String.format("  %.2fx %s (%.2f-%.2f)", median(ratios),
                probe.contains("preallocated") ? "preallocated" : "appending", ratios[0], ratios[rounds - 1]));
          }
        }
      }
      System.out.println(line);
    }
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
