package nats.bench.internal;

import java.util.List;
import java.util.Set;
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
        description = {"Start an N-node cluster of server A and of server B as child processes and compare them"
                + " with the publisher on one node and the subscribers on the others, alternating A,B per round.",
            "In the server commands {name}, {port}, {http}, {cluster} and {routes} are replaced by the node's name,"
                + " client, monitoring and route ports and the seed's route URL; {store} by a fresh directory"
                + " per node (JetStream's store)."})
public final class ClusterCompareCommand implements Callable<Integer> {

    /** Creates the command (instantiated by picocli). */
    public ClusterCompareCommand() {
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3",
            description = "Nodes per cluster (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST", defaultValue = "pubsub,fanout,queue,reqrep",
            description = "Scenarios: pubsub,fanout,queue,reqrep,fanin (fanin: --pubs accounts), js-pub-r3 (--pubs"
                    + " publishers), js-fetch-r3, js-wq-r3, js-interest-r3 (R3 pull fetch with acks),"
                    + " js-failover (the server commands need -js --store_dir {store})"
                    + " (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Mixin
    TopologyCompare compare;

    @Override
    public Integer call() {
        if (nodes < 2 || nodes > 16) {
            throw new ParameterException(spec.commandLine(), "--nodes must be 2..16");
        }
        return compare.run(spec, new TopologyCompare.Kind("cluster-compare",
                Set.of(Scenario.PUBSUB, Scenario.FANOUT, Scenario.QUEUE, Scenario.REQREP, Scenario.FANIN,
                        Scenario.JS_PUB_R3, Scenario.JS_FAILOVER, Scenario.JS_FETCH_R3, Scenario.JS_WQ_R3,
                        Scenario.JS_INTEREST_R3),
                "not a cluster scenario: %s",
                "node", (label, cmd, timeout) -> ClusterNodes.start(label, cmd, nodes, timeout)), scenarios);
    }
}
