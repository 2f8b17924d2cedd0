package nats.bench;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import nats.bench.internal.CompareCommand;
import nats.bench.internal.FsyncCommand;
import nats.bench.internal.Scenario;
import nats.bench.internal.ScenarioCommand;
import nats.bench.internal.store.StoreBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of {@code nats-bench}, a raw-socket NATS load generator.
 *
 * <p>Usage: {@code nats-bench <pub|pubsub|fanout|queue|reqrep|churn|slowsub|memory> [options]}
 * against a running server, {@code nats-bench js <pub|pub-sync|fetch|kv-put|kv-get|fsync>} for
 * JetStream, {@code nats-bench store} for the JetStream file store without a server, or
 * {@code nats-bench compare --server-a CMD [--server-b CMD] [options]} to start
 * servers and compare them. Exit code 0 means every run was complete, 1 that some run was
 * incomplete or failed, 2 a usage error.
 */
@Command(name = "nats-bench", mixinStandardHelpOptions = true, version = "nats-bench 0.2.0",
    description = "Raw-socket NATS load generator: throughput, latency, CPU per message and"
        + " memory of a server.")
public final class NatsBench implements Callable<Integer> {
  /**
   * Tool commands besides the scenarios, each a picocli {@code @Command} object with its own
   * name. Register a new command (for example a storage benchmark in its own package) by adding
   * its constructor here; its package must be opened to {@code info.picocli} in
   * {@code module-info.java}.
   */
  private static final List<Supplier<Object>> TOOL_COMMANDS =
      List.of(CompareCommand::new, StoreBenchCommand::new,
          nats.bench.internal.ClusterCompareCommand::new, nats.bench.internal.LeafCompareCommand::new,
          nats.bench.internal.GatewayCompareCommand::new);

  @Spec
  CommandSpec spec;

  private NatsBench() {}

  /**
   * Builds the command line with every scenario, the {@code js} group and the tool commands.
   *
   * @return a ready picocli command line
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new NatsBench());
    CommandLine js = new CommandLine(new JsGroup());
    for (Scenario s : Scenario.values()) {
      if (s.clusterOnly()) {
        continue; // run by cluster-compare, which starts the cluster they need
      }
      CommandLine sub = new CommandLine(new ScenarioCommand(s));
      sub.getCommandSpec().usageMessage().description(s.description());
      if (s.jetStream()) {
        js.addSubcommand(s.jsSubcommand(), sub);
      } else {
        cl.addSubcommand(s.cliName(), sub);
      }
    }
    js.addSubcommand("fsync", new FsyncCommand());
    cl.addSubcommand("js", js);
    for (Supplier<Object> command : TOOL_COMMANDS) {
      cl.addSubcommand(command.get());
    }
    return cl;
  }

  /**
   * Runs the tool and exits with its exit code.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** {@code nats-bench js}: the JetStream scenarios and the fsync probe. */
  @Command(name = "js", mixinStandardHelpOptions = true,
      description = "JetStream scenarios over the raw JSON API (server started with -js).")
  static final class JsGroup implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return 2;
    }
  }
}
