package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.testing.GoServer;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;

/**
 * Three Go 2.9.10 servers (A, B, C) clustered as {@link JsCluster3} clusters ours ({@code jsc}, JetStream on), for
 * differential tests; a server's extra lines go into its config and into its {@code jetstream} block.
 */
final class GoCluster3 implements AutoCloseable {

    private final List<GoServer> servers = new ArrayList<>();

    private GoCluster3() {
    }

    static GoCluster3 start(Path dir, Function<String, String> extra, Function<String, String> jetStreamExtra)
            throws Exception {
        Map<String, Integer> routes = new LinkedHashMap<>();
        for (String n : JsCluster3.NAMES) {
            routes.put(n, Ports.free());
        }
        GoCluster3 cluster = new GoCluster3();
        try {
            for (String n : JsCluster3.NAMES) {
                List<String> others = routes.entrySet().stream().filter(e -> !e.getKey().equals(n))
                        .map(e -> "\"nats-route://127.0.0.1:" + e.getValue() + "\"").toList();
                Path d = Files.createDirectories(dir.resolve("go-" + n));
                cluster.servers.add(GoServer.start(d, p -> "server_name: " + n + "\nlisten: 127.0.0.1:" + p + "\n"
                        + extra.apply(n) + "\njetstream { store_dir: \"" + d + "/js\"\n" + jetStreamExtra.apply(n)
                        + " }\ncluster { name: jsc, listen: 127.0.0.1:" + routes.get(n) + ", routes: " + others
                        + " }\n"));
            }
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts three Go servers ({@code extra}: a server's config lines), runs {@code scenario} with a client of A. */
    static <T> T run(Path dir, Function<String, String> extra, JsCluster3.ClientScenario<T> scenario)
            throws Exception {
        return run(dir, extra, "", scenario);
    }

    /** {@link #run(Path, Function, JsCluster3.ClientScenario)} with lines for each jetstream block. */
    static <T> T run(Path dir, Function<String, String> extra, String jetStreamLines,
                     JsCluster3.ClientScenario<T> scenario) throws Exception {
        try (GoCluster3 go = start(dir, extra, n -> jetStreamLines); Connection nc = go.connect()) {
            return scenario.run(nc);
        }
    }

    /** What a differential test asks of a cluster through a connection: named parts of the answers. */
    interface Scenario {
        Map<String, String> run(Connection nc) throws Exception;
    }

    /**
     * Runs {@code scenario} on three of our servers (a client of A), then on three Go servers, and asserts that every
     * part Go gives is ours too, listing all the parts that differ. Skipped when the Go server is not installed.
     */
    static void assertPartsAsGo(Path dir, Scenario scenario) throws Exception {
        assertPartsAsGo(dir, "", scenario);
    }

    /** {@link #assertPartsAsGo(Path, Scenario)} with {@code jetStreamLines} in every server's jetstream block. */
    static void assertPartsAsGo(Path dir, String jetStreamLines, Scenario scenario) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        Map<String, String> ours = JsCluster3.run(Files.createDirectories(dir.resolve("ours")), n -> "",
                jetStreamLines, "A", scenario::run);
        Map<String, String> go = run(Files.createDirectories(dir.resolve("go")), n -> "", jetStreamLines,
                scenario::run);
        List<String> differences = new ArrayList<>();
        go.forEach((key, value) -> {
            if (!value.equals(ours.get(key))) {
                differences.add(key + "\n  go:   " + value + "\n  ours: " + ours.get(key));
            }
        });
        assertEquals(List.of(), differences, "the parts as Go renders them");
    }

    /**
     * A client of the first server, once the cluster places an R3 stream (a probe, deleted again): Go's meta leader
     * answers account info before it knows every peer, and an R3 create then fails. The probe's requests are 400 ms
     * apart and a second passes after them: Go drops a server's usage update within 250 ms of its last one, and a
     * dropped one would bring the probe's counts into the API totals late.
     */
    Connection connect() throws Exception {
        Connection nc = connectOnceAnswering();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        byte[] probe = "{\"name\":\"GO_PROBE\",\"subjects\":[\"go.probe\"],\"num_replicas\":3}"
                .getBytes(StandardCharsets.UTF_8);
        while (System.nanoTime() < deadline) {
            Message m = nc.request("$JS.API.STREAM.CREATE.GO_PROBE", probe, Duration.ofSeconds(2));
            Thread.sleep(400);
            if (m != null && !new String(m.getData(), StandardCharsets.UTF_8).contains("\"error\"")) {
                nc.request("$JS.API.STREAM.DELETE.GO_PROBE", new byte[0], Duration.ofSeconds(5));
                Thread.sleep(1000);
                break;
            }
        }
        return nc;
    }

    /** A client of the first server, once its JetStream answers account info without an error (a meta leader). */
    private Connection connectOnceAnswering() throws Exception {
        Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + servers.get(0).port())
                .connectionTimeout(Duration.ofSeconds(5)).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Message m = nc.request("$JS.API.INFO", new byte[0], Duration.ofSeconds(2));
            if (m != null && !new String(m.getData(), StandardCharsets.UTF_8).contains("\"error\"")) {
                break;
            }
            Thread.sleep(250);
        }
        return nc;
    }

    /** The servers, in name order (A, B, C). */
    List<GoServer> servers() {
        return servers;
    }

    @Override
    public void close() {
        servers.forEach(GoServer::close);
    }
}
