package nats.bench.internal;

import java.io.IOException;

/** Runs a scenario, preceded by a discarded warm-up run when one is configured. */
public final class Benchmarks {
  private static final System.Logger LOG = System.getLogger(Benchmarks.class.getName());

  private Benchmarks() {}

  /**
   * Runs the configured scenario. Never throws for a failed run: failures become incomplete
   * results carrying the reason, so a comparison can go on with the next run.
   *
   * @param cfg what to run
   * @return the measured result
   */
  public static Result run(BenchConfig cfg) {
    if (cfg.warmup() > 0 && cfg.scenario().warmsUp()) {
      // A separate short run warms up the server (JIT, buffers) without polluting the numbers.
      Result w = runOnce(cfg.withMsgs(cfg.warmup()));
      if (w.unavailable()) {
        return w; // no JetStream: the measured run would only say the same again
      }
      if (!w.complete()) {
        LOG.log(System.Logger.Level.WARNING, "warm-up run incomplete: {0}", w.note());
      }
    }
    return runOnce(cfg);
  }

  private static Result runOnce(BenchConfig cfg) {
    String name = cfg.scenario().cliName();
    int size = cfg.size();
    try {
      return switch (cfg.scenario()) {
        case PUB -> PubBench.run(cfg);
        case PUBSUB, FANOUT, QUEUE -> DeliveryBench.run(cfg);
        case INPROC -> InProcBench.run(cfg);
        case INPROC_SUB -> InProcSubBench.run(cfg);
        case REQREP -> ReqRepBench.run(cfg);
        case CHURN -> ChurnBench.run(cfg);
        case SLOWSUB -> SlowSubBench.run(cfg);
        case MEMORY -> MemoryBench.run(cfg);
        case JS_PUB, JS_PUB_SYNC, JS_FETCH, JS_KV_PUT, JS_KV_GET -> JsBench.run(cfg);
        case MQTT_PUBSUB, MQTT_PUBSUB_QOS1, MQTT_RTT -> MqttBench.run(cfg);
        case FANIN, JS_PUB_R3, JS_FAILOVER, JS_FETCH_R3, JS_WQ_R3, JS_INTEREST_R3 ->
            Result.failed(name, size, name + " runs only in cluster-compare");
      };
    } catch (IOException e) {
      return Result.failed(name, size, e.getMessage() == null ? e.toString() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.failed(name, size, "interrupted");
    } catch (Exception e) {
      return Result.failed(name, size, e.toString());
    }
  }
}
