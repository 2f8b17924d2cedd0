package nats.bench.internal;

import picocli.CommandLine.Option;

/** Load options shared by the scenario commands and {@code compare} (a picocli mixin). */
public final class LoadOptions {
  /** Creates the mixin (instantiated by picocli). */
  public LoadOptions() {}

  @Option(names = "--msgs", paramLabel = "N", converter = CountConverter.class,
      description = "Messages to send (requests for reqrep). Default: 1,000,000; reqrep 20,000."
          + " Accepts 20k, 1m, 1_000_000.")
  Long msgs;

  @Option(names = "--subs", paramLabel = "K", defaultValue = "8",
      description = "Subscribers for fanout and queue (default: ${DEFAULT-VALUE}).")
  int subs;

  @Option(names = "--pubs", paramLabel = "N", defaultValue = "1",
      description = "Publishers for pub (default: ${DEFAULT-VALUE}).")
  int pubs;

  @Option(names = "--duration-limit", paramLabel = "SECONDS", defaultValue = "60",
      description = "Hard bound on each run; a run still going then stops and is reported"
          + " incomplete (default: ${DEFAULT-VALUE}).")
  long durationLimit;

  @Option(names = "--warmup", paramLabel = "N", converter = CountConverter.class,
      description = "Messages in a discarded warm-up run before the measured one"
          + " (default: 10%% of --msgs; 0 disables).")
  Long warmup;

  @Option(names = "--flow-interval", paramLabel = "N", defaultValue = "10000",
      description = "Publisher sends a PING every N messages (default: ${DEFAULT-VALUE}).")
  int flowInterval;

  @Option(names = "--max-pings", paramLabel = "N", defaultValue = "4",
      description = "Unanswered publisher PINGs allowed before it waits (default: ${DEFAULT-VALUE}).")
  int maxPings;

  @Option(names = "--window-bytes", paramLabel = "BYTES", converter = CountConverter.class,
      defaultValue = "8388608",
      description = "How far, in delivered bytes, the publisher may run ahead of the slowest"
          + " subscriber, to avoid slow-consumer disconnects (default: ${DEFAULT-VALUE}).")
  long windowBytes;

  @Option(names = "--conns", paramLabel = "C", defaultValue = "10000",
      description = "Idle connections for the memory scenario (default: ${DEFAULT-VALUE}).")
  int conns;

  @Option(names = "--json", description = "Print one JSON object per result instead of text.")
  boolean json;

  /** Resolves the options for one scenario, size and server. */
  BenchConfig toConfig(Scenario scenario, NatsAddress address, int size, long pid) {
    long n = msgs != null ? msgs : scenario.defaultMsgs();
    long w = scenario == Scenario.MEMORY ? 0 : warmup != null ? warmup : n / 10;
    return new BenchConfig(scenario, address, n, size, subs, pubs, durationLimit, w, flowInterval,
        maxPings, windowBytes, conns, pid);
  }

  boolean json() {
    return json;
  }
}
