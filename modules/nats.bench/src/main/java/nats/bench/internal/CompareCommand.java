package nats.bench.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nats-bench compare}: runs scenarios against two server commands in alternation (ABAB...),
 * each run on a freshly started server process, and prints medians per server with the ratio
 * A/B. With only {@code --server-a} it repeats the runs against that one server.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Start server A and B as child processes on free loopback ports and compare"
        + " them, alternating A,B per round, a fresh process for every run.")
public final class CompareCommand implements Callable<Integer> {
  /** The scenarios of a default comparison. */
  static final String DEFAULT_SCENARIOS =
      "pub,pubsub,fanout,fanout:64,fanout:256,queue,reqrep,reqrep:4,churn,slowsub";

  /** Creates the command (instantiated by picocli). */
  public CompareCommand() {}

  @Spec
  CommandSpec spec;

  @Option(names = "--server-a", required = true, paramLabel = "CMD",
      description = "Command of server A, split on spaces; {port} is replaced by the port.")
  String serverA;

  @Option(names = "--server-b", paramLabel = "CMD",
      description = "Command of server B, split on spaces; {port} is replaced by the port."
          + " Without it, only server A is measured.")
  String serverB;

  @Option(names = "--scenarios", split = ",", paramLabel = "LIST",
      defaultValue = DEFAULT_SCENARIOS,
      description = "Scenarios to run, each NAME or NAME:N (N = subscribers, publishers or"
          + " clients): pub, pubsub, fanout, queue, reqrep, churn, slowsub, memory, js-pub,"
          + " js-pub-sync, js-fetch, js-kv-put, js-kv-get, mqtt-pubsub, mqtt-pubsub1,"
          + " mqtt-rtt (default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(names = "--sizes", split = ",", paramLabel = "LIST", defaultValue = "16,128",
      description = "Payload sizes in bytes (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(names = "--js-sizes", split = ",", paramLabel = "LIST", defaultValue = "128",
      description = "Payload sizes of the JetStream scenarios (default: ${DEFAULT-VALUE}).")
  List<Integer> jsSizes;

  @Option(names = "--js-args", paramLabel = "ARGS", defaultValue = "-js -sd {storedir}",
      description = "Appended to a server's command for the JetStream scenarios; {storedir} is"
          + " a fresh temporary directory per run, deleted afterwards (default: ${DEFAULT-VALUE}).")
  String jsArgs;

  @Option(names = "--mqtt-args", paramLabel = "ARGS", defaultValue = "-c {conf}",
      description = "Appended to a server's command for the MQTT scenarios; {conf} is a"
          + " configuration file written per run with server_name, jetstream (a fresh store"
          + " directory) and an mqtt listener on a free port (default: ${DEFAULT-VALUE}).")
  String mqttArgs;

  @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
      description = "Rounds per scenario and size; each round runs A then B (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "How long a server may take to accept connections (default: ${DEFAULT-VALUE}).")
  int startTimeout;

  @Mixin
  LoadOptions load;

  /** A validated plan: what to run, resolved from the options. */
  record Plan(List<ScenarioSpec> specs, List<Integer> sizes, List<Integer> jsSizes, int rounds) {
    /** @return the scenarios, without their counts */
    List<Scenario> scenarios() {
      return specs.stream().map(ScenarioSpec::scenario).toList();
    }

    List<Integer> sizesFor(ScenarioSpec s) {
      return !s.scenario().sized() ? List.of(0) : s.scenario().jetStream() ? jsSizes : sizes;
    }
  }

  Plan plan() {
    try {
      List<ScenarioSpec> list = new ArrayList<>();
      for (String s : scenarios) {
        list.add(ScenarioSpec.parse(s));
      }
      if (rounds < 1 || rounds > 100) {
        throw new IllegalArgumentException("--rounds must be 1..100");
      }
      if (startTimeout < 1 || startTimeout > 600) {
        throw new IllegalArgumentException("--start-timeout must be 1..600 seconds");
      }
      ServerProcess.command(serverA, 1);
      if (serverB != null) {
        ServerProcess.command(serverB, 1);
      }
      Plan plan = new Plan(List.copyOf(list), List.copyOf(sizes), List.copyOf(jsSizes), rounds);
      for (ScenarioSpec s : list) { // validate every option combination before starting anything
        for (int size : plan.sizesFor(s)) {
          load.toConfig(s, new NatsAddress("127.0.0.1", 4222), size, 0);
        }
      }
      return plan;
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
    List<String> labels = serverB == null ? List.of("A") : List.of("A", "B");
    List<String> cmds = serverB == null ? List.of(serverA) : List.of(serverA, serverB);
    try {
      printFsyncProbe(plan, out, json);
      for (ScenarioSpec s : plan.specs()) {
        for (int size : plan.sizesFor(s)) {
          for (int round = 1; round <= plan.rounds(); round++) {
            for (int i = 0; i < labels.size(); i++) {
              Result r = runOne(labels.get(i), cmds.get(i), s, size).withScenario(s.label());
              runs.add(new CompareTable.Run(labels.get(i), round, r));
              if (json) {
                Map<String, Object> prefix = new LinkedHashMap<>();
                prefix.put("server", labels.get(i));
                prefix.put("round", round);
                out.println(r.toJson(prefix));
              } else {
                out.printf("[%s round %d/%d] %s%n", labels.get(i), round, plan.rounds(),
                    r.toText());
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
      out.println("B = " + (serverB == null ? "(none)" : serverB));
      out.print(CompareTable.format(rows));
    }
    out.flush();
    return runs.stream().allMatch(r -> r.result().ok()) ? 0 : 1;
  }

  private static void printFsyncProbe(Plan plan, PrintWriter out, boolean json)
      throws IOException {
    if (plan.scenarios().stream().noneMatch(Scenario::jetStream)) {
      return;
    }
    FsyncProbe.Probe p = FsyncProbe.measure(FsyncProbe.tempDir(), 2_000_000_000L);
    Result r = new Result("fsync-probe", 128, true, null, p.metrics());
    out.println(json ? r.toJson(Map.of()) : r.toText());
    out.flush();
  }

  /**
   * Starts the server, runs one scenario against it, stops it. A server that does not start
   * aborts the comparison, except for a JetStream scenario, which then reports JetStream as not
   * available.
   */
  private Result runOne(String label, String cmd, ScenarioSpec s, int size) throws IOException {
    Path storeDir = null;
    String template = cmd;
    MqttListener mqtt = null;
    if (s.scenario().jetStream()) {
      storeDir = Files.createTempDirectory("nats-bench-js-");
      template = cmd + " " + jsArgs.replace("{storedir}", storeDir.toString());
    } else if (s.scenario().mqtt()) {
      storeDir = Files.createTempDirectory("nats-bench-mqtt-");
      mqtt = MqttListener.configure(storeDir);
      template = cmd + " " + mqttArgs.replace("{conf}", mqtt.conf().toString());
    }
    try {
      ServerProcess server;
      try {
        server = ServerProcess.start(label, template, Duration.ofSeconds(startTimeout));
      } catch (IOException e) {
        if (!s.scenario().jetStream()) {
          throw e;
        }
        return Result.jsUnavailable(s.scenario().cliName(), size, "server " + label
            + " did not start with " + jsArgs + ": " + lastLine(e));
      }
      try (server) {
        NatsAddress target = server.address();
        if (mqtt != null) {
          mqtt.awaitListening(server, Duration.ofSeconds(startTimeout));
          target = mqtt.address();
        }
        Result r = Benchmarks.run(load.toConfig(s, target, size, server.pid()));
        if (!server.isAlive()) {
          return new Result(r.scenario(), r.size(), false, "server " + label
              + " exited during the run" + (r.note() == null ? "" : "; " + r.note()),
              r.metrics());
        }
        return r;
      }
    } finally {
      if (storeDir != null) {
        deleteTree(storeDir);
      }
    }
  }

  /** The last non-blank line of a start failure: the server's own complaint. */
  private static String lastLine(IOException e) {
    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
    return msg.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse(msg).trim();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // A leftover file in the temp directory is harmless.
        }
      });
    } catch (IOException e) {
      // Same: best effort.
    }
  }
}
