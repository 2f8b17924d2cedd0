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
 * {@code nats-bench gateway-compare}: two single-server clusters of server A joined by a gateway, and the same of
 * server B (each a child process), the publisher (or requesters) on one and the subscribers (or responder) on the
 * other, so every message crosses the gateway; alternating A,B per round, medians and ratios A/B, CPU per message
 * summed over both servers.
 */
@Command(name = "gateway-compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start two gateway-joined servers of A and of B as child processes and compare messages and"
                + " requests across the gateway, alternating A,B per round.")
public final class GatewayCompareCommand implements Callable<Integer> {

    /** Creates the command (instantiated by picocli). */
    public GatewayCompareCommand() {
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--server-a", required = true, paramLabel = "CMD",
            description = "Command of a server of A, split on spaces; {config} is replaced by a config file written"
                    + " for it (client, monitoring and gateway ports), {port}, {http} and {name} as in cluster-compare;"
                    + " e.g. 'nats-server -c {config}'.")
    String serverA;

    @Option(names = "--server-b", required = true, paramLabel = "CMD", description = "Command of a server of B.")
    String serverB;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST", defaultValue = "pubsub,reqrep",
            description = "Scenarios: pubsub,fanout,reqrep (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--sizes", split = ",", paramLabel = "LIST", defaultValue = "16,128",
            description = "Payload sizes in bytes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
            description = "Rounds per scenario and size (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long the gateways may take to connect (default: ${DEFAULT-VALUE}).")
    int startTimeout;

    @Mixin
    LoadOptions load;

    @Override
    public Integer call() {
        List<Scenario> list = new ArrayList<>();
        try {
            for (String s : scenarios) {
                Scenario scenario = Scenario.parse(s);
                if (scenario != Scenario.PUBSUB && scenario != Scenario.FANOUT && scenario != Scenario.REQREP) {
                    throw new IllegalArgumentException("not a gateway scenario: " + s
                            + " (a queue group stays in the publisher's cluster)");
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
            spec.commandLine().getErr().println("nats-bench gateway-compare: " + e.getMessage());
            spec.commandLine().getErr().flush();
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
        try (ClusterNodes pair = ClusterNodes.startGatewayPair(label, cmd, Duration.ofSeconds(startTimeout))) {
            Result r = ClusterBench.run(load.toConfig(new ScenarioSpec(s, 0), pair.nodes().get(0).address(), size, 0),
                    pair);
            if (!pair.allAlive()) {
                return new Result(r.scenario(), r.size(), false, "a server of " + label + " exited during the run",
                        r.metrics());
            }
            return r;
        }
    }
}
