package nats.bench.internal;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** One scenario against an already running server: {@code nats-bench <scenario> [options]}. */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
public final class ScenarioCommand implements Callable<Integer> {
  private final Scenario scenario;

  @Spec
  CommandSpec spec;

  @Mixin
  LoadOptions load;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "nats://127.0.0.1:4222",
      description = "Server address, nats://host:port or host:port; loopback only"
          + " (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--size", paramLabel = "BYTES", defaultValue = "16",
      description = "Payload size in bytes (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--pid", paramLabel = "PID", defaultValue = "0",
      description = "memory only: server process whose VmRSS (with descendants) is reported.")
  long pid;

  /**
   * Creates the command for one scenario.
   *
   * @param scenario what this command runs
   */
  public ScenarioCommand(Scenario scenario) {
    this.scenario = scenario;
  }

  /** Resolves the parsed options; usage errors become picocli parameter errors. */
  BenchConfig config() {
    try {
      NatsAddress address = NatsAddress.parse(url);
      address.requireLoopback();
      return load.toConfig(scenario, address, scenario == Scenario.MEMORY ? 0 : size, pid);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  @Override
  public Integer call() {
    BenchConfig cfg = config();
    PrintWriter out = spec.commandLine().getOut();
    if (!load.json()) {
      if (scenario == Scenario.MEMORY) {
        out.printf("nats-bench memory -> %s  conns=%,d pid=%d%n", cfg.address(), cfg.conns(),
            cfg.pid());
      } else {
        out.printf("nats-bench %s -> %s  msgs=%,d size=%dB warmup=%,d%n", scenario.cliName(),
            cfg.address(), cfg.msgs(), cfg.size(), cfg.warmup());
      }
      out.flush();
    }
    Result r = Benchmarks.run(cfg);
    out.println(load.json() ? r.toJson(Map.of()) : r.toText());
    out.flush();
    return r.complete() ? 0 : 1;
  }
}
