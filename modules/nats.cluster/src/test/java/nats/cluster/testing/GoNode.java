package nats.cluster.testing;

import nats.testing.Monitor;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Debian's Go nats-server 2.9.10 as a cluster member, as a child process on loopback ports. */
public final class GoNode implements AutoCloseable {

    public static final Path BINARY = Path.of(System.getProperty("nats.go.server", "/usr/sbin/nats-server"));

    public final String name;
    public final int port;
    public final int clusterPort;
    public final int httpPort;
    private final Process process;
    private final Path log;

    private GoNode(String name, int port, int clusterPort, int httpPort, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.clusterPort = clusterPort;
        this.httpPort = httpPort;
        this.process = process;
        this.log = log;
    }

    /** Skips the calling test when the Go server is not installed. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "Go nats-server not installed at " + BINARY);
    }

    /** Starts a Go server with the same kind of config as {@link Node#start}. */
    public static GoNode start(Path dir, String name, int clusterPort, String clusterBlock, String extra)
            throws IOException, InterruptedException {
        assumeAvailable();
        int port = Ports.free();
        int httpPort = Ports.free();
        String config = "server_name: " + name + "\nlisten: 127.0.0.1:" + port + "\nhttp: 127.0.0.1:" + httpPort
                + "\n" + extra + "\ncluster {\n  listen: 127.0.0.1:" + clusterPort + "\n  " + clusterBlock + "\n}\n";
        Path conf = Files.writeString(dir.resolve("go-" + name + ".conf"), config);
        Path log = dir.resolve("go-" + name + ".log");
        Process p = new ProcessBuilder(BINARY.toString(), "-c", conf.toString(), "-DV").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        GoNode node = new GoNode(name, port, clusterPort, httpPort, p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return node;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        node.close();
        throw new IOException("Go nats-server did not start: " + Files.readString(log));
    }

    public String routeUrl() {
        return "nats-route://127.0.0.1:" + clusterPort;
    }

    public String clientUrl() {
        return "nats://127.0.0.1:" + port;
    }

    /** The server id, from /varz. */
    public String serverId() {
        return (String) Monitor.get(httpPort, "/varz").get("server_id");
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
