package nats.bench.internal;

/**
 * Everything one scenario run needs, resolved from the command line.
 *
 * @param scenario what to run
 * @param address server to connect to
 * @param msgs messages (or requests) to send in the measured run
 * @param size payload size in bytes
 * @param subs subscribers for fanout and queue
 * @param pubs publishers for pub
 * @param durationLimitSeconds hard bound on one run, warm-up included separately
 * @param warmup messages sent in a discarded run first (0 for none)
 * @param flowInterval messages between publisher PINGs
 * @param maxPings unanswered publisher PINGs allowed
 * @param windowBytes how far (in delivered bytes) the publisher may run ahead of the slowest
 *     subscriber
 * @param conns idle connections for memory
 * @param pid server process id for memory (0 if unknown)
 */
public record BenchConfig(Scenario scenario, NatsAddress address, long msgs, int size, int subs,
    int pubs, long durationLimitSeconds, long warmup, int flowInterval, int maxPings,
    long windowBytes, int conns, long pid) {

  /** Validates ranges so scenarios can trust their inputs. */
  public BenchConfig {
    require(msgs >= 1 || scenario == Scenario.MEMORY, "--msgs must be at least 1");
    require(size >= 0 && size <= 64 * 1024 * 1024, "--size must be 0..67108864");
    require(subs >= 1 && subs <= 1000, "--subs must be 1..1000");
    require(pubs >= 1 && pubs <= 1000, "--pubs must be 1..1000");
    require(durationLimitSeconds >= 1 && durationLimitSeconds <= 86_400,
        "--duration-limit must be 1..86400 seconds");
    require(warmup >= 0, "--warmup must be >= 0");
    require(flowInterval >= 1, "--flow-interval must be at least 1");
    require(maxPings >= 1, "--max-pings must be at least 1");
    require(windowBytes >= 1024, "--window must be at least 1024 bytes");
    require(conns >= 1 && conns <= 1_000_000, "--conns must be 1..1000000");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** @return the same run with a different message count (used for the warm-up run) */
  public BenchConfig withMsgs(long n) {
    return new BenchConfig(scenario, address, n, size, subs, pubs, durationLimitSeconds, 0,
        flowInterval, maxPings, windowBytes, conns, pid);
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
}
