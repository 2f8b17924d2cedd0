package nats.example.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three servers as child processes, clustered with routes, each running one RAFT member whose RPCs travel on
 * {@code $NRG} subjects in the system account: they elect a leader, replicate what a client proposes, survive
 * the leader's SIGKILL (the restarted member catches up from its log and the new leader), and a leader paused with
 * SIGSTOP past the election timeout: when resumed it follows, and every member holds the same entries.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RaftOverRoutesTest {

    private static final List<String> NAMES = List.of("A", "B", "C");

    @TempDir
    Path dir;

    @Test
    void threeServersElectReplicateAndFailOver() throws Exception {
        Map<String, Server> servers = new LinkedHashMap<>();
        Map<String, Integer> clusterPorts = new HashMap<>();
        NAMES.forEach(n -> clusterPorts.put(n, freePort()));
        try {
            for (String name : NAMES) {
                servers.put(name, Server.start(dir, name, clusterPorts));
            }
            String leader = awaitLeader(servers, "");
            try (Connection nc = connect(servers.get(leader))) {
                for (int i = 0; i < 50; i++) {
                    String reply = request(nc, "$RAFTPROBE." + leader + ".propose", "v" + i);
                    assertTrue(reply.startsWith("ok "), () -> "expected the leader to commit, got " + reply);
                }
            }
            awaitEntries(servers, NAMES, 50, "v49");

            Server killed = servers.get(leader);
            killed.kill();
            String next = awaitLeader(servers, leader);
            try (Connection nc = connect(servers.get(next))) {
                for (int i = 50; i < 60; i++) {
                    String reply = request(nc, "$RAFTPROBE." + next + ".propose", "v" + i);
                    assertTrue(reply.startsWith("ok "), () -> "expected the new leader to commit, got " + reply);
                }
            }
            killed.launch();
            awaitEntries(servers, NAMES, 60, "v59");

            // Go's Jepsen finding: a leader paused (SIGSTOP) past the election timeout, then resumed.
            String paused = awaitLeader(servers, "");
            servers.get(paused).signal("STOP");
            String third = awaitLeader(servers, paused);
            try (Connection nc = connect(servers.get(third))) {
                for (int i = 60; i < 70; i++) {
                    String reply = request(nc, "$RAFTPROBE." + third + ".propose", "v" + i);
                    assertTrue(reply.startsWith("ok "), () -> "expected the leader after the pause to commit, got " + reply);
                }
            }
            servers.get(paused).signal("CONT");
            awaitEntries(servers, NAMES, 70, "v69");
            assertEquals(1, NAMES.stream().map(n -> info(servers.get(n), n).replaceAll(".* digest=(\\S+) .*", "$1"))
                    .distinct().count(), "expected every member to hold the same entries in the same order");
        } finally {
            for (Server s : servers.values()) {
                s.close();
            }
        }
    }

    /** Waits until some member other than {@code not} is leader and the others agree. */
    private static String awaitLeader(Map<String, Server> servers, String not) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        String last = "";
        while (System.nanoTime() < deadline) {
            for (String name : NAMES) {
                Server s = servers.get(name);
                if (name.equals(not) || !s.alive()) {
                    continue;
                }
                String info = info(s, name);
                last = name + ": " + info;
                if (info.contains("state=LEADER")) {
                    return name;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no leader elected within 40 s; last seen " + last + "\n" + logs(servers));
    }

    private static void awaitEntries(Map<String, Server> servers, List<String> names, int count, String last)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        Map<String, String> seen = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            seen.clear();
            for (String name : names) {
                seen.put(name, info(servers.get(name), name));
            }
            if (seen.values().stream().allMatch(i -> i.contains(" entries=" + count + " ") && i.endsWith("last=" + last))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + count + " entries ending with " + last + " on every member, saw " + seen);
    }

    private static String info(Server s, String name) {
        try (Connection nc = connect(s)) {
            return request(nc, "$RAFTPROBE." + name + ".info", "");
        } catch (Exception e) {
            return "unreachable: " + e;
        }
    }

    private static Connection connect(Server s) throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + s.port).connectionTimeout(Duration.ofSeconds(2))
                .maxReconnects(0).build());
    }

    private static String request(Connection nc, String subject, String payload) throws Exception {
        var msg = nc.request(subject, payload.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
        if (msg == null) {
            throw new AssertionError("no reply on " + subject);
        }
        return new String(msg.getData(), StandardCharsets.UTF_8);
    }

    private static String logs(Map<String, Server> servers) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Server s : servers.values()) {
            String text = Files.exists(s.log) ? Files.readString(s.log) : "";
            b.append("--- ").append(s.name).append('\n').append(text, Math.max(0, text.length() - 2000), text.length());
        }
        return b.toString();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One server in a child JVM. */
    private static final class Server implements AutoCloseable {
        final String name;
        final int port;
        final Path config;
        final Path log;
        Process process;

        private Server(String name, int port, Path config, Path log) {
            this.name = name;
            this.port = port;
            this.config = config;
            this.log = log;
        }

        static Server start(Path dir, String name, Map<String, Integer> clusterPorts) throws Exception {
            int port = freePort();
            List<String> routes = new ArrayList<>();
            clusterPorts.forEach((other, p) -> {
                if (!other.equals(name)) {
                    routes.add("\"nats-route://127.0.0.1:" + p + "\"");
                }
            });
            String text = "server_name: " + name + "\nlisten: 127.0.0.1:" + port + "\n"
                    + "cluster {\n  name: raft\n  listen: 127.0.0.1:" + clusterPorts.get(name) + "\n  routes: "
                    + routes + "\n}\n"
                    + "raft_probe {\n  group: probe\n  member: " + name + "\n  members: [A, B, C]\n  dir: \""
                    + dir.resolve("raft-" + name) + "\"\n  election_ms: 1000\n}\n";
            Path config = Files.writeString(dir.resolve(name + ".conf"), text);
            Server s = new Server(name, port, config, dir.resolve(name + ".log"));
            s.launch();
            return s;
        }

        void launch() throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(List.of(java, "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), ProbeServerMain.class.getName(), config.toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && process.isAlive()) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException e) {
                    Thread.sleep(50);
                }
            }
            throw new IOException("server " + name + " did not start: " + Files.readString(log));
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        void signal(String which) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + which, Long.toString(process.pid())).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IOException("kill -" + which + " " + process.pid() + " failed");
            }
        }

        /** SIGKILL. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            if (alive()) {
                try {
                    signal("CONT");
                } catch (IOException notPaused) {
                    // gone already
                }
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
