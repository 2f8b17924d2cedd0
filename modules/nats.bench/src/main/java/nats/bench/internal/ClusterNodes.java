package nats.bench.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster of one server implementation, each node a child process on free loopback ports, all given the
 * first node as their route (the others are learned by gossip). The command template names the node's ports:
 * {@code {name}}, {@code {port}} (clients), {@code {http}} (monitoring), {@code {cluster}} (routes) and
 * {@code {routes}} (the seed's route URL).
 */
final class ClusterNodes implements AutoCloseable {

    /**
     * One running node; {@code interestPath} is the monitoring document that lists the interest its peers
     * registered ({@code /routez?subs=1} in a cluster, {@code /leafz?subs=1} across a leaf connection).
     */
    record Node(String name, int port, int http, int cluster, Process process, Path log, String interestPath) {
        NatsAddress address() {
            return new NatsAddress("127.0.0.1", port);
        }
    }

    private static final java.util.regex.Pattern ROUTES = java.util.regex.Pattern.compile("\"routes\":\\s*(\\d+)");

    private final List<Node> nodes;

    private ClusterNodes(List<Node> nodes) {
        this.nodes = nodes;
    }

    List<Node> nodes() {
        return nodes;
    }

    /** Starts {@code count} nodes and waits until each has a route to every other one. */
    static ClusterNodes start(String label, String template, int count, Duration timeout) throws IOException {
        List<Node> started = new ArrayList<>();
        int seedCluster = ServerProcess.freePort();
        try {
            for (int i = 0; i < count; i++) {
                int port = ServerProcess.freePort();
                int http = ServerProcess.freePort();
                int cluster = i == 0 ? seedCluster : ServerProcess.freePort();
                String name = label + i;
                String cmd = template.replace("{name}", name).replace("{http}", Integer.toString(http))
                        .replace("{cluster}", Integer.toString(cluster))
                        .replace("{routes}", "nats-route://127.0.0.1:" + seedCluster);
                List<String> argv = ServerProcess.command(cmd, port);
                Path log = Files.createTempFile("nats-bench-cluster-" + name + "-", ".log");
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                started.add(new Node(name, port, http, cluster, p, log, "/routez?subs=1"));
            }
            ClusterNodes cluster = new ClusterNodes(List.copyOf(started));
            cluster.awaitMesh(timeout);
            return cluster;
        } catch (IOException | RuntimeException e) {
            new ClusterNodes(started).close();
            throw e;
        }
    }

    /**
     * Starts a hub and a leaf of one server implementation: the template runs {@code -c {conf}}-style with a
     * config file written here ({@code {conf}}, {@code {name}}); node 0 is the hub, node 1 its leaf. Waits until
     * both list the leaf connection.
     */
    static ClusterNodes startLeafPair(String label, String template, Duration timeout) throws IOException {
        List<Node> started = new ArrayList<>();
        int leafPort = ServerProcess.freePort();
        try {
            for (int i = 0; i < 2; i++) {
                int port = ServerProcess.freePort();
                int http = ServerProcess.freePort();
                String name = label + (i == 0 ? "-hub" : "-leaf");
                String leafBlock = i == 0 ? "leafnodes { listen: \"127.0.0.1:" + leafPort + "\" }"
                        : "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + leafPort + "\"}] }";
                Path conf = Files.createTempFile("nats-bench-leaf-" + name + "-", ".conf");
                Files.writeString(conf, "server_name: " + name + "\nlisten: 127.0.0.1:" + port + "\nhttp: 127.0.0.1:"
                        + http + "\n" + leafBlock + "\n");
                String cmd = template.replace("{name}", name).replace("{conf}", conf.toString());
                List<String> argv = ServerProcess.command(cmd, port);
                Path log = Files.createTempFile("nats-bench-leaf-" + name + "-", ".log");
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                started.add(new Node(name, port, http, 0, p, log, "/leafz?subs=1"));
            }
            ClusterNodes pair = new ClusterNodes(List.copyOf(started));
            pair.awaitLeafConnection(timeout);
            return pair;
        } catch (IOException | RuntimeException e) {
            new ClusterNodes(started).close();
            throw e;
        }
    }

    private static final java.util.regex.Pattern LEAFS = java.util.regex.Pattern.compile("\"leafnodes\":\\s*(\\d+)");

    private void awaitLeafConnection(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Node n : nodes) {
            while (true) {
                if (!n.process().isAlive()) {
                    throw new IOException("node " + n.name() + " exited: " + tail(n));
                }
                try {
                    java.util.regex.Matcher m = LEAFS.matcher(get(n.http(), "/leafz"));
                    if (m.find() && Integer.parseInt(m.group(1)) == 1) {
                        break;
                    }
                } catch (IOException | RuntimeException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("node " + n.name() + " had no leaf connection within " + timeout + ": "
                            + tail(n));
                }
                sleep(50);
            }
        }
    }

    private void awaitMesh(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Node n : nodes) {
            while (true) {
                if (!n.process().isAlive()) {
                    throw new IOException("node " + n.name() + " exited: " + tail(n));
                }
                try {
                    java.util.regex.Matcher m = ROUTES.matcher(get(n.http(), "/varz"));
                    if (m.find() && Integer.parseInt(m.group(1)) == nodes.size() - 1) {
                        break;
                    }
                } catch (IOException | RuntimeException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("node " + n.name() + " did not route to all others within " + timeout
                            + ": " + tail(n));
                }
                sleep(50);
            }
        }
    }

    /**
     * Waits until the node monitored at {@code http} lists {@code subject} among the interest of {@code routes}
     * of its routes: the subscribers' interest has crossed the cluster.
     */
    static void awaitRouteInterest(Node publisherNode, String subject, int routes, RunControl control)
            throws IOException {
        while (true) {
            control.check("waiting for interest to reach " + publisherNode.name());
            // Each route lists the subject once in its subscriptions_list (the subject is unique to the run).
            String routez = get(publisherNode.http(), publisherNode.interestPath());
            int seen = 0;
            for (int i = routez.indexOf('"' + subject + '"'); i >= 0; i = routez.indexOf('"' + subject + '"', i + 1)) {
                seen++;
            }
            if (seen >= routes) {
                return;
            }
            sleep(20);
        }
    }

    /** CPU time (user + system) of each node so far, in nanoseconds; from /proc. */
    long[] cpuNanosPerNode() {
        long[] out = new long[nodes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0, ProcFs.cpuNanosTree(nodes.get(i).process().pid()));
        }
        return out;
    }

    /** System (kernel) CPU time of all nodes, in nanoseconds: wake-ups and socket calls show here. */
    long systemNanos() {
        long total = 0;
        for (Node n : nodes) {
            total += ProcCpu.systemNanos(n.process().pid());
        }
        return total;
    }

    boolean allAlive() {
        return nodes.stream().allMatch(n -> n.process().isAlive());
    }

    static String get(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(5000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String tail(Node n) {
        try {
            List<String> lines = Files.readAllLines(n.log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.process().destroy();
        }
        for (Node n : nodes) {
            try {
                if (!n.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    n.process().destroyForcibly();
                }
                Files.deleteIfExists(n.log());
            } catch (InterruptedException e) {
                n.process().destroyForcibly();
                Thread.currentThread().interrupt();
            } catch (IOException ignored) {
                // a leftover log is harmless
            }
        }
    }
}
