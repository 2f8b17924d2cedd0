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
 * {@code nats-bench cluster-compare}: starts a cluster of server A and a cluster of server B (each node a child
 * process), runs the cluster scenarios against each in alternation and prints medians and ratios A/B, CPU per
 * message included.
 */
@Command(name = "cluster-compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start an N-node cluster of server A and of server B as child processes and compare them"
                + " with the publisher on one node and the subscribers on the others, alternating A,B per round.")
public final class ClusterCompareCommand implements Callable<Integer> {

    /** Creates the command (instantiated by picocli). */
    public ClusterCompareCommand() {
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--server-a", required = true, paramLabel = "CMD",
            description = "Command of one node of cluster A, split on spaces; {name}, {port}, {http}, {cluster} and"
                    + " {routes} are replaced by the node's name, client, monitoring and route ports and the seed's"
                    + " route URL.")
    String serverA;

    @Option(names = "--server-b", required = true, paramLabel = "CMD", description = "Command of a node of cluster B.")
    String serverB;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3",
            description = "Nodes per cluster (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST", defaultValue = "pubsub,fanout,queue,reqrep",
            description = "Scenarios: pubsub,fanout,queue,reqrep,fanin (fanin: --pubs accounts) (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--sizes", split = ",", paramLabel = "LIST", defaultValue = "16,128",
            description = "Payload sizes in bytes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
            description = "Rounds per scenario and size (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long a cluster may take to form (default: ${DEFAULT-VALUE}).")
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
                        && scenario != Scenario.REQREP && scenario != Scenario.FANIN) {
                    throw new IllegalArgumentException("not a cluster scenario: " + s);
                }
                list.add(scenario);
            }
            if (nodes < 2 || nodes > 16) {
                throw new IllegalArgumentException("--nodes must be 2..16");
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
            err.println("nats-bench cluster-compare: " + e.getMessage());
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
        try (ClusterNodes cluster = ClusterNodes.start(label, cmd, nodes, Duration.ofSeconds(startTimeout))) {
            Result r = ClusterBench.run(load.toConfig(new ScenarioSpec(s, 0), cluster.nodes().get(0).address(), size, 0), cluster);
            if (!cluster.allAlive()) {
                return new Result(r.scenario(), r.size(), false, "a node of " + label + " exited during the run",
                        r.metrics());
            }
            return r;
        }
    }
}
