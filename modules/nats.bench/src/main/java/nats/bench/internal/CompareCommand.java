package nats.bench.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nats-bench compare}: runs scenarios against two server commands in alternation (ABAB...)
 * and prints medians per server with the ratio A/B.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Start server A and B as child processes on free loopback ports and compare"
        + " them, alternating A,B per round.")
public final class CompareCommand implements Callable<Integer> {
  /** Creates the command (instantiated by picocli). */
  public CompareCommand() {}

  @Spec
  CommandSpec spec;

  @Option(names = "--server-a", required = true, paramLabel = "CMD",
      description = "Command of server A, split on spaces; {port} is replaced by the port.")
  String serverA;

  @Option(names = "--server-b", required = true, paramLabel = "CMD",
      description = "Command of server B, split on spaces; {port} is replaced by the port.")
  String serverB;

  @Option(names = "--scenarios", split = ",", paramLabel = "LIST",
      defaultValue = "pub,pubsub,fanout,queue,reqrep",
      description = "Scenarios to run: pub,pubsub,fanout,queue,reqrep,memory"
          + " (default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(names = "--sizes", split = ",", paramLabel = "LIST", defaultValue = "16,128",
      description = "Payload sizes in bytes (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
      description = "Rounds per scenario and size; each round runs A then B (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "How long a server may take to accept connections (default: ${DEFAULT-VALUE}).")
  int startTimeout;

  @Mixin
  LoadOptions load;

  /** A validated plan: what to run, resolved from the options. */
  record Plan(List<Scenario> scenarios, List<Integer> sizes, int rounds) {}

  Plan plan() {
    try {
      List<Scenario> list = new ArrayList<>();
      for (String s : scenarios) {
        list.add(Scenario.parse(s));
      }
      if (rounds < 1 || rounds > 100) {
        throw new IllegalArgumentException("--rounds must be 1..100");
      }
      if (startTimeout < 1 || startTimeout > 600) {
        throw new IllegalArgumentException("--start-timeout must be 1..600 seconds");
      }
      ServerProcess.command(serverA, 1);
      ServerProcess.command(serverB, 1);
      for (Scenario s : list) { // validate every option combination before starting anything
        for (int size : sizes) {
          load.toConfig(s, new NatsAddress("127.0.0.1", 4222), s == Scenario.MEMORY ? 0 : size,
              0);
        }
      }
      return new Plan(List.copyOf(list), List.copyOf(sizes), rounds);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  @Override
  public Integer call() {
    Plan plan = plan();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean json = load.json();
    List<CompareTable.Run> runs = new ArrayList<>();
    String[] labels = {"A", "B"};
    String[] cmds = {serverA, serverB};
    try {
      for (Scenario s : plan.scenarios()) {
        List<Integer> sizesFor = s == Scenario.MEMORY ? List.of(0) : plan.sizes();
        for (int size : sizesFor) {
          for (int round = 1; round <= plan.rounds(); round++) {
            for (int i = 0; i < 2; i++) {
              Result r = runOne(labels[i], cmds[i], s, size);
              runs.add(new CompareTable.Run(labels[i], round, r));
              if (json) {
                Map<String, Object> prefix = new LinkedHashMap<>();
                prefix.put("server", labels[i]);
                prefix.put("round", round);
                out.println(r.toJson(prefix));
              } else {
                out.printf("[%s round %d/%d] %s%n", labels[i], round, plan.rounds(), r.toText());
              }
              out.flush();
            }
          }
        }
      }
    } catch (IOException e) {
      err.println("nats-bench compare: " + e.getMessage());
      err.flush();
      return 1;
    }
    List<CompareTable.Row> rows = CompareTable.rows(runs);
    if (json) {
      rows.forEach(r -> out.println(r.json()));
    } else {
      out.println();
      out.println("A = " + serverA);
      out.println("B = " + serverB);
      out.print(CompareTable.format(rows));
    }
    out.flush();
    return runs.stream().allMatch(r -> r.result().complete()) ? 0 : 1;
  }

  /** Starts the server, runs one scenario against it, stops it. Start failures abort. */
  private Result runOne(String label, String cmd, Scenario s, int size) throws IOException {
    try (ServerProcess server = ServerProcess.start(label, cmd, Duration.ofSeconds(startTimeout))) {
      Result r = Benchmarks.run(load.toConfig(s, server.address(), size, server.pid()));
      if (!server.isAlive()) {
        return new Result(r.scenario(), r.size(), false, "server " + label
            + " exited during the run" + (r.note() == null ? "" : "; " + r.note()), r.metrics());
      }
      return r;
    }
  }
}
