package nats.server.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Go reference server run as a child process on a config file, for differential tests that load the
 * same file into both servers. The config is a template with one {@code %d} for the client port.
 */
public final class GoNatsServer implements AutoCloseable {

    public static final Path BINARY = Path.of(System.getProperty("nats.go.server", "/usr/sbin/nats-server"));

    private final Process process;
    private final int port;
    private final Path log;

    private GoNatsServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    public static GoNatsServer start(Path dir, String configTemplate) throws IOException, InterruptedException {
        int port = freePort();
        Path conf = Files.writeString(dir.resolve("go-" + port + ".conf"), configTemplate.formatted(port));
        return launch(dir, port, "-c", conf.toString());
    }

    /** Runs the Go server on {@code conf} unchanged, giving the client port with {@code -p}. */
    public static GoNatsServer startOverridingPort(Path dir, Path conf) throws IOException, InterruptedException {
        int port = freePort();
        return launch(dir, port, "-c", conf.toString(), "-p", Integer.toString(port));
    }

    private static GoNatsServer launch(Path dir, int port, String... args) throws IOException, InterruptedException {
        Path log = dir.resolve("go-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GoNatsServer server = new GoNatsServer(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return server;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        server.close();
        throw new IOException("Go nats-server did not start: " + Files.readString(log));
    }

    public int port() {
        return port;
    }

    /**
     * Rewrites the config this server was started from ({@link #start}) with {@code configTemplate} and
     * sends SIGHUP, as an operator reloads Go's server; waits until the log reports the reload.
     */
    public void reload(Path dir, String configTemplate) throws IOException, InterruptedException {
        Path conf = dir.resolve("go-" + port + ".conf");
        Files.writeString(conf, configTemplate.formatted(port));
        int before = countReloads();
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
        kill.waitFor(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (countReloads() == before) {
            if (System.nanoTime() > deadline) {
                throw new IOException("Go nats-server did not reload: " + log());
            }
            Thread.sleep(20);
        }
    }

    private int countReloads() throws IOException {
        return log().split("Reloaded server configuration", -1).length - 1;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
