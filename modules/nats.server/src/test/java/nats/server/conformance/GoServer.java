package nats.server.conformance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The Go reference server ({@code /usr/sbin/nats-server}) run as a child process on 127.0.0.1. */
final class GoServer implements AutoCloseable {

    static final Path BINARY = Path.of(System.getProperty("nats.go.server", "/usr/sbin/nats-server"));

    private final Process process;
    private final int port;
    private final Path dir;

    private GoServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static GoServer start(ServerConfig config) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path dir = Files.createTempDirectory("go-nats-");
            Path conf = dir.resolve("server.conf");
            Files.writeString(conf, config.goConfig(port));
            Process p = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile())
                    .start();
            GoServer server = new GoServer(p, port, dir);
            if (server.awaitListening(5000)) {
                return server;
            }
            server.close();
            last = new IOException("Go nats-server did not start on port " + port + ": "
                    + Files.readString(dir.resolve("server.log")));
        }
        throw last;
    }

    int port() {
        return port;
    }

    private boolean awaitListening(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                // Wait for INFO so the server is fully up, then leave without CONNECT.
                s.setSoTimeout(1000);
                if (s.getInputStream().read() == 'I') {
                    return true;
                }
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
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
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // temp files only
        }
    }
}
