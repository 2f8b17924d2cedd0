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

    private static final java.util.regex.Pattern REMOTE_ID =
            java.util.regex.Pattern.compile("\"remote_id\"\\s*:\\s*\"([^\"]+)\"");

    /** The global account's entry of /gatewayz?accs=1 (num_subs is left out when 0). */
    private static final java.util.regex.Pattern GLOBAL_SUBS = java.util.regex.Pattern.compile(
            "\"name\":\\s*\"\\$G\"[^}]*?\"num_subs\":\\s*(\\d+)");

    private final List<Node> nodes;
    /** JetStream store directories made for {@code {store}}, deleted on close. */
    private final List<Path> stores = new ArrayList<>();
    /** Two single-server clusters joined by a gateway (gateway-compare) instead of a cluster of routes. */
    private final boolean gateways;

    private ClusterNodes(List<Node> nodes) {
        this(nodes, false);
    }

    private ClusterNodes(List<Node> nodes, boolean gateways) {
        this.nodes = nodes;
        this.gateways = gateways;
    }

    /**
     * Starts two servers, each its own cluster ({@code X} and {@code Y}), joined by a gateway both configure, and
     * waits until each has its outbound gateway. The command names a config file written here: {@code {config}}
     * (client port, monitoring port and the gateway block), {@code {name}}, {@code {port}} and {@code {http}}.
     */
    static ClusterNodes startGatewayPair(String label, String template, Duration timeout) throws IOException {
        List<Node> started = new ArrayList<>();
        int[] gw = {ServerProcess.freePort(), ServerProcess.freePort()};
        String[] names = {"X", "Y"};
        try {
            for (int i = 0; i < 2; i++) {
                int port = ServerProcess.freePort();
                int http = ServerProcess.freePort();
                String name = label + i;
                Path config = Files.createTempFile("nats-bench-gateway-" + name + "-", ".conf");
                Files.writeString(config, "server_name: " + name + "\nlisten: 127.0.0.1:" + port + "\nhttp: 127.0.0.1:"
                        + http + "\ngateway {\n  name: " + names[i] + "\n  listen: 127.0.0.1:" + gw[i]
                        + "\n  gateways: [{name: " + names[1 - i] + ", urls: [\"nats://127.0.0.1:" + gw[1 - i] + "\"]}]\n}\n");
                String cmd = template.replace("{name}", name).replace("{http}", Integer.toString(http))
                        .replace("{config}", config.toString());
                List<String> argv = ServerProcess.command(cmd, port);
                Path log = Files.createTempFile("nats-bench-gateway-" + name + "-", ".log");
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                started.add(new Node(name, port, http, gw[i], p, log, "/gatewayz?accs=1"));
            }
            ClusterNodes pair = new ClusterNodes(List.copyOf(started), true);
            pair.awaitGateways(timeout, names);
            return pair;
        } catch (IOException | RuntimeException e) {
            new ClusterNodes(started).close();
            throw e;
        }
    }

    private void awaitGateways(Duration timeout, String[] names) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            String remote = "\"" + names[1 - i] + "\"";
            while (true) {
                if (!n.process().isAlive()) {
                    throw new IOException("node " + n.name() + " exited: " + tail(n));
                }
                try {
                    String gatewayz = get(n.http(), "/gatewayz");
                    int out = gatewayz.indexOf("\"outbound_gateways\"");
                    int in = gatewayz.indexOf("\"inbound_gateways\"");
                    int at = gatewayz.indexOf(remote, out);
                    if (out >= 0 && at > out && (in < out || at < in)) {
                        break;
                    }
                } catch (IOException | RuntimeException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("node " + n.name() + " had no gateway within " + timeout + ": " + tail(n));
                }
                sleep(50);
            }
        }
    }

    /**
     * Waits until {@code subject}'s interest of {@code holders} other nodes reached {@code publisherNode}: in its
     * routes' subscription lists, or, across a gateway, in the subscriptions its outbound gateway knows (at least
     * {@code holders}; the subject is unique to the run, and the servers are fresh).
     */
    void awaitInterest(Node publisherNode, String subject, int holders, RunControl control) throws IOException {
        if (!gateways) {
            awaitRouteInterest(publisherNode, subject, holders, control);
            return;
        }
        while (true) {
            control.check("waiting for interest to cross the gateway to " + publisherNode.name());
            if (globalSubscriptions(publisherNode) >= holders) {
                return;
            }
            sleep(20);
        }
    }

    /**
     * Across a gateway: waits until the subscriptions of a previous run (the warm-up's) have left the remote's
     * interest, so {@link #awaitInterest} counts this run's only. Nothing to do for routes (their check names
     * the subject).
     */
    void awaitNoInterest(Node publisherNode, RunControl control) throws IOException {
        while (gateways && globalSubscriptions(publisherNode) > 0) {
            control.check("waiting for the previous run's interest to leave " + publisherNode.name());
            sleep(20);
        }
    }

    /** The subscriptions in $G the node's outbound gateway knows of. */
    private static long globalSubscriptions(Node node) throws IOException {
        java.util.regex.Matcher m = GLOBAL_SUBS.matcher(get(node.http(), "/gatewayz?accs=1"));
        long subs = 0;
        while (m.find()) {
            subs += Long.parseLong(m.group(1));
        }
        return subs;
    }

    /** Waits until each requester's inbox interest reached the responder's node. */
    void awaitInboxInterest(Node responderNode, String inboxPrefix, int clients, RunControl control)
            throws IOException {
        if (gateways) {
            awaitInterest(responderNode, inboxPrefix, clients, control);
            return;
        }
        for (int c = 0; c < clients; c++) {
            awaitRouteInterest(responderNode, inboxPrefix + "." + c + ".*", 1, control);
        }
    }

    List<Node> nodes() {
        return nodes;
    }

    /**
     * Starts {@code count} nodes and waits until each has a route to every other one. A {@code {store}} in the
     * template becomes a fresh directory per node (JetStream's {@code --store_dir}), deleted on close.
     */
    static ClusterNodes start(String label, String template, int count, Duration timeout) throws IOException {
        List<Node> started = new ArrayList<>();
        List<Path> stores = new ArrayList<>();
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
                if (cmd.contains("{store}")) {
                    Path store = Files.createTempDirectory("nats-bench-js-" + name + "-");
                    stores.add(store);
                    cmd = cmd.replace("{store}", store.toString());
                }
                List<String> argv = ServerProcess.command(cmd, port);
                Path log = Files.createTempFile("nats-bench-cluster-" + name + "-", ".log");
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                started.add(new Node(name, port, http, cluster, p, log, "/routez?subs=1"));
            }
            ClusterNodes cluster = new ClusterNodes(List.copyOf(started));
            cluster.stores.addAll(stores);
            cluster.awaitMesh(timeout);
            return cluster;
        } catch (IOException | RuntimeException e) {
            ClusterNodes partial = new ClusterNodes(started);
            partial.stores.addAll(stores);
            partial.close();
            throw e;
        }
    }

    /** The node whose server name is {@code name}, or null. */
    Node named(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
    }

    /** Kills the node's process with SIGKILL (no shutdown of any kind) and waits until it is gone. */
    void kill(Node node) throws IOException {
        node.process().destroyForcibly();
        try {
            if (!node.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IOException("node " + node.name() + " still runs 10 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
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
                    // Distinct peers: with Go 2.10's route pooling a peer has several route connections.
                    java.util.regex.Matcher m = REMOTE_ID.matcher(get(n.http(), "/routez"));
                    java.util.Set<String> peers = new java.util.HashSet<>();
                    while (m.find()) {
                        peers.add(m.group(1));
                    }
                    if (peers.size() == nodes.size() - 1) {
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
        for (Path store : stores) {
            try (java.util.stream.Stream<Path> files = Files.walk(store)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException | java.io.UncheckedIOException ignored) {
                // a leftover temporary directory is harmless
            }
        }
    }
}
