package nats.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one Prometheus scrape costs the server with 10,000 client connections (each with one subscription):
 * jnatsd's {@code /metrics} against the Go server's {@code /varz} plus {@code /connz?limit=1} (what the exporter
 * needs at least, per scrape, for the same numbers), each server a separate process, CPU read from
 * {@code /proc/<pid>/stat} (user + system) over many scrapes after a warm-up, less the CPU the idle server
 * spends over the same time. Writes the table to {@code target/scrape-cost.txt}.
 *
 * <p>Run: {@code mvn -pl modules/nats.cli -am test -Dtest=ScrapeCostBench -Dgroups=bench -Dtest.excludedGroups=none
 * -Dsurefire.failIfNoSpecifiedTests=false} (needs {@code ulimit -n} of at least 22000).
 */
@Tag("bench")
@Timeout(900)
class ScrapeCostBench {

    private static final Path GO = Path.of("/usr/sbin/nats-server");
    private static final int CONNECTIONS = Integer.getInteger("scrape.connections", 10_000);
    private static final int WARMUP = Integer.getInteger("scrape.warmup", 300);
    private static final int SCRAPES = Integer.getInteger("scrape.count", 600);
    private static final long TICK_NANOS = 10_000_000L;

    @TempDir
    Path dir;

    private final StringBuilder report = new StringBuilder();

    @Test
    void scrapeCostWithTenThousandConnections() throws Exception {
        report.append(String.format(Locale.ROOT, "%d connections (1 subscription each), %d warm-up and %d measured "
                + "scrapes, %d cores, load average %s%n", CONNECTIONS, WARMUP, SCRAPES,
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim()));
        report.append(String.format(Locale.ROOT, "%-52s %14s %14s %12s%n", "server: request(s) per scrape",
                "CPU ms/scrape", "wall ms/scrape", "bytes"));
        if (Files.isExecutable(GO)) {
            measure("Go 2.9.10", goServer(), List.of(List.of("/varz", "/connz?limit=1"), List.of("/varz")));
        }
        List<List<String>> ours = new ArrayList<>(List.of(List.of("/metrics"), List.of("/varz", "/connz?limit=1"),
                List.of("/metrics?connz_detailed=1")));
        if (Boolean.getBoolean("scrape.collectors")) {
            for (String c : List.of("varz", "connz", "subz", "routez", "gatewayz", "leafz", "accstatz", "accountz",
                    "healthz")) {
                ours.add(List.of("/metrics?jnatsd=0&" + c + "=1"));
            }
            ours.add(List.of("/metrics?jnatsd=0&jsz=all"));
            ours.add(List.of("/metrics?jnatsd=1&varz=0"));
        }
        measure("jnatsd", jnatsd(), ours);
        Path out = Path.of("target", "scrape-cost.txt");
        Files.writeString(out, report);
        System.out.println(report);
    }

    private record Server(Process process, int clientPort, int httpPort) {
    }

    private Server goServer() throws Exception {
        int port = free();
        int http = free();
        Process p = new ProcessBuilder(GO.toString(), "-a", "127.0.0.1", "-p", String.valueOf(port), "-m",
                String.valueOf(http)).redirectErrorStream(true).redirectOutput(dir.resolve("go.out").toFile()).start();
        return new Server(p, port, http);
    }

    private Server jnatsd() throws Exception {
        int port = free();
        int http = free();
        Process p = JnatsdProcess.start(dir.resolve("jnatsd-" + System.nanoTime() + ".out"), "-a", "127.0.0.1",
                "-p", String.valueOf(port), "-m", String.valueOf(http));
        return new Server(p, port, http);
    }

    private void measure(String name, Server server, List<List<String>> scrapes) throws Exception {
        List<SocketChannel> clients = new ArrayList<>(CONNECTIONS);
        try {
            awaitHttp(server.httpPort());
            byte[] hello = "CONNECT {\"verbose\":false}\r\nSUB scrape.cost 1\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < CONNECTIONS; i++) {
                SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.clientPort()));
                c.write(ByteBuffer.wrap(hello));
                clients.add(c);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!get(server.httpPort(), "/varz").contains("\"connections\": " + CONNECTIONS + ",")) {
                assertTrue(System.nanoTime() < deadline, name + ": the server did not count all connections");
                Thread.sleep(200);
            }
            // Past the first RTT PINGs (2 s after CONNECT).
            Thread.sleep(3000);
            for (List<String> paths : scrapes) {
                scrape(name + ": " + String.join(" + ", paths), server, paths);
            }
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
            JnatsdProcess.stop(server.process());
        }
    }

    private void scrape(String name, Server server, List<String> paths) throws Exception {
        {
            for (int i = 0; i < WARMUP; i++) {
                for (String path : paths) {
                    get(server.httpPort(), path);
                }
            }
            long idleTicks = idleTicks(server.process().pid(), 2000);
            long before = cpuTicks(server.process().pid());
            long start = System.nanoTime();
            long size = 0;
            for (int i = 0; i < SCRAPES; i++) {
                size = 0;
                for (String path : paths) {
                    size += get(server.httpPort(), path).length();
                }
            }
            long wall = System.nanoTime() - start;
            long used = cpuTicks(server.process().pid()) - before;
            double idlePerNano = idleTicks / 2e9;
            double cpuMs = (used - idlePerNano * wall) * TICK_NANOS / 1e6 / SCRAPES;
            report.append(String.format(Locale.ROOT, "%-52s %14.3f %14.3f %12d   (raw %.3f, idle %d ticks/2 s)%n",
                    name, cpuMs, wall / 1e6 / SCRAPES, size, used * TICK_NANOS / 1e6 / SCRAPES, idleTicks));
        }
    }

    private static long idleTicks(long pid, long millis) throws Exception {
        long before = cpuTicks(pid);
        Thread.sleep(millis);
        return cpuTicks(pid) - before;
    }

    /** utime + stime of a process, in clock ticks (1/100 s). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String get(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void awaitHttp(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                get(port, "/healthz");
                return;
            } catch (IOException e) {
                assertTrue(System.nanoTime() < deadline, "the monitoring port did not come up");
                Thread.sleep(50);
            }
        }
    }

    private static int free() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
