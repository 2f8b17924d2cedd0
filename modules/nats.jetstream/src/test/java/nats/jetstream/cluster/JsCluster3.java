package nats.jetstream.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.transport.json.Json;
import nats.testing.Ports;

/**
 * Three of our servers on loopback, in-process, clustered with routes and JetStream enabled (server names A, B, C,
 * cluster {@code jsc}, each with its monitoring port for {@code /jsz}). Elections are sped up for tests with the
 * {@code nats.jetstream.cluster.election_ms} property (Go's timing otherwise).
 */
final class JsCluster3 implements AutoCloseable {

    static final List<String> NAMES = List.of("A", "B", "C");

    private final Path dir;
    private final Map<String, Integer> routePorts = new LinkedHashMap<>();
    private final Map<String, Integer> httpPorts = new LinkedHashMap<>();
    private final Map<String, NatsServer> servers = new LinkedHashMap<>();
    /** Lines added to a server's config, and to its {@code jetstream} block. */
    private final Map<String, String> extra = new LinkedHashMap<>();
    private final Map<String, String> jetStreamExtra = new LinkedHashMap<>();

    JsCluster3(Path dir) {
        this.dir = dir;
        System.setProperty("nats.jetstream.cluster.election_ms", "1000");
    }

    /** Adds {@code lines} to server {@code name}'s config and {@code jetStreamLines} to its jetstream block. */
    JsCluster3 configure(String name, String lines, String jetStreamLines) {
        extra.put(name, lines);
        jetStreamExtra.put(name, jetStreamLines);
        return this;
    }

    /** What a test does with a client of a started cluster (ours or Go's), returning what it saw. */
    interface ClientScenario<T> {
        T run(Connection nc) throws Exception;
    }

    /**
     * Starts three of our servers in {@code dir} ({@code extra}: a server's config lines), waits for a meta leader
     * and runs {@code scenario} with a client of {@code server}; stops them after.
     */
    static <T> T run(Path dir, java.util.function.Function<String, String> extra, String server,
                     ClientScenario<T> scenario) throws Exception {
        return run(dir, extra, "", server, scenario);
    }

    /** {@link #run(Path, java.util.function.Function, String, ClientScenario)} with lines for each jetstream block. */
    static <T> T run(Path dir, java.util.function.Function<String, String> extra, String jetStreamLines,
                     String server, ClientScenario<T> scenario) throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            for (String n : NAMES) {
                cluster.configure(n, extra.apply(n), jetStreamLines);
            }
            cluster.startAll();
            cluster.awaitMetaLeader(Duration.ofSeconds(20));
            try (Connection nc = cluster.connect(server)) {
                return scenario.run(nc);
            }
        }
    }

    void startAll() throws Exception {
        for (String n : NAMES) {
            start(n);
        }
    }

    /** Starts one server (the ports of all three are chosen at the first start). */

    void start(String name) throws Exception {
        if (routePorts.isEmpty()) {
            for (String n : NAMES) {
                routePorts.put(n, Ports.free());
                httpPorts.put(n, Ports.free());
            }
        }
        List<String> routes = new ArrayList<>();
        routePorts.forEach((n, p) -> {
            if (!n.equals(name)) {
                routes.add("\"nats-route://127.0.0.1:" + p + "\"");
            }
        });
        Path store = dir.resolve(name);
        String conf = "server_name: " + name + "\n"
                + "http: \"127.0.0.1:" + httpPorts.get(name) + "\"\n"
                + extra.getOrDefault(name, "") + "\n"
                + "jetstream { store_dir: \"" + store + "\"\n" + jetStreamExtra.getOrDefault(name, "") + " }\n"
                + "cluster { name: jsc, listen: \"127.0.0.1:" + routePorts.get(name) + "\", routes: " + routes + " }\n";
        Path file = Files.writeString(dir.resolve(name + ".conf"), conf);
        ServerOptions options = new ServerOptions().host("127.0.0.1").port(0);
        List<String> warnings = ConfigFiles.load(file, options, false);
        if (!warnings.isEmpty()) {
            throw new IOException("config warnings: " + warnings);
        }
        options.host("127.0.0.1").port(0);
        try {
            servers.put(name, NatsServer.start(options));
        } catch (nats.server.options.ServerStartException | RuntimeException e) {
            // A port chosen free was taken by another process meanwhile: new ports for this server (it dials the
            // others, so they need not know its route port), a few times.
            if (String.valueOf(e.getMessage()).contains("already in use") && ++bindRetries <= 3) {
                routePorts.put(name, Ports.free());
                httpPorts.put(name, Ports.free());
                start(name);
                return;
            }
            throw e;
        }
    }

    private int bindRetries;

    void stop(String name) {
        NatsServer s = servers.remove(name);
        if (s != null) {
            s.close();
        }
    }

    List<String> running() {
        return List.copyOf(servers.keySet());
    }

    String url(String name) {
        return "nats://127.0.0.1:" + servers.get(name).port();
    }

    Connection connect(String name) throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server(url(name)).connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(0).errorListener(new io.nats.client.ErrorListener() {
                }).build());
    }

    /** {@code /jsz} of one server, parsed. */
    Map<String, Object> jsz(String name) throws IOException, InterruptedException {
        return jsz(name, "");
    }

    /** {@code /jsz?<query>} of one server, parsed. */
    Map<String, Object> jsz(String name, String query) throws IOException, InterruptedException {
        return Json.parseObject(monitor(name, "/jsz" + (query.isEmpty() ? "" : "?" + query)));
    }

    /** A monitoring document of one server ({@code path} with its query), as text; fails unless it is a 200. */
    String monitor(String name, String path) throws IOException {
        var c = (java.net.HttpURLConnection) URI.create("http://127.0.0.1:" + httpPorts.get(name) + path).toURL()
                .openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(2000);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** Waits until every running server names the same meta leader; returns its name. */
    String awaitMetaLeader(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String leader = null;
            boolean agreed = true;
            for (String n : running()) {
                Object meta = jsz(n).get("meta_cluster");
                Object l = meta instanceof Map<?, ?> m ? m.get("leader") : null;
                if (!(l instanceof String s) || (leader != null && !leader.equals(s))) {
                    agreed = false;
                    break;
                }
                leader = s;
            }
            if (agreed && leader != null && running().contains(leader)) {
                return leader;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no meta leader agreed by " + running() + " within " + timeout);
    }


    @Override
    public void close() {
        for (String n : running()) {
            stop(n);
        }
    }
}
