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
 * {@code nats-bench leaf-compare}: starts a hub and its leaf of server A and of server B (each a child process
 * on a config file written here), runs the scenarios with the publisher (or requesters) on the hub and the
 * subscribers (or responder) on the leaf, so every message crosses the leaf connection, in alternation, and
 * prints medians and ratios A/B, CPU per message of both servers included.
 */
@Command(name = "leaf-compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start a hub and a leaf of server A and of server B as child processes and compare them with"
                + " the publisher on the hub and the subscribers on the leaf, alternating A,B per round.",
            "In the server commands {conf} is replaced by the config file written for the hub or the leaf (client,"
                + " monitoring and leafnode ports, remotes), {name} by its name."})
public final class LeafCompareCommand implements Callable<Integer> {

    /** Creates the command (instantiated by picocli). */
    public LeafCompareCommand() {
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST", defaultValue = "pubsub,fanout,queue,reqrep",
            description = "Scenarios: pubsub,fanout,queue,reqrep (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Mixin
    TopologyCompare compare;

    @Override
    public Integer call() {
        return compare.run(spec, new TopologyCompare.Kind("leaf-compare",
                Set.of(Scenario.PUBSUB, Scenario.FANOUT, Scenario.QUEUE, Scenario.REQREP), "not a leaf scenario: %s",
                "server", ClusterNodes::startLeafPair), scenarios);
    }
}
