package nats.jetstream.cluster;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.transport.json.Json;
import nats.testing.Ports;

/**
 * Three of our servers as separate processes (A, B, C, cluster {@code jsc}, elections sped up), so that one can be
 * killed with SIGKILL: nothing of it runs after that, no close, no flush. Clients connect to all three and
 * reconnect.
 */
final class JsProcesses3 implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Path dir;
    private final Map<String, int[]> ports = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private boolean fakeClocks;
    private RouteProxy proxy;

    /** libfaketime (Debian's {@code faketime} package): moves a process's wall clock, not its monotonic clock. */
    static final Path FAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");

    JsProcesses3(Path dir) throws IOException {
        this.dir = dir;
        for (String n : JsCluster3.NAMES) {
            ports.put(n, new int[] {Ports.free(), Ports.free(), Ports.free()});
        }
    }

    void startAll() throws Exception {
        for (String n : JsCluster3.NAMES) {
            launch(n);
        }
    }

    /**
     * Servers launched from now on run under libfaketime: each reads its wall clock's offset from a file that
     * {@link #clockOffset} rewrites (re-read about once a second), as an NTP step or an operator would move it.
     */
    void fakeClocks() {
        if (!Files.isReadable(FAKETIME)) {
            throw new IllegalStateException(FAKETIME + " is missing: install Debian's faketime package (.ci/run does)");
        }
        fakeClocks = true;
    }

    /** Moves the wall clock of a server launched with {@link #fakeClocks} by {@code offset} ({@code +3600s}). */
    void clockOffset(String name, String offset) throws IOException {
        Files.writeString(dir.resolve(name + ".clock"), offset + "\n");
    }

    /**
     * Servers launched from now on dial each other only through a {@link RouteProxy} (returned), which can cut a
     * direction between two of them. Each advertises a route address nobody listens on: a peer that learns of it by
     * gossip (Go's implicit routes; {@code no_advertise} keeps only client URLs to itself, in Go as here) cannot
     * reach it around the proxy.
     */
    RouteProxy throughProxy() throws IOException {
        Map<String, java.util.function.IntSupplier> routePorts = new LinkedHashMap<>();
        for (String n : JsCluster3.NAMES) {
            routePorts.put(n, () -> ports.get(n)[1]);
        }
        proxy = new RouteProxy(JsCluster3.NAMES, routePorts);
        return proxy;
    }

    /** SIGKILL. */
    void kill(String name) throws InterruptedException {
        Process p = processes.remove(name);
        if (p != null) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM: the server shuts down in order (stores closed), then the process is gone. */
    void stop(String name) throws InterruptedException {
        Process p = processes.remove(name);
        if (p != null) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** SIGSTOP: the process keeps its sockets but does nothing (a hung server, or one cut off). */
    void pause(String name) throws IOException, InterruptedException {
        signal(name, "-STOP");
    }

    /** SIGCONT after {@link #pause}. */
    void resume(String name) throws IOException, InterruptedException {
        signal(name, "-CONT");
    }

    private void signal(String name, String signal) throws IOException, InterruptedException {
        Process p = processes.get(name);
        if (p == null) {
            throw new IllegalStateException(name + " is not running");
        }
        Process kill = new ProcessBuilder("kill", signal, Long.toString(p.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + p.pid() + " failed");
        }
    }

    /** The server's JetStream store directory. */
    Path storeDir(String name) {
        return dir.resolve(name);
    }

    /** What the server logged so far (all its runs). */
    String log(String name) throws IOException {
        Path log = dir.resolve(name + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** A client of server {@code name} only (it is not moved to another server when that one hangs). */
    Connection connect(String name) throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + ports.get(name)[0])
                .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(-1).reconnectWait(Duration.ofMillis(100))
                .errorListener(new io.nats.client.ErrorListener() {
                }).build());
    }

    Connection connect() throws IOException, InterruptedException {
        List<String> urls = new ArrayList<>();
        ports.values().forEach(p -> urls.add("nats://127.0.0.1:" + p[0]));
        return Nats.connect(new Options.Builder().servers(urls.toArray(String[]::new))
                .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(-1).reconnectWait(Duration.ofMillis(100))
                .errorListener(new io.nats.client.ErrorListener() {
                }).build());
    }

    void launch(String name) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                launchOnce(name);
                return;
            } catch (IOException e) {
                // A port chosen free was taken by another process meanwhile: new ports for this server (it dials the
                // others, so they need not know its new route port), a few times.
                if (attempt >= 3 || !String.valueOf(e.getMessage()).contains("already in use")) {
                    throw e;
                }
                ports.put(name, new int[] {Ports.free(), Ports.free(), Ports.free()});
            }
        }
    }

    private void launchOnce(String name) throws Exception {
        int[] p = ports.get(name);
        List<String> routes = new ArrayList<>();
        ports.forEach((n, q) -> {
            if (!n.equals(name)) {
                routes.add("\"nats-route://127.0.0.1:" + (proxy == null ? q[1] : proxy.port(name, n)) + "\"");
            }
        });
        String proxied = proxy == null ? "" : ", no_advertise: true, advertise: \"127.0.0.1:" + unreachable() + "\"";
        String conf = "server_name: " + name + "\nlisten: \"127.0.0.1:" + p[0] + "\"\nhttp: \"127.0.0.1:" + p[2] + "\"\n"
                + "jetstream { store_dir: \"" + dir.resolve(name) + "\" }\n"
                + "cluster { name: jsc, listen: \"127.0.0.1:" + p[1] + "\", routes: " + routes + proxied + " }\n";
        Path file = Files.writeString(dir.resolve(name + ".conf"), conf);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path") + File.pathSeparator
                + System.getProperty("jdk.module.path", "");
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "-Dnats.jetstream.cluster.election_ms=1000",
                // Snapshots (and so catch-up after a kill) several times per run.
                "-Dnats.jetstream.cluster.stream_snapshot_entries=300", "-cp", cp,
                ServerMain.class.getName(), file.toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (fakeClocks) {
            Path clock = dir.resolve(name + ".clock");
            if (!Files.exists(clock)) {
                clockOffset(name, "+0");
            }
            Map<String, String> env = builder.environment();
            env.put("LD_PRELOAD", FAKETIME.toString());
            env.put("FAKETIME_TIMESTAMP_FILE", clock.toString());
            env.put("FAKETIME_CACHE_DURATION", "1");
            env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1"); // timers and timeouts keep their clock, as on a real host
            // Its rewrite of timed condition waits on the monotonic clock hangs the JVM's (Debian's 0.9.10).
            env.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
        }
        Process process = builder.start();
        processes.put(name, process);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", p[0])) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("server " + name + " did not start: " + Files.readString(log));
    }

    /** A monitoring document of server {@code name} ({@code /raftz}, {@code /jsz}). */
    String monitor(String name, String path) throws IOException {
        var c = (java.net.HttpURLConnection) URI.create("http://127.0.0.1:" + ports.get(name)[2] + path).toURL()
                .openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    void awaitMetaLeader() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            int agreed = 0;
            for (int[] p : ports.values()) {
                try {
                    var c = (java.net.HttpURLConnection) URI.create("http://127.0.0.1:" + p[2] + "/jsz").toURL()
                            .openConnection();
                    c.setConnectTimeout(2000);
                    c.setReadTimeout(2000);
                    try (var in = c.getInputStream()) {
                        Map<String, Object> jsz = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        if (jsz.get("meta_cluster") instanceof Map<?, ?> m && m.get("leader") != null) {
                            agreed++;
                        }
                    }
                } catch (IOException e) {
                    // not up yet
                }
            }
            if (agreed == ports.size()) {
                return;
            }
            Thread.sleep(200);
        }
        StringBuilder logs = new StringBuilder();
        for (String n : ports.keySet()) {
            Path log = dir.resolve(n + ".log");
            String text = Files.exists(log) ? Files.readString(log) : "";
            logs.append("\n--- ").append(n).append(" (last 3000 characters):\n")
                    .append(text.substring(Math.max(0, text.length() - 3000)));
        }
        throw new AssertionError("no meta leader on every server within " + WAIT + logs);
    }


    /** A port nothing listens on (bound then released; nothing in these tests binds it again). */
    private int unreachable() throws IOException {
        if (unreachablePort == 0) {
            unreachablePort = Ports.free();
        }
        return unreachablePort;
    }

    private int unreachablePort;

    @Override
    public void close() throws InterruptedException {
        for (String n : List.copyOf(processes.keySet())) {
            kill(n);
        }
        if (proxy != null) {
            proxy.close();
        }
    }
}
