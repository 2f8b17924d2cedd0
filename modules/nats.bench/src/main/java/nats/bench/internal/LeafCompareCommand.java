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
 * {@code nats-bench leaf-compare}: starts a hub and its leaf of server A and of server B (each a child process
 * on a config file written here), runs the scenarios with the publisher (or requesters) on the hub and the
 * subscribers (or responder) on the leaf, so every message crosses the leaf connection, in alternation, and
 * prints medians and ratios A/B, CPU per message of both servers included.
 */
@Command(name = "leaf-compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start a hub and a leaf of server A and of server B as child processes and compare them with"
                + " the publisher on the hub and the subscribers on the leaf, alternating A,B per round.")
public final class LeafCompareCommand implements Callable<Integer> {

    /** Creates the command (instantiated by picocli). */
    public LeafCompareCommand() {
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--server-a", required = true, paramLabel = "CMD",
            description = "Command of a server A, split on spaces; {conf} is replaced by the config file written for"
                    + " the hub or the leaf (client, monitoring and leafnode ports, remotes), {name} by its name.")
    String serverA;

    @Option(names = "--server-b", required = true, paramLabel = "CMD", description = "Command of a server B.")
    String serverB;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST", defaultValue = "pubsub,fanout,queue,reqrep",
            description = "Scenarios: pubsub,fanout,queue,reqrep (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--sizes", split = ",", paramLabel = "LIST", defaultValue = "16,128",
            description = "Payload sizes in bytes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
            description = "Rounds per scenario and size (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long the leaf connection may take to form (default: ${DEFAULT-VALUE}).")
    int startTimeout;

    @Mixin
    LoadOptions load;

    @Override
    public Integer call() {
        List<Scenario> list = new ArrayList<>();
        try {
            for (String s : scenarios) {
                Scenario scenario = Scenario.parse(s);
                if (scenario != Scenario.PUBSUB && scenario != Scenario.FANOUT && scenario != Scenario.QUEUE
                        && scenario != Scenario.REQREP) {
                    throw new IllegalArgumentException("not a leaf scenario: " + s);
                }
                list.add(scenario);
            }
            if (rounds < 1 || rounds > 100) {
                throw new IllegalArgumentException("--rounds must be 1..100");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String[] labels = {"A", "B"};
        String[] cmds = {serverA, serverB};
        List<CompareTable.Run> runs = new ArrayList<>();
        try {
            for (Scenario s : list) {
                for (int size : sizes) {
                    for (int round = 1; round <= rounds; round++) {
                        for (int i = 0; i < 2; i++) {
                            Result r = runOne(labels[i], cmds[i], s, size);
                            runs.add(new CompareTable.Run(labels[i], round, r));
                            if (load.json()) {
                                Map<String, Object> prefix = new LinkedHashMap<>();
                                prefix.put("server", labels[i]);
                                prefix.put("round", round);
                                out.println(r.toJson(prefix));
                            } else {
                                out.printf("[%s round %d/%d] %s%n", labels[i], round, rounds, r.toText());
                            }
                            out.flush();
                        }
                    }
                }
            }
        } catch (IOException e) {
            err.println("nats-bench leaf-compare: " + e.getMessage());
            err.flush();
            return 1;
        }
        List<CompareTable.Row> rows = CompareTable.rows(runs);
        if (load.json()) {
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

    private Result runOne(String label, String cmd, Scenario s, int size) throws IOException {
        try (ClusterNodes cluster = ClusterNodes.startLeafPair(label, cmd, Duration.ofSeconds(startTimeout))) {
            Result r = ClusterBench.run(load.toConfig(new ScenarioSpec(s, 0), cluster.nodes().get(0).address(), size, 0), cluster);
            if (!cluster.allAlive()) {
                return new Result(r.scenario(), r.size(), false, "a server of " + label + " exited during the run",
                        r.metrics());
            }
            return r;
        }
    }
}
