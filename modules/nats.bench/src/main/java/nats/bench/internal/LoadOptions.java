package nats.bench.internal;

import picocli.CommandLine.Option;

/** Load options shared by the scenario commands and {@code compare} (a picocli mixin). */
public final class LoadOptions {
  /** Creates the mixin (instantiated by picocli). */
  public LoadOptions() {}

  @Option(names = "--msgs", paramLabel = "N", converter = CountConverter.class,
      description = "Messages to send, all publishers or clients together. Default per scenario:"
          + " pub 5m, pubsub/queue/churn 2m, fanout 8m/K, reqrep 20k per client, slowsub"
          + " --stall-bytes worth, js-pub 200k, js-fetch 100k, js-kv-get 20k,"
          + " js-pub-sync/js-kv-put 10k per client. Accepts 20k, 1m, 1_000_000.")
  Long msgs;

  @Option(names = "--subs", paramLabel = "K",
      description = "Subscribers for fanout and queue (default 8) and slowsub (default 100).")
  Integer subs;

  @Option(names = "--pubs", paramLabel = "N", defaultValue = "1",
      description = "Publishers for pub and js-pub (default: ${DEFAULT-VALUE}).")
  int pubs;

  @Option(names = "--clients", paramLabel = "C", defaultValue = "1",
      description = "Concurrent requesters for reqrep, js-pub-sync, js-kv-put and js-kv-get"
          + " (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--duration-limit", paramLabel = "SECONDS", defaultValue = "60",
      description = "Hard bound on each run; a run still going then stops and is reported"
          + " incomplete (default: ${DEFAULT-VALUE}).")
  long durationLimit;

  @Option(names = "--warmup", paramLabel = "N", converter = CountConverter.class,
      description = "Messages in a discarded warm-up run before the measured one"
          + " (default: 10%% of --msgs; 0 disables; never for memory and slowsub).")
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

  @Option(names = "--readers", paramLabel = "T", defaultValue = "1",
      description = "Threads reading the subscriber connections, each polling its share with one"
          + " selector (default: ${DEFAULT-VALUE}).")
  int readers;

  @Option(names = "--conns", paramLabel = "C", defaultValue = "10000",
      description = "Idle connections for the memory scenario (default: ${DEFAULT-VALUE}).")
  int conns;

  @Option(names = "--stall-bytes", paramLabel = "BYTES", converter = CountConverter.class,
      defaultValue = "16777216",
      description = "slowsub: bytes of MSG frames sent to each stalled subscriber"
          + " (default: ${DEFAULT-VALUE}, below the 64 MiB max_pending of both servers).")
  long stallBytes;

  @Option(names = "--storage", paramLabel = "file|memory", defaultValue = "file",
      description = "JetStream stream storage (default: ${DEFAULT-VALUE}).")
  String storage;

  @Option(names = "--ack-window", paramLabel = "N", defaultValue = "256",
      description = "js-pub: acks each publisher may have outstanding (default: ${DEFAULT-VALUE}).")
  int ackWindow;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "100",
      description = "js-fetch: messages per pull request (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--keys", paramLabel = "N", defaultValue = "1000",
      description = "js-kv-put and js-kv-get: distinct keys (default: ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--replicas", paramLabel = "N", defaultValue = "1",
      description = "js-pub on a cluster: replicas of the stream; above 1 the create is retried until the meta"
          + " group has a leader and the run waits until the stream's replicas are current"
          + " (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(names = "--json", description = "Print one JSON object per result instead of text.")
  boolean json;

  /** Resolves the options for one scenario spec, size and server. */
  BenchConfig toConfig(ScenarioSpec spec, NatsAddress address, int size, long pid) {
    Scenario scenario = spec.scenario();
    int k = subs != null ? subs : scenario == Scenario.SLOWSUB ? 100 : 8;
    int p = pubs;
    int c = clients;
    switch (scenario.param()) {
      case SUBS -> k = spec.count() > 0 ? spec.count() : k;
      case PUBS -> p = spec.count() > 0 ? spec.count() : p;
      case CLIENTS -> c = spec.count() > 0 ? spec.count() : c;
      case NONE -> { }
    }
    BenchConfig cfg = new BenchConfig(scenario, address, 1, scenario.sized() ? size : 0, k, p, c,
        durationLimit, 0, flowInterval, maxPings, windowBytes, conns, pid, readers, stallBytes,
        new BenchConfig.JsOptions(storage, ackWindow, batch, keys, replicas));
    long n = msgs != null ? msgs : cfg.defaultMsgs();
    long w = !scenario.warmsUp() ? 0 : warmup != null ? warmup : n / 10;
    return cfg.withMsgs(n).withWarmup(w);
  }

  boolean json() {
    return json;
  }
}
