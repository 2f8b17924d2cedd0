package nats.bench.internal;

import java.util.Map;

/**
 * CPU time of the server and of this load generator over a measured window, from {@code /proc}.
 *
 * <p>Both sides are read the same way (user + system time of the whole process, all threads), so
 * the generator's share shows whether the server or the generator was the bottleneck: a
 * generator that uses more than a third of the server's CPU per message is flagged, because on a
 * small machine it then competes with the server for the cores.
 */
final class CpuMeter {
  /** Above this share of the server's CPU, the generator may be what limits the result. */
  static final double MAX_CLIENT_SHARE = 1.0 / 3;

  private final long pid;
  private final long serverStart;
  private final long clientStart;
  private long pausedServer;
  private long pausedClient;
  private long excludedServer;
  private long excludedClient;

  private CpuMeter(long pid) {
    this.pid = pid;
    this.serverStart = pid > 0 ? ProcFs.cpuNanosTree(pid) : -1;
    this.clientStart = ProcFs.selfCpuNanos();
  }

  /**
   * Starts measuring.
   *
   * @param pid the server's process id, or 0 if unknown (then only the generator is measured)
   */
  static CpuMeter start(long pid) {
    return new CpuMeter(pid);
  }

  /** Stops counting (work of the generator's own that is not the load, such as a disk probe). */
  void pause() {
    pausedServer = serverStart >= 0 ? ProcFs.cpuNanosTree(pid) : -1;
    pausedClient = ProcFs.selfCpuNanos();
  }

  /** Counts again after {@link #pause()}: the CPU used in between is left out. */
  void resume() {
    if (pausedServer >= 0) {
      excludedServer += ProcFs.cpuNanosTree(pid) - pausedServer;
    }
    if (pausedClient >= 0) {
      excludedClient += ProcFs.selfCpuNanos() - pausedClient;
    }
  }

  /**
   * Ends the window and adds the CPU metrics.
   *
   * @param m metrics to add to
   * @param msgs messages (or requests, operations) the window handled
   * @param deliveries messages delivered to subscribers, if that differs from {@code msgs}
   *     (fan-out); 0 to leave out the per-delivery figure
   */
  void finish(Map<String, Number> m, long msgs, long deliveries) {
    long serverEnd = serverStart >= 0 ? ProcFs.cpuNanosTree(pid) : -1;
    long clientEnd = ProcFs.selfCpuNanos();
    long server = serverStart >= 0 && serverEnd >= 0
        ? Math.max(0, serverEnd - serverStart - excludedServer) : -1;
    long client = clientStart >= 0 && clientEnd >= 0
        ? Math.max(0, clientEnd - clientStart - excludedClient) : -1;
    if (server >= 0) {
      m.put("server_cpu_ms", server / 1_000_000);
      if (msgs > 0) {
        m.put("server_ns_per_msg", server / (double) msgs);
      }
      if (deliveries > 0) {
        m.put("server_ns_per_delivery", server / (double) deliveries);
      }
    }
    if (client >= 0) {
      m.put("client_cpu_ms", client / 1_000_000);
      if (msgs > 0) {
        m.put("client_ns_per_msg", client / (double) msgs);
      }
    }
    if (server > 0 && client >= 0) {
      m.put("client_cpu_share", client / (double) server);
    }
  }

  /** @return a warning if the generator used more than a third of the server's CPU, else null */
  static String shareWarning(Result r) {
    double share = r.metric("client_cpu_share");
    if (Double.isNaN(share) || share <= MAX_CLIENT_SHARE) {
      return null;
    }
    return String.format(java.util.Locale.ROOT,
        "load generator used %.2fx the server's CPU (above 1/3: it may limit the result)", share);
  }
}
