package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import nats.transport.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes; while a client publishes without pause, the stream leader's process is killed with
 * SIGKILL and started again, twice. Afterwards each of the three replicas, made leader in turn, holds every
 * acknowledged message exactly once at its acknowledged sequence.
 */
@Tag("slow")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterKillTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final Map<String, int[]> ports = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();

    @Test
    void killingTheLeaderLosesNoAcknowledgedMessage() throws Exception {
        for (String n : JsCluster3.NAMES) {
            ports.put(n, new int[] {freePort(), freePort(), freePort()});
        }
        try {
            for (String n : JsCluster3.NAMES) {
                launch(n);
            }
            awaitMetaLeader();
            Map<Long, String> acked = new ConcurrentSkipListMap<>();
            AtomicBoolean publishing = new AtomicBoolean(true);
            try (Connection nc = connect()) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("K").subjects("k").replicas(3)
                        .storageType(StorageType.File).build());
                Thread publisher = Thread.ofPlatform().start(() -> publish(nc, acked, publishing));
                for (int round = 0; round < 2; round++) {
                    Thread.sleep(2000);
                    String leader = leader(jsm);
                    processes.get(leader).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    int before = acked.size();
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (acked.size() < before + 20 && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertTrue(acked.size() >= before + 20, "publishing resumed after killing " + leader);
                    launch(leader);
                }
                Thread.sleep(2000);
                publishing.set(false);
                publisher.join(WAIT.toMillis());
                assertTrue(acked.size() > 100, "messages were acknowledged: " + acked.size());
                System.out.println("ClusterKillTest: " + acked.size() + " messages acknowledged across two leader kills");
                for (String n : JsCluster3.NAMES) {
                    makeLeader(nc, jsm, n);
                    assertEquals(acked.size(), jsm.getStreamInfo("K").getStreamState().getMsgCount(),
                            "exactly the acknowledged messages on " + n);
                    for (Map.Entry<Long, String> e : acked.entrySet()) {
                        assertEquals(e.getValue(), readOn(nc, jsm, n, e.getKey()), "sequence " + e.getKey() + " on " + n);
                    }
                }
            }
        } finally {
            for (Process p : processes.values()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void publish(Connection nc, Map<Long, String> acked, AtomicBoolean publishing) {
        io.nats.client.JetStream js;
        try {
            js = nc.jetStream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int i = 0; publishing.get(); i++) {
            String body = "k-" + i;
            while (publishing.get()) {
                try {
                    PublishAck ack = js.publish("k", body.getBytes(StandardCharsets.UTF_8), PublishOptions.builder()
                            .messageId(body).streamTimeout(Duration.ofSeconds(2)).build());
                    String before = acked.putIfAbsent(ack.getSeqno(), body);
                    if (before != null && !before.equals(body)) {
                        throw new AssertionError("sequence " + ack.getSeqno() + " acked for " + before + " and " + body);
                    }
                    break;
                } catch (Exception e) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * The message at {@code seq} as replica {@code name} has it: read while it leads (on a 2-core machine under load
     * a leader may lose its quorum for a moment; it is then made leader again).
     */
    private String readOn(Connection nc, JetStreamManagement jsm, String name, long seq) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                String body = new String(jsm.getMessage("K", seq).getData(), StandardCharsets.UTF_8);
                if (name.equals(leaderOrEmpty(jsm))) {
                    return body;
                }
            } catch (IOException | io.nats.client.JetStreamApiException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            makeLeader(nc, jsm, name);
        }
    }

    private void makeLeader(Connection nc, JetStreamManagement jsm, String name) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (name.equals(leaderOrEmpty(jsm))) {
                return;
            }
            try {
                nc.request("$JS.API.STREAM.LEADER.STEPDOWN.K", ("{\"placement\":{\"preferred\":\"" + name + "\"}}")
                        .getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            } catch (Exception e) {
                // no leader for a moment
            }
            Thread.sleep(300);
        }
        throw new AssertionError(name + " never became the stream leader");
    }

    private static String leader(JetStreamManagement jsm) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String l = leaderOrEmpty(jsm);
            if (!l.isEmpty()) {
                return l;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no stream leader");
    }

    private static String leaderOrEmpty(JetStreamManagement jsm) {
        try {
            String l = jsm.getStreamInfo("K").getClusterInfo().getLeader();
            return l == null ? "" : l;
        } catch (Exception e) {
            return "";
        }
    }

    private Connection connect() throws IOException, InterruptedException {
        List<String> urls = new ArrayList<>();
        ports.values().forEach(p -> urls.add("nats://127.0.0.1:" + p[0]));
        return Nats.connect(new Options.Builder().servers(urls.toArray(String[]::new))
                .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(-1).reconnectWait(Duration.ofMillis(100))
                .errorListener(new io.nats.client.ErrorListener() {
                }).build());
    }

    private void launch(String name) throws Exception {
        int[] p = ports.get(name);
        List<String> routes = new ArrayList<>();
        ports.forEach((n, q) -> {
            if (!n.equals(name)) {
                routes.add("\"nats-route://127.0.0.1:" + q[1] + "\"");
            }
        });
        String conf = "server_name: " + name + "\nlisten: \"127.0.0.1:" + p[0] + "\"\nhttp: \"127.0.0.1:" + p[2] + "\"\n"
                + "jetstream { store_dir: \"" + dir.resolve(name) + "\" }\n"
                + "cluster { name: jsc, listen: \"127.0.0.1:" + p[1] + "\", routes: " + routes + " }\n";
        Path file = Files.writeString(dir.resolve(name + ".conf"), conf);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path") + File.pathSeparator
                + System.getProperty("jdk.module.path", "");
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "-Dnats.jetstream.cluster.election_ms=1000",
                // Snapshots (and so catch-up after a kill) several times per run.
                "-Dnats.jetstream.cluster.stream_snapshot_entries=300", "-cp", cp,
                ServerMain.class.getName(), file.toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
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

    private void awaitMetaLeader() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            int agreed = 0;
            for (int[] p : ports.values()) {
                try {
                    var c = (java.net.HttpURLConnection) URI.create("http://127.0.0.1:" + p[2] + "/jsz").toURL()
                            .openConnection();
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
        throw new AssertionError("no meta leader");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
