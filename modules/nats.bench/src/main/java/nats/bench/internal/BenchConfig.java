package nats.bench.internal;

/**
 * Everything one scenario run needs, resolved from the command line.
 *
 * @param scenario what to run
 * @param address server to connect to
 * @param msgs messages (or requests) to send in the measured run, all clients together
 * @param size payload size in bytes
 * @param subs subscribers for fanout, queue and slowsub
 * @param pubs publishers for pub and js-pub
 * @param clients concurrent requesters for reqrep and the synchronous JetStream scenarios
 * @param durationLimitSeconds hard bound on one run, warm-up included separately
 * @param warmup messages sent in a discarded run first (0 for none)
 * @param flowInterval messages between publisher PINGs
 * @param maxPings unanswered publisher PINGs allowed
 * @param windowBytes how far (in delivered bytes) the publisher may run ahead of the slowest
 *     subscriber
 * @param conns idle connections for memory
 * @param pid server process id for CPU and memory figures (0 if unknown)
 * @param readers threads reading the subscriber connections
 * @param stallBytes bytes each stalled subscriber is sent in slowsub
 * @param js JetStream settings
 */
public record BenchConfig(Scenario scenario, NatsAddress address, long msgs, int size, int subs,
    int pubs, int clients, long durationLimitSeconds, long warmup, int flowInterval, int maxPings,
    long windowBytes, int conns, long pid, int readers, long stallBytes, JsOptions js) {

  /**
   * JetStream settings.
   *
   * @param storage {@code file} or {@code memory}
   * @param ackWindow acks an async publisher may have outstanding
   * @param batch messages per pull request of js-fetch
   * @param keys distinct keys of the KV scenarios
   * @param replicas replicas of js-pub's stream (above 1 on a cluster)
   */
  public record JsOptions(String storage, int ackWindow, int batch, int keys, int replicas) {
    /** Validates ranges. */
    public JsOptions {
      require(storage.equals("file") || storage.equals("memory"),
          "--storage must be file or memory");
      require(ackWindow >= 1 && ackWindow <= 1_000_000, "--ack-window must be 1..1000000");
      require(batch >= 1 && batch <= 100_000, "--batch must be 1..100000");
      require(keys >= 1 && keys <= 1_000_000, "--keys must be 1..1000000");
      require(replicas >= 1 && replicas <= 5, "--replicas must be 1..5");
    }

    /** The defaults: file storage, 256 outstanding acks, batches of 100, 1,000 keys, one replica. */
    public static JsOptions defaults() {
      return new JsOptions("file", 256, 100, 1000, 1);
    }
  }

  /** Validates ranges so scenarios can trust their inputs. */
  public BenchConfig {
    require(msgs >= 1 || scenario == Scenario.MEMORY, "--msgs must be at least 1");
    require(size >= 0 && size <= 64 * 1024 * 1024, "--size must be 0..67108864");
    require(subs >= 1 && subs <= 1000, "--subs must be 1..1000");
    require(pubs >= 1 && pubs <= 1000, "--pubs must be 1..1000");
    require(clients >= 1 && clients <= 1000, "--clients must be 1..1000");
    require(durationLimitSeconds >= 1 && durationLimitSeconds <= 86_400,
        "--duration-limit must be 1..86400 seconds");
    require(warmup >= 0, "--warmup must be >= 0");
    require(flowInterval >= 1, "--flow-interval must be at least 1");
    require(maxPings >= 1, "--max-pings must be at least 1");
    require(windowBytes >= 1024, "--window-bytes must be at least 1024 bytes");
    require(conns >= 1 && conns <= 1_000_000, "--conns must be 1..1000000");
    require(readers >= 1 && readers <= 64, "--readers must be 1..64");
    require(stallBytes >= 1024, "--stall-bytes must be at least 1024");
  }

  /**
   * A configuration with the tool's defaults (as the command line would give them), for tests
   * and callers that set only a few values.
   */
  public static BenchConfig defaults(Scenario scenario, NatsAddress address) {
    int subs = scenario == Scenario.SLOWSUB ? 100 : 8;
    BenchConfig c = new BenchConfig(scenario, address, 1, 16, subs, 1, 1, 60, 0, 10_000, 4,
        8L << 20, 10_000, 0, 1, 16L << 20, JsOptions.defaults());
    return c.withMsgs(c.defaultMsgs());
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** @return the scenario's default message count for these counts and this size */
  long defaultMsgs() {
    if (scenario == Scenario.SLOWSUB) {
      return Math.max(1, stallBytes / Protocol.msgFrameLength(Subjects.unique("x"), size));
    }
    return Math.max(1, scenario.defaultMsgs(subs, clients));
  }

  /** @return the same run with a different message count (the warm-up run has no warm-up) */
  public BenchConfig withMsgs(long n) {
    return new BenchConfig(scenario, address, n, size, subs, pubs, clients, durationLimitSeconds,
        0, flowInterval, maxPings, windowBytes, conns, pid, readers, stallBytes, js);
  }

  /** @return the same run with a warm-up of {@code n} messages */
  public BenchConfig withWarmup(long n) {
    return new BenchConfig(scenario, address, msgs, size, subs, pubs, clients,
        durationLimitSeconds, n, flowInterval, maxPings, windowBytes, conns, pid, readers,
        stallBytes, js);
  }

  /** @return the same run with another payload size */
  public BenchConfig withSize(int n) {
    return new BenchConfig(scenario, address, msgs, n, subs, pubs, clients, durationLimitSeconds,
        warmup, flowInterval, maxPings, windowBytes, conns, pid, readers, stallBytes, js);
  }

  /** @return the same run with other subscriber, publisher and client counts */
  public BenchConfig withCounts(int subscribers, int publishers, int requesters) {
    return new BenchConfig(scenario, address, msgs, size, subscribers, publishers, requesters,
        durationLimitSeconds, warmup, flowInterval, maxPings, windowBytes, conns, pid, readers,
        stallBytes, js);
  }

  /** @return the same run with another duration limit */
  public BenchConfig withDurationLimit(long seconds) {
    return new BenchConfig(scenario, address, msgs, size, subs, pubs, clients, seconds, warmup,
        flowInterval, maxPings, windowBytes, conns, pid, readers, stallBytes, js);
  }

  /** @return the same run with other publisher flow-control settings */
  public BenchConfig withFlow(int interval, int pings, long window) {
    return new BenchConfig(scenario, address, msgs, size, subs, pubs, clients,
        durationLimitSeconds, warmup, interval, pings, window, conns, pid, readers, stallBytes,
        js);
  }

  /** @return the same run with another connection count and server pid (memory) */
  public BenchConfig withConns(int n, long serverPid) {
    return new BenchConfig(scenario, address, msgs, size, subs, pubs, clients,
        durationLimitSeconds, warmup, flowInterval, maxPings, windowBytes, n, serverPid, readers,
        stallBytes, js);
  }

  /** @return the same run with another stall size (slowsub) */
  public BenchConfig withStallBytes(long n) {
    return new BenchConfig(scenario, address, msgs, size, subs, pubs, clients,
        durationLimitSeconds, warmup, flowInterval, maxPings, windowBytes, conns, pid, readers, n,
        js);
  }

  /** Messages the publisher may run ahead of the slowest subscriber, from the byte window. */
  long windowMsgs(String subject) {
    return Math.max(1, windowBytes / Protocol.msgFrameLength(subject, size));
  }

  /**
   * Publisher checkpoint interval when subscribers must keep up: at most a quarter of the window,
   * because the publisher only looks at subscriber progress at checkpoints.
   */
  int flowIntervalWithSubscribers(String subject) {
    return (int) Math.max(1, Math.min(flowInterval, windowMsgs(subject) / 4));
  }

  /** Publisher {@code i}'s share when {@code parts} publishers send the run's messages; the first take the rest. */
  long share(int i, int parts) {
    return msgs / parts + (i < msgs % parts ? 1 : 0);
  }
}
