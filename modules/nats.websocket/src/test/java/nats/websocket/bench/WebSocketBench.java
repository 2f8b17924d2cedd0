package nats.websocket.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import nats.testing.GoServer;
import nats.testing.Ports;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pub/sub over WebSocket, side by side: the Go server and jnatsd (the jlink image, as a process), each with a
 * {@code websocket {}} listener; one publisher connection sending batches of PUBs in frames, one subscriber
 * connection counting MSGs; 16 B and 128 B payloads, with and without permessage-deflate. Reports messages per
 * second at the subscriber and the server process's CPU time per message (from /proc). Runs are interleaved
 * (Go, ours, Go, ours...) and the median of the rounds is reported.
 *
 * <p>Run: {@code mvn -pl modules/nats.websocket -am verify -Dtest=WebSocketBench -Dtest.excludedGroups=none
 * -Dgroups=bench -Dsurefire.failIfNoSpecifiedTests=false} after building the image ({@code -pl jlink -am package}).
 * Properties: {@code bench.rounds}, {@code bench.msgs}, {@code bench.size} and {@code bench.compression} (one case),
 * {@code bench.tcp} (the same load over the client port), {@code bench.oursOnly}, {@code bench.ourCommand} (e.g. a
 * JDK with JFR instead of the image) and {@code bench.serverOpts}.
 */
@Tag("bench")
@Timeout(1800)
class WebSocketBench {

    private static final Path IMAGE = Path.of(System.getProperty("image.dir", "../../jlink/target/image"));
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final long MESSAGES = Long.getLong("bench.msgs", 2_000_000);
    /** -Dbench.tcp=true: the same load over the client port (no WebSocket), the baseline. */
    private static final boolean TCP = Boolean.getBoolean("bench.tcp");
    /** PUBs per frame, as a client that flushes in batches sends them. */
    private static final int BATCH = 128;

    @TempDir
    Path dir;

    record Measurement(double msgsPerSec, double cpuNanosPerMsg) {
    }

    interface Server extends AutoCloseable {
        int wsPort();

        int natsPort();

        long pid();

        @Override
        void close();
    }

    @Test
    void pubSubSideBySide() throws Exception {
        assumeTrue(GoServer.available(), "the Go nats-server is not installed");
        assumeTrue(Files.isExecutable(IMAGE.resolve("bin/nats-server")), "build the image first: " + IMAGE);
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-26s %14s %14s %7s %12s %12s %7s", "case", "go msg/s", "ours msg/s", "ratio",
                "go cpu ns/msg", "ours ns/msg", "ratio"));
        for (boolean compression : TCP ? new boolean[] {false} : new boolean[] {false, true}) {
            if (System.getProperty("bench.compression") != null
                    && Boolean.getBoolean("bench.compression") != compression) {
                continue;
            }
            for (int size : new int[] {16, 128}) {
                if (Integer.getInteger("bench.size", size) != size) {
                    continue;
                }
                List<Measurement> go = new ArrayList<>();
                List<Measurement> ours = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    if (!Boolean.getBoolean("bench.oursOnly")) {
                        try (Server g = goServer(compression)) {
                            go.add(measure(g, compression, size));
                        }
                    } else {
                        go.add(new Measurement(1, 1));
                    }
                    try (Server j = ourServer(compression)) {
                        ours.add(measure(j, compression, size));
                    }
                }
                Measurement gm = median(go);
                Measurement om = median(ours);
                lines.add(String.format("%-26s %,14.0f %,14.0f %7.2f %12.0f %12.0f %7.2f",
                        (TCP ? "tcp " : "") + "pubsub " + size + "B" + (compression ? " deflate" : ""), gm.msgsPerSec(), om.msgsPerSec(),
                        om.msgsPerSec() / gm.msgsPerSec(), gm.cpuNanosPerMsg(), om.cpuNanosPerMsg(),
                        om.cpuNanosPerMsg() / gm.cpuNanosPerMsg()));
                System.out.println("WSBENCH round data " + size + " " + compression + " go=" + go + " ours=" + ours);
            }
        }
        String table = String.join("\n", lines);
        System.out.println("WSBENCH\n" + table);
        Files.writeString(Path.of("target/websocket-bench.txt"), table + "\n");
        assertTrue(lines.size() > 1, "expected a line per case");
    }

    /** Warm-up run, then the measured one; the server's CPU is read around the measured run. */
    private Measurement measure(Server server, boolean compression, int size) throws Exception {
        run(server, compression, size, MESSAGES / 4);
        long cpuBefore = cpuNanos(server.pid());
        long start = System.nanoTime();
        run(server, compression, size, MESSAGES);
        long elapsed = System.nanoTime() - start;
        long cpu = cpuNanos(server.pid()) - cpuBefore;
        return new Measurement(MESSAGES * 1e9 / elapsed, (double) cpu / MESSAGES);
    }

    private static void run(Server server, boolean compression, int size, long messages) throws Exception {
        byte[] payload = "p".repeat(size).getBytes(StandardCharsets.US_ASCII);
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
            batch.append("PUB bench ").append(size).append("\r\n").append(new String(payload, StandardCharsets.US_ASCII))
                    .append("\r\n");
        }
        int messageBytes = ("MSG bench 1 " + size + "\r\n").length() + size + 2;
        try (WsLoadClient sub = TCP ? WsLoadClient.connectTcp(server.natsPort())
                : WsLoadClient.connect(server.wsPort(), compression);
             WsLoadClient pub = TCP ? WsLoadClient.connectTcp(server.natsPort())
                : WsLoadClient.connect(server.wsPort(), compression)) {
            sub.sendText("SUB bench 1\r\nPING\r\n");
            sub.awaitPong();
            byte[] frame = pub.frame(batch.toString().getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Void> received = CompletableFuture.runAsync(() -> {
                try {
                    sub.receive(messages, messageBytes);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (long sent = 0; sent < messages; sent += BATCH) {
                pub.send(frame);
            }
            received.get(300, TimeUnit.SECONDS);
            if (messages >= MESSAGES) {
                System.out.printf("WSBENCH frames port %d: %,d frames, %,d bytes, %.0f bytes/frame%n", server.wsPort(),
                        sub.frames, sub.frameBytes, (double) sub.frameBytes / Math.max(1, sub.frames));
            }
        }
    }

    private static Measurement median(List<Measurement> ms) {
        List<Double> rates = ms.stream().map(Measurement::msgsPerSec).sorted().toList();
        List<Double> cpus = ms.stream().map(Measurement::cpuNanosPerMsg).sorted().toList();
        return new Measurement(rates.get(rates.size() / 2), cpus.get(cpus.size() / 2));
    }

    /** utime + stime of the process (all its threads), from /proc/PID/stat. */
    static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 10_000_000L; // USER_HZ = 100
    }

    private Server goServer(boolean compression) throws Exception {
        int ws = Ports.free();
        GoServer g = GoServer.start(dir, port -> "port: " + port + "\nwebsocket { port: " + ws + ", no_tls: true, "
                + "compression: " + compression + " }\n", "-a", "127.0.0.1");
        return new Server() {
            public int wsPort() {
                return ws;
            }

            public int natsPort() {
                return g.port();
            }

            public long pid() {
                return g.pid();
            }

            public void close() {
                g.close();
            }
        };
    }

    private Server ourServer(boolean compression) throws Exception {
        int port = Ports.free();
        int ws = Ports.free();
        Path conf = Files.writeString(dir.resolve("ours-" + ws + ".conf"), "websocket { port: " + ws
                + ", no_tls: true, compression: " + compression + " }\n");
        // bench.ourCommand replaces the image's launcher, e.g. "java -XX:StartFlightRecording=... -p jars -m
        // nats.cli/nats.cli.Main" to profile the server on a full JDK.
        List<String> command = new ArrayList<>(System.getProperty("bench.ourCommand", "").isBlank()
                ? List.of(IMAGE.resolve("bin/nats-server").toString())
                : List.of(System.getProperty("bench.ourCommand").split(" ")));
        command.addAll(List.of("-a", "127.0.0.1", "-p", Integer.toString(port), "-c", conf.toString()));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ours-" + ws + ".log").toFile());
        // e.g. -XX:StartFlightRecording=filename=/tmp/ws.jfr to profile the server
        b.environment().put("NATS_SERVER_JAVA_OPTS", System.getProperty("bench.serverOpts", ""));
        Process p = b.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", ws)) {
                probe.setSoLinger(true, 0);
                break;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return new Server() {
            public int wsPort() {
                return ws;
            }

            public int natsPort() {
                return port;
            }

            public long pid() {
                return p.pid();
            }

            public void close() {
                p.destroy();
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
