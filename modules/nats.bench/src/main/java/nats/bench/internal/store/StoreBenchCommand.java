package nats.bench.internal.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import nats.jetstream.store.Durability;
import nats.jetstream.store.StoreProvider;
import nats.jetstream.store.StoreProviders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nats-bench store}: measures the JetStream file store on this machine's disk, in-process (no
 * server): the disk's fsync rate, durable and lazy appends from 1 and 64 writers, loads, recovery time.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
    description = "JetStream file store: fsync rate, durable/lazy appends (1 and 64 writers), loads, recovery.")
public final class StoreBenchCommand implements Callable<Integer> {

  @Option(names = "--dir", description = "Directory on the disk to measure (default: a new one under /tmp)")
  Path dir;

  @Option(names = "--duration", defaultValue = "5", description = "Seconds per measured row (default ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--size", defaultValue = "128", description = "Payload bytes (default ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--recovery-mib", defaultValue = "1024",
      description = "MiB written before timing recovery; 0 skips it (default ${DEFAULT-VALUE})")
  long recoveryMib;

  @Option(names = "--sync-interval-ms", defaultValue = "1000",
      description = "Sync interval of the lazy rows (default ${DEFAULT-VALUE})")
  long syncIntervalMs;

  @Option(names = "--rounds", defaultValue = "1",
      description = "Rounds of the fsync and append rows, one after another (so a noisy disk hits every row"
          + " alike); with more than one, medians and each row's ratio to the disk's rate in the same round"
          + " (default ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--only", split = ",",
      description = "Rows to run: fsync, durable1, durable64, lazy1, lazy64, loads, recovery (default: all)")
  List<String> only;

  @Override
  public Integer call() throws Exception {
    StoreProvider provider = StoreProviders.find(StoreProvider.FILE).orElse(null);
    if (provider == null) {
      System.err.println("nats-bench store: no file StoreProvider on the module path (nats.jetstream.store.file)");
      return 2;
    }
    Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("nats-bench-store");
    StoreBench bench = new StoreBench(provider, root, Duration.ofSeconds(seconds), size);
    Durability lazy = Durability.interval(Duration.ofMillis(syncIntervalMs));
    List<StoreBench.Row> rows = new ArrayList<>();
    System.out.printf("nats-bench store: %s, %d s per row, %d B payloads, %d cores%n", root, seconds, size,
        Runtime.getRuntime().availableProcessors());
    for (int round = 1; round <= rounds; round++) {
      if (rounds > 1) {
        System.out.printf("round %d/%d%n", round, rounds);
      }
      if (wanted("fsync")) {
        print(rows, bench.fsyncRate(false));
        print(rows, bench.fsyncRate(true));
      }
      if (wanted("durable1")) {
        print(rows, bench.durableAppends(1, Durability.ALWAYS));
        print(rows, bench.durableAppends(1, Durability.ALWAYS, true));
      }
      if (wanted("durable64")) {
        print(rows, bench.durableAppends(64, Durability.ALWAYS));
      }
      if (wanted("lazy1")) {
        print(rows, bench.durableAppends(1, lazy));
      }
      if (wanted("lazy64")) {
        print(rows, bench.durableAppends(64, lazy));
      }
    }
    if (rounds > 1) {
      RoundSummary.print(rows, rounds);
    }
    if (wanted("loads")) {
      for (StoreBench.Row row : bench.loads(500_000, 10_000, 1)) {
        print(rows, row);
      }
      for (StoreBench.Row row : bench.loads(500_000, 10_000, 2)) {
        print(rows, row);
      }
    }
    if (wanted("recovery") && recoveryMib > 0) {
      print(rows, bench.recovery(recoveryMib << 20));
    }
    if (dir == null) {
      try (var files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  private boolean wanted(String row) {
    return only == null || only.contains(row);
  }

  private static void print(List<StoreBench.Row> rows, StoreBench.Row row) {
    rows.add(row);
    System.out.printf("%-58s %14.1f %-7s %s%n", row.name(), row.rate(), row.unit(), row.detail());
  }
}
