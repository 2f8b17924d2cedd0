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

  @Option(names = "--size", paramLabel = "BYTES",
      description = "Payload size in bytes (default: 16; 128 for the JetStream scenarios).")
  Integer size;

  @Option(names = "--pid", paramLabel = "PID", defaultValue = "0",
      description = "The server's process id, for its CPU time and memory (summed with its"
          + " descendants). Default: the process listening on the URL's port, if this user may"
          + " see it.")
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
      int s = size != null ? size : scenario.jetStream() ? 128 : 16;
      return load.toConfig(new ScenarioSpec(scenario, 0), address, s, pid);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  @Override
  public Integer call() {
    BenchConfig cfg = config();
    if (cfg.pid() == 0) {
      long found = ProcFs.listenerPid(cfg.address().port());
      cfg = cfg.withConns(cfg.conns(), found);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!load.json()) {
      String pidText = cfg.pid() > 0 ? Long.toString(cfg.pid())
          : "unknown (no server CPU or memory figures)";
      if (scenario == Scenario.MEMORY) {
        out.printf("nats-bench memory -> %s  conns=%,d server-pid=%s%n", cfg.address(),
            cfg.conns(), pidText);
      } else {
        out.printf("nats-bench %s -> %s  msgs=%,d size=%dB warmup=%,d server-pid=%s%n",
            scenario.cliName(), cfg.address(), cfg.msgs(), cfg.size(), cfg.warmup(), pidText);
      }
      out.flush();
    }
    Result r = Benchmarks.run(cfg);
    out.println(load.json() ? r.toJson(Map.of()) : r.toText());
    out.flush();
    return r.ok() ? 0 : 1;
  }
}
