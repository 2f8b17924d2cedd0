package nats.bench.internal;

import java.util.Locale;

/** The load patterns the tool can run. */
public enum Scenario {
  /** N publishers, no subscribers: how fast the server ingests messages. */
  PUB("N publishers send as fast as the server takes them; reports msgs/s and MB/s.", 1_000_000),
  /** One publisher, one subscriber on the same subject. */
  PUBSUB("1 publisher, 1 subscriber on one subject; throughput measured at the subscriber.",
      1_000_000),
  /** One publisher, K subscribers on the same subject. */
  FANOUT("1 publisher, K subscribers (--subs, default 8); total and per-subscriber deliveries/s.",
      1_000_000),
  /** One publisher, K subscribers in one queue group. */
  QUEUE("1 publisher, K subscribers in one queue group; checks each message arrives exactly once.",
      1_000_000),
  /** Sequential request/reply with latency percentiles. */
  REQREP("1 requester, 1 responder; sequential requests, latency p50/p90/p99/p99.9/max.", 20_000),
  /** Idle connections and the server's resident memory. */
  MEMORY("Opens C idle connections (--conns) and reads the server's VmRSS (--pid).", 0);

  private final String description;
  private final long defaultMsgs;

  Scenario(String description, long defaultMsgs) {
    this.description = description;
    this.defaultMsgs = defaultMsgs;
  }

  /** @return the command-line name, e.g. {@code pubsub} */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return a one-line description for the usage help */
  public String description() {
    return description;
  }

  /** @return the default message (or request) count */
  public long defaultMsgs() {
    return defaultMsgs;
  }

  /** @return true for the scenarios that report message throughput */
  public boolean isThroughput() {
    return this == PUB || this == PUBSUB || this == FANOUT || this == QUEUE;
  }

  /**
   * Parses a command-line name.
   *
   * @param name e.g. {@code fanout}
   * @return the scenario
   * @throws IllegalArgumentException if unknown
   */
  public static Scenario parse(String name) {
    for (Scenario s : values()) {
      if (s.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scenario '" + name
        + "' (expected pub, pubsub, fanout, queue, reqrep or memory)");
  }
}
