package nats.bench.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nats-bench gateway-compare}: two single-server clusters of server A joined by a gateway, and the same of
 * server B (each a child process), the publisher (or requesters) on one and the subscribers (or responder) on the
 * other, so every message crosses the gateway; alternating A,B per round, medians and ratios A/B, CPU per message
 * summed over both servers.
 */
@Command(name = "gateway-compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start two gateway-joined servers of A and of B as child processes and compare messages and"
                + " requests across the gateway, alternating A,B per round.",
            "In the server commands {config} is replaced by a config file written for the server (client,"
                + " monitoring and gateway ports), {port}, {http} and {name} as in cluster-compare;"
                + " e.g. 'nats-server -c {config}'."})
public final class GatewayCompareCommand implements Callable<Integer> {

    /** Creates the command (instantiated by picocli). */
    public GatewayCompareCommand() {
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST", defaultValue = "pubsub,reqrep",
            description = "Scenarios: pubsub,fanout,reqrep (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Mixin
    TopologyCompare compare;

    @Override
    public Integer call() {
        return compare.run(spec, new TopologyCompare.Kind("gateway-compare",
                Set.of(Scenario.PUBSUB, Scenario.FANOUT, Scenario.REQREP),
                "not a gateway scenario: %s (a queue group stays in the publisher's cluster)", "server",
                ClusterNodes::startGatewayPair), scenarios);
    }
}
