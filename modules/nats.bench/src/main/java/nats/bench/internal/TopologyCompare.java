package nats.bench.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What {@code cluster-compare}, {@code gateway-compare} and {@code leaf-compare} share: the options (a picocli
 * mixin: the two server commands, sizes, rounds, start timeout, load options) and the run: per scenario, size
 * and round, a fresh topology of server A, then one of server B (child processes), one scenario on it, each
 * result printed; then the table of medians and ratios A/B. The commands differ in the topology they start and
 * the scenarios it suits.
 */
public final class TopologyCompare {

    /** Starts one topology of the servers {@code cmd} runs: a cluster, a gateway pair, a hub and its leaf. */
    interface Topology {
        ClusterNodes start(String label, String cmd, Duration timeout) throws IOException;
    }

    /**
     * What a command compares.
     *
     * @param command  its name, for error lines
     * @param allowed  the scenarios its topology suits
     * @param refusal  the error for another scenario, {@code %s} standing for it
     * @param member   what one process of the topology is called when it exits during a run
     * @param topology how to start one
     */
    record Kind(String command, Set<Scenario> allowed, String refusal, String member, Topology topology) {
    }

    /** Creates the options (instantiated by picocli). */
    public TopologyCompare() {
    }

    @Option(names = "--server-a", required = true, paramLabel = "CMD",
            description = "Command of a server of A, split on spaces, with the placeholders described above.")
    String serverA;

    @Option(names = "--server-b", required = true, paramLabel = "CMD",
            description = "Command of a server of B, with the same placeholders.")
    String serverB;

    @Option(names = "--sizes", split = ",", paramLabel = "LIST", defaultValue = "16,128",
            description = "Payload sizes in bytes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
            description = "Rounds per scenario and size (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long the servers may take to connect to each other (default: ${DEFAULT-VALUE}).")
    int startTimeout;

    @Mixin
    LoadOptions load;

    /** Checks the options, runs every round and prints; the exit code (0 when every run completed). */
    int run(CommandSpec spec, Kind kind, List<String> scenarioNames) {
        List<Scenario> scenarios = new ArrayList<>();
        try {
            for (String name : scenarioNames) {
                Scenario scenario = Scenario.parse(name);
                if (!kind.allowed().contains(scenario)) {
                    throw new IllegalArgumentException(String.format(kind.refusal(), name));
                }
                scenarios.add(scenario);
            }
            if (rounds < 1 || rounds > 100) {
                throw new IllegalArgumentException("--rounds must be 1..100");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<CompareTable.Run> runs = new ArrayList<>();
        try {
            for (Scenario scenario : scenarios) {
                for (int size : sizes) {
                    for (int round = 1; round <= rounds; round++) {
                        runs.add(runAndPrint(out, kind, "A", serverA, scenario, size, round));
                        runs.add(runAndPrint(out, kind, "B", serverB, scenario, size, round));
                    }
                }
            }
        } catch (IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("nats-bench " + kind.command() + ": " + e.getMessage());
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

    private CompareTable.Run runAndPrint(PrintWriter out, Kind kind, String label, String cmd, Scenario scenario,
            int size, int round) throws IOException {
        Result r = runOne(kind, label, cmd, scenario, size);
        if (load.json()) {
            Map<String, Object> prefix = new LinkedHashMap<>();
            prefix.put("server", label);
            prefix.put("round", round);
            out.println(r.toJson(prefix));
        } else {
            out.printf("[%s round %d/%d] %s%n", label, round, rounds, r.toText());
        }
        out.flush();
        return new CompareTable.Run(label, round, r);
    }

    private Result runOne(Kind kind, String label, String cmd, Scenario scenario, int size) throws IOException {
        try (ClusterNodes nodes = kind.topology().start(label, cmd, Duration.ofSeconds(startTimeout))) {
            Result r = ClusterBench.run(load.toConfig(new ScenarioSpec(scenario, 0), nodes.nodes().get(0).address(),
                    size, 0), nodes);
            // The failover scenario kills a node itself.
            if (scenario != Scenario.JS_FAILOVER && !nodes.allAlive()) {
                return new Result(r.scenario(), r.size(), false,
                        "a " + kind.member() + " of " + label + " exited during the run", r.metrics());
            }
            return r;
        }
    }
}
