package nats.bench.internal;

import java.util.Locale;

/** The load patterns the tool can run. */
public enum Scenario {
  /** N publishers, no subscribers: how fast the server ingests messages. */
  PUB("pub", Param.PUBS, 5_000_000,
      "N publishers (--pubs) send as fast as the server takes them; msgs/s and MB/s."),
  /** One publisher, one subscriber on the same subject. */
  PUBSUB("pubsub", Param.NONE, 2_000_000,
      "1 publisher, 1 subscriber on one subject; throughput measured at the subscriber."),
  /** The publisher inside the server (the bench-inproc plugin), one network subscriber. */
  INPROC("inproc", Param.NONE, 2_000_000,
      "in-process publisher (jnatsd with the bench-inproc plugin), 1 network subscriber;"
          + " compare with pubsub."),
  /** One network publisher, the subscriber inside the server (the bench-inproc plugin). */
  INPROC_SUB("inproc-sub", Param.NONE, 2_000_000,
      "1 network publisher, in-process subscriber (jnatsd with the bench-inproc plugin);"
          + " compare with pubsub."),
  /** One publisher, K subscribers on the same subject. */
  FANOUT("fanout", Param.SUBS, 8_000_000,
      "1 publisher, K subscribers (--subs, default 8); total and per-subscriber deliveries/s."),
  /** Publishers in N accounts on one cluster node, their subscribers on another (cluster-compare). */
  FANIN("fanin", Param.PUBS, 1_000_000,
      "N accounts (--pubs; users acc1..accN, password = user): in each, one publisher on the"
          + " first node and one subscriber on the second; total deliveries/s (cluster-compare only)."),
  /** One publisher, K subscribers in one queue group. */
  QUEUE("queue", Param.SUBS, 2_000_000,
      "1 publisher, K subscribers in one queue group; each message must arrive exactly once."),
  /** Request/reply with latency percentiles, one or several concurrent requesters. */
  REQREP("reqrep", Param.CLIENTS, 20_000,
      "C requesters (--clients, default 1), 1 responder; each requester waits for its reply;"
          + " latency p50/p90/p99/p99.9/max."),
  /** Publishing while another connection subscribes and unsubscribes, paced by the publisher. */
  CHURN("churn", Param.NONE, 2_000_000,
      "1 publisher over 100 subjects, 1 wildcard subscriber, 1 connection doing SUB/UNSUB"
          + " (1 pair per 20 messages); msgs/s and SUB+UNSUB pairs/s."),
  /** Subscribers that stop reading while a publisher runs, and the server's peak memory. */
  SLOWSUB("slowsub", Param.SUBS, 0,
      "K subscribers (default 100 here) stop reading while 1 publisher sends --stall-bytes to"
          + " each; the server's peak RSS (VmHWM) and RSS."),
  /** Idle connections and the server's resident memory. */
  MEMORY("memory", Param.NONE, 0,
      "Opens C idle connections (--conns) and reads the server's VmRSS (--pid)."),
  /** JetStream publish with a bounded window of outstanding acks. */
  JS_PUB("js-pub", Param.PUBS, 200_000,
      "JetStream async publish: N publishers (--pubs), each with --ack-window acks outstanding."),
  /** JetStream publish, one at a time. */
  JS_PUB_SYNC("js-pub-sync", Param.CLIENTS, 10_000,
      "JetStream sync publish: each client waits for its PubAck; ack latency p50/p99."),
  /** Pull consumer fetching in batches with explicit acks. */
  JS_FETCH("js-fetch", Param.NONE, 100_000,
      "JetStream pull consumer: fetch --batch messages per request, +ACK each one."),
  /** KV put, one at a time. */
  JS_KV_PUT("js-kv-put", Param.CLIENTS, 10_000,
      "JetStream KV put (sync) over --keys keys; latency p50/p99."),
  /** KV get through the direct-get API. */
  JS_KV_GET("js-kv-get", Param.CLIENTS, 20_000,
      "JetStream KV get ($JS.API.DIRECT.GET) over --keys keys; latency p50/p99."),
  /** MQTT QoS 0, one publisher and one subscriber on the server's MQTT listener. */
  MQTT_PUBSUB("mqtt-pubsub", Param.NONE, 1_000_000,
      "MQTT 3.1.1 QoS 0: 1 publisher, 1 subscriber on one topic (the server's MQTT listener);"
          + " throughput measured at the subscriber."),
  /** MQTT QoS 1 with a window of unacknowledged publishes. */
  MQTT_PUBSUB_QOS1("mqtt-pubsub1", Param.NONE, 200_000,
      "MQTT 3.1.1 QoS 1: 1 publisher with --ack-window PUBLISHes awaiting their PUBACK, 1"
          + " subscriber acknowledging every delivery; throughput measured at the subscriber."),
  /** MQTT QoS 1 one message at a time: publish until the subscriber has it. */
  MQTT_RTT("mqtt-rtt", Param.NONE, 20_000,
      "MQTT 3.1.1 QoS 1 round trip: publish one message, wait until the subscriber has it;"
          + " latency p50/p90/p99/p99.9/max."),
  /** Async publish to an R3 file stream of a 3-node cluster (cluster-compare only). */
  JS_PUB_R3("js-pub-r3", Param.PUBS, 200_000,
      "JetStream async publish to an R3 file stream: N publishers (--pubs) on the nodes in turn,"
          + " each with --ack-window acks outstanding (cluster-compare only)."),
  /** Pull fetch with explicit acks from an R3 limits stream (cluster-compare only). */
  JS_FETCH_R3("js-fetch-r3", Param.NONE, 50_000,
      "JetStream pull consumer on an R3 file stream (limits retention), filled first: fetch --batch"
          + " messages per request, +ACK each one (cluster-compare only)."),
  /** The same from an R3 work-queue stream: every ack removes its message. */
  JS_WQ_R3("js-wq-r3", Param.NONE, 50_000,
      "As js-fetch-r3 from a work-queue stream; the stream must be empty afterwards"
          + " (cluster-compare only)."),
  /** The same from an R3 interest stream with one consumer: every ack removes its message. */
  JS_INTEREST_R3("js-interest-r3", Param.NONE, 50_000,
      "As js-fetch-r3 from an interest stream with one consumer; the stream must be empty"
          + " afterwards (cluster-compare only)."),
  /** Time to the first acknowledged publish after the stream leader's process is killed. */
  JS_FAILOVER("js-failover", Param.NONE, 0,
      "Sync publishes with retries to an R3 file stream while the stream leader's process is"
          + " killed (SIGKILL); ms from the kill to the next ack (cluster-compare only).");

  /** Which count a {@code name:N} spec sets. */
  enum Param {
    NONE, PUBS, SUBS, CLIENTS
  }

  private final String cliName;
  private final Param param;
  private final long defaultMsgs;
  private final String description;

  Scenario(String cliName, Param param, long defaultMsgs, String description) {
    this.cliName = cliName;
    this.param = param;
    this.defaultMsgs = defaultMsgs;
    this.description = description;
  }

  /** @return the command-line name, e.g. {@code pubsub} or {@code js-pub} */
  public String cliName() {
    return cliName;
  }

  /** @return the name under {@code nats-bench js}, e.g. {@code pub} for {@code js-pub} */
  public String jsSubcommand() {
    return cliName.substring("js-".length());
  }

  /** @return a one-line description for the usage help */
  public String description() {
    return description;
  }

  Param param() {
    return param;
  }

  /**
   * The default message (or request) count: for fan-out a budget of deliveries divided by the
   * subscribers, for request/reply scenarios per client, so runs last about as long whatever
   * the count of subscribers or clients.
   */
  long defaultMsgs(int subs, int clients) {
    return switch (this) {
      case FANOUT -> Math.max(10_000, defaultMsgs / Math.max(1, subs));
      case REQREP, JS_PUB_SYNC, JS_KV_PUT, JS_KV_GET -> defaultMsgs * Math.max(1, clients);
      default -> defaultMsgs;
    };
  }

  /** @return true for the JetStream scenarios, whose servers need JetStream enabled */
  public boolean jetStream() {
    return name().startsWith("JS_");
  }

  /** @return true for the MQTT scenarios, whose servers need an {@code mqtt} listener */
  public boolean mqtt() {
    return name().startsWith("MQTT_");
  }

  /** @return true for scenarios that need a cluster of servers ({@code cluster-compare} only) */
  public boolean clusterOnly() {
    return this == JS_PUB_R3 || this == JS_FAILOVER || fetchR3();
  }

  /** @return true for the R3 pull-fetch scenarios ({@code js-fetch-r3}, {@code js-wq-r3}, ...) */
  boolean fetchR3() {
    return this == JS_FETCH_R3 || this == JS_WQ_R3 || this == JS_INTEREST_R3;
  }

  /** @return the stream retention a scenario's stream is created with: limits but for the R3 fetches */
  String retention() {
    return switch (this) {
      case JS_WQ_R3 -> "workqueue";
      case JS_INTEREST_R3 -> "interest";
      default -> "limits";
    };
  }

  /** @return true if a warm-up run makes sense (not for memory measurements, nor a failover) */
  boolean warmsUp() {
    return this != MEMORY && this != SLOWSUB && this != JS_FAILOVER;
  }

  /** @return true if the payload size matters (memory ignores it) */
  boolean sized() {
    return this != MEMORY;
  }

  /**
   * Parses a command-line name.
   *
   * @param name e.g. {@code fanout} or {@code js-kv-get}
   * @return the scenario
   * @throws IllegalArgumentException if unknown
   */
  public static Scenario parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Scenario s : values()) {
      if (s.cliName.equals(n)) {
        return s;
      }
    }
    StringBuilder known = new StringBuilder();
    for (Scenario s : values()) {
      known.append(known.isEmpty() ? "" : ", ").append(s.cliName);
    }
    throw new IllegalArgumentException("unknown scenario '" + name + "' (expected " + known + ")");
  }
}
