package nats.mqtt.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import nats.testing.GoServer;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Side by side with Go's MQTT listener, the same raw clients: QoS 0 and QoS 1 publish-to-subscriber throughput
 * and the QoS 1 round trip (publish until the subscriber has it), with the server's CPU time per message read
 * from {@code /proc}. Each round starts fresh server processes (jnatsd's image, Go 2.9.10), alternating A and B;
 * prints a table. Tagged {@code bench}: {@code mvn -pl modules/nats.mqtt test -Dgroups=bench
 * -Dtest.excludedGroups=none -Dtest=MqttBenchTest} (the image must be built: {@code -Dimage.dir}).
 */
@Tag("bench")
class MqttBenchTest {

    private static final Path IMAGE = Path.of(System.getProperty("image.dir", "../../jlink/target/image"));
    private static final int ROUNDS = Integer.getInteger("mqtt.bench.rounds", 3);

    @TempDir
    Path dir;

    /** A server process with its MQTT port. */
    private record Server(Process process, int mqttPort) implements AutoCloseable {
        long cpuNanos() throws IOException {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime (fields 14 and 15, in clock ticks of 10 ms).
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        }

        /** CPU time of the JVM's JIT compiler threads (none for Go): a fresh process's warm-up, not its work. */
        long compilerNanos() throws IOException {
            long ticks = 0;
            try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String name = Files.readString(task.resolve("comm"));
                        if (!name.startsWith("C2 Compiler") && !name.startsWith("C1 Compiler")) {
                            continue;
                        }
                        String stat = Files.readString(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    } catch (IOException e) {
                        // the thread ended
                    }
                }
            }
            return ticks * 10_000_000L;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private Server start(boolean go, int round) throws Exception {
        int port = Ports.free();
        int mqtt = Ports.free();
        Path d = Files.createDirectories(dir.resolve((go ? "go-" : "j-") + round));
        Path conf = Files.writeString(d.resolve("s.conf"), "server_name: bench\nlisten: 127.0.0.1:" + port
                + "\njetstream { store_dir: \"" + d.resolve("store") + "\" }\nmqtt { host: 127.0.0.1, port: " + mqtt
                + " }\n");
        String binary = go ? GoServer.BINARY.toString() : IMAGE.resolve("bin/nats-server").toString();
        Process p = new ProcessBuilder(binary, "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(d.resolve("server.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", mqtt)) {
                return new Server(p, mqtt);
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        p.destroyForcibly();
        throw new IOException("server did not listen: " + Files.readString(d.resolve("server.log")));
    }

    /** A scenario on a fresh server: its result and the server CPU it took. */
    @FunctionalInterface
    private interface Scenario {
        MqttLoad.Run run(int port) throws Exception;
    }

    private record Measured(double value, double cpuMicrosPerMessage, double jitMicrosPerMessage) {
    }

    private Measured measure(boolean go, int round, Scenario warmup, Scenario scenario) throws Exception {
        try (Server s = start(go, round)) {
            warmup.run(s.mqttPort());
            long cpu0 = s.cpuNanos();
            long jit0 = s.compilerNanos();
            MqttLoad.Run r = scenario.run(s.mqttPort());
            long cpu = s.cpuNanos() - cpu0;
            long jit = s.compilerNanos() - jit0;
            return new Measured(r.rate(), cpu / 1000.0 / r.messages(), jit / 1000.0 / r.messages());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void sideBySideWithGo() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        Assumptions.assumeTrue(Files.isExecutable(IMAGE.resolve("bin/nats-server")), "image not built at " + IMAGE);
        List<String> rows = new ArrayList<>();
        // Each measured run follows a warm-up of half its size on the same server (the JIT's, and the store's).
        int n0 = Integer.getInteger("mqtt.bench.qos0", 2_000_000);
        int n1 = Integer.getInteger("mqtt.bench.qos1", 100_000);
        int nr = Integer.getInteger("mqtt.bench.rtt", 5_000);
        for (int size : new int[] {16, 128}) {
            rows.add(compare("QoS 0 pub->sub msg/s", size,
                    p -> MqttLoad.throughput(p, 0, size, n0 / 2, 1, "w0"),
                    p -> MqttLoad.throughput(p, 0, size, n0, 1, "q0")));
            rows.add(compare("QoS 1 pub->sub msg/s (window 256)", size,
                    p -> MqttLoad.throughput(p, 1, size, n1 / 2, 256, "w1"),
                    p -> MqttLoad.throughput(p, 1, size, n1, 256, "q1")));
        }
        rows.add(compareLatency(nr));
        System.out.println("\nMQTT side by side (" + ROUNDS + " rounds, medians; cpu = server CPU µs per message, of it"
                + " JIT = jnatsd's compiler threads)");
        System.out.println(String.format(Locale.ROOT, "%-36s %5s %14s %14s %6s %10s %10s %8s", "scenario", "size",
                "jnatsd", "Go", "ratio", "cpu jnatsd", "cpu Go", "of it JIT"));
        rows.forEach(System.out::println);
    }

    /** Load against a server already running ({@code -Dmqtt.bench.port}), for profiling it. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void loadAgainstARunningServer() throws Exception {
        int port = Integer.getInteger("mqtt.bench.port", 0);
        Assumptions.assumeTrue(port > 0, "no -Dmqtt.bench.port");
        int qos = Integer.getInteger("mqtt.bench.load.qos", 0);
        int size = Integer.getInteger("mqtt.bench.load.size", 16);
        int count = Integer.getInteger("mqtt.bench.load.count", 1_000_000);
        MqttLoad.Run r = qos < 0 ? MqttLoad.roundTrip(port, size, count, "prof")
                : MqttLoad.throughput(port, qos, size, count, 256, "prof" + qos);
        System.out.println("load: " + r.messages() + " msgs in " + r.nanos() / 1_000_000 + " ms = "
                + Math.round(r.rate()) + " msg/s" + (qos < 0 ? " p50 " + r.percentileMicros(0.5) + " us" : ""));
    }

    private String compare(String name, int size, Scenario warmup, Scenario scenario) throws Exception {
        List<Measured> ours = new ArrayList<>();
        List<Measured> go = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            ours.add(measure(false, round, warmup, scenario));
            go.add(measure(true, round, warmup, scenario));
        }
        double a = median(ours.stream().mapToDouble(Measured::value).toArray());
        double b = median(go.stream().mapToDouble(Measured::value).toArray());
        double ca = median(ours.stream().mapToDouble(Measured::cpuMicrosPerMessage).toArray());
        double cb = median(go.stream().mapToDouble(Measured::cpuMicrosPerMessage).toArray());
        double ja = median(ours.stream().mapToDouble(Measured::jitMicrosPerMessage).toArray());
        for (int i = 0; i < ROUNDS; i++) {
            System.out.println(String.format(Locale.ROOT, "  %s %dB round %d: jnatsd %.0f/s cpu %.2f (jit %.2f), Go %.0f/s"
                    + " cpu %.2f", name, size, i, ours.get(i).value(), ours.get(i).cpuMicrosPerMessage(),
                    ours.get(i).jitMicrosPerMessage(), go.get(i).value(), go.get(i).cpuMicrosPerMessage()));
        }
        return String.format(Locale.ROOT, "%-36s %4dB %14.0f %14.0f %6.2f %10.2f %10.2f %8.2f", name, size, a, b, a / b,
                ca, cb, ja);
    }

    private String compareLatency(int count) throws Exception {
        List<double[]> ours = new ArrayList<>();
        List<double[]> go = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            ours.add(latency(false, round, count));
            go.add(latency(true, round, count));
        }
        double[] a = {median(ours.stream().mapToDouble(x -> x[0]).toArray()),
            median(ours.stream().mapToDouble(x -> x[1]).toArray()), median(ours.stream().mapToDouble(x -> x[2]).toArray())};
        double[] b = {median(go.stream().mapToDouble(x -> x[0]).toArray()),
            median(go.stream().mapToDouble(x -> x[1]).toArray()), median(go.stream().mapToDouble(x -> x[2]).toArray())};
        return String.format(Locale.ROOT, "%-36s %4dB %6.0f/%6.0fus %6.0f/%6.0fus %6.2f %10.2f %10.2f",
                "QoS 1 round trip p50/p99", 128, a[0], a[1], b[0], b[1], a[0] / b[0], a[2], b[2]);
    }

    private double[] latency(boolean go, int round, int count) throws Exception {
        try (Server s = start(go, round)) {
            MqttLoad.roundTrip(s.mqttPort(), 128, count / 2, "wr");
            long cpu0 = s.cpuNanos();
            MqttLoad.Run r = MqttLoad.roundTrip(s.mqttPort(), 128, count, "rt");
            long cpu = s.cpuNanos() - cpu0;
            return new double[] {r.percentileMicros(0.5), r.percentileMicros(0.99), cpu / 1000.0 / r.messages()};
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
