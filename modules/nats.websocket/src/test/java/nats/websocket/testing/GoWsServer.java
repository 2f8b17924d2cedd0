package nats.websocket.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Go reference server ({@code /usr/sbin/nats-server}) run on a config template with two {@code %d}: the
 * client port, then the WebSocket port; the oracle of the differential tests.
 */
public final class GoWsServer implements AutoCloseable {

    public static final Path BINARY = Path.of(System.getProperty("nats.go.server", "/usr/sbin/nats-server"));

    private final Process process;
    private final int natsPort;
    private final int wsPort;
    private final Path log;

    private GoWsServer(Process process, int natsPort, int wsPort, Path log) {
        this.process = process;
        this.natsPort = natsPort;
        this.wsPort = wsPort;
        this.log = log;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    public static GoWsServer start(Path dir, String template) throws IOException, InterruptedException {
        int nats = freePort();
        int ws = freePort();
        Path conf = Files.writeString(dir.resolve("go-" + ws + ".conf"), template.formatted(nats, ws));
        Path log = dir.resolve("go-" + ws + ".log");
        Process p = new ProcessBuilder(List.of(BINARY.toString(), "-a", "127.0.0.1", "-c", conf.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GoWsServer server = new GoWsServer(p, nats, ws, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", ws)) {
                return server;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        server.close();
        throw new IOException("Go nats-server did not start: " + Files.readString(log));
    }

    public int natsPort() {
        return natsPort;
    }

    public int wsPort() {
        return wsPort;
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
