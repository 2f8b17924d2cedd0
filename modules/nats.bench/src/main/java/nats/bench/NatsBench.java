package nats.bench;

import java.util.concurrent.Callable;
import nats.bench.internal.CompareCommand;
import nats.bench.internal.Scenario;
import nats.bench.internal.ScenarioCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of {@code nats-bench}, a raw-socket NATS load generator.
 *
 * <p>Usage: {@code nats-bench <pub|pubsub|fanout|queue|reqrep|memory> [options]} against a
 * running server, or {@code nats-bench compare --server-a CMD --server-b CMD [options]} to start
 * two servers and compare them. Exit code 0 means every run was complete, 1 that some run was
 * incomplete or failed, 2 a usage error.
 */
@Command(name = "nats-bench", mixinStandardHelpOptions = true, version = "nats-bench 0.1.0",
    description = "Raw-socket NATS load generator: throughput, latency and memory of a server.")
public final class NatsBench implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  private NatsBench() {}

  /**
   * Builds the command line with every scenario and {@code compare} as subcommands.
   *
   * @return a ready picocli command line
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new NatsBench());
    for (Scenario s : Scenario.values()) {
      CommandLine sub = new CommandLine(new ScenarioCommand(s));
      sub.getCommandSpec().usageMessage().description(s.description());
      cl.addSubcommand(s.cliName(), sub);
    }
    cl.addSubcommand("compare", new CompareCommand());
    cl.addSubcommand("store", new nats.bench.internal.store.StoreBenchCommand());
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
}
