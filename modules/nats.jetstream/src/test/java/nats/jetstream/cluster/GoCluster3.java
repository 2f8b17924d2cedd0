package nats.jetstream.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.jetstream.testing.GoServer;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;

/** Three Go nats-server processes with JetStream in cluster {@code jsc}, named as {@link JsCluster3}'s servers. */
final class GoCluster3 {

    private GoCluster3() {
    }

    /** What a differential test asks of a cluster through a connection: named parts of the answers. */
    interface Scenario {
        Map<String, String> run(Connection nc) throws Exception;
    }

    /**
     * Runs {@code scenario} on three of our servers (connected to A), then on three Go servers: the parts, ours
     * first, then Go's. Skipped when the Go server is not installed.
     */
    static List<Map<String, String>> runOnBoth(Path dir, Duration wait, Scenario scenario) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        Map<String, String> ours;
        try (JsCluster3 cluster = new JsCluster3(Files.createDirectories(dir.resolve("ours")))) {
            cluster.startAll();
            cluster.awaitMetaLeader(wait);
            try (Connection nc = cluster.connect("A")) {
                ours = scenario.run(nc);
            }
        }
        List<GoServer> servers = start(Files.createDirectories(dir.resolve("go")));
        try (Connection nc = Nats.connect(new Options.Builder().server(servers.get(0).url())
                .connectionTimeout(Duration.ofSeconds(5)).build())) {
            return List.of(ours, scenario.run(nc));
        } finally {
            for (GoServer s : servers) {
                s.close();
            }
        }
    }

    static List<GoServer> start(Path dir) throws Exception {
        List<Integer> routePorts = List.of(Ports.free(), Ports.free(), Ports.free());
        List<GoServer> servers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = JsCluster3.NAMES.get(i);
            List<String> routes = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    routes.add("nats://127.0.0.1:" + routePorts.get(j));
                }
            }
            servers.add(GoServer.start(dir, "-js", "-sd", dir.resolve(name).toString(), "--server_name", name,
                    "--cluster_name", "jsc", "--cluster", "nats://127.0.0.1:" + routePorts.get(i),
                    "--routes", String.join(",", routes)));
        }
        return servers;
    }
}
