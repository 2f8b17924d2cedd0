package nats.bench.internal;

/**
 * The JSON documents the JetStream scenarios send: stream, KV bucket and consumer configurations
 * as the Go server (2.9) and the official clients spell them.
 */
final class JsConfigs {
  private JsConfigs() {}

  /** A plain stream over {@code subjects}, limits retention, one replica. */
  static String stream(String name, String subjects, String storage) {
    return stream(name, subjects, storage, 1);
  }

  /** The same stream with {@code replicas} replicas (a clustered stream when above 1). */
  static String stream(String name, String subjects, String storage, int replicas) {
    return stream(name, subjects, storage, replicas, "limits");
  }

  /** The same stream with a retention policy: {@code limits}, {@code workqueue} or {@code interest}. */
  static String stream(String name, String subjects, String storage, int replicas,
      String retention) {
    return "{\"name\":" + Json.quote(name) + ",\"subjects\":[" + Json.quote(subjects) + "],"
        + "\"retention\":" + Json.quote(retention) + ",\"max_consumers\":-1,\"max_msgs\":-1,\"max_bytes\":-1,"
        + "\"max_age\":0,\"max_msgs_per_subject\":-1,\"discard\":\"old\","
        + "\"storage\":" + Json.quote(storage) + ",\"num_replicas\":" + replicas + "}";
  }

  /**
   * A KV bucket's stream, as the clients create it: {@code KV_<bucket>} over
   * {@code $KV.<bucket>.>}, one value per key, direct get allowed, roll-ups allowed, deletes
   * denied, new messages refused when full, a 2-minute duplicate window.
   */
  static String kvStream(String bucket, String storage) {
    return "{\"name\":" + Json.quote("KV_" + bucket) + ",\"subjects\":["
        + Json.quote("$KV." + bucket + ".>") + "],\"retention\":\"limits\","
        + "\"max_consumers\":-1,\"max_msgs\":-1,\"max_bytes\":-1,\"max_age\":0,"
        + "\"max_msgs_per_subject\":1,\"max_msg_size\":-1,\"discard\":\"new\","
        + "\"storage\":" + Json.quote(storage) + ",\"num_replicas\":1,"
        + "\"duplicate_window\":120000000000,\"allow_direct\":true,\"mirror_direct\":false,"
        + "\"allow_rollup_hdrs\":true,\"deny_delete\":true,\"deny_purge\":false,"
        + "\"sealed\":false}";
  }

  /** A durable pull consumer with explicit acks, delivering from the start. */
  static String pullConsumer(String stream, String durable, int maxAckPending) {
    return "{\"stream_name\":" + Json.quote(stream) + ",\"config\":{\"durable_name\":"
        + Json.quote(durable) + ",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\","
        + "\"ack_wait\":30000000000,\"max_deliver\":-1,\"replay_policy\":\"instant\","
        + "\"max_waiting\":512,\"max_ack_pending\":" + maxAckPending + "}}";
  }

  /** A pull request for {@code batch} messages that expires after {@code expiresNanos}. */
  static String pullRequest(int batch, long expiresNanos) {
    return "{\"batch\":" + batch + ",\"expires\":" + expiresNanos + "}";
  }
}
