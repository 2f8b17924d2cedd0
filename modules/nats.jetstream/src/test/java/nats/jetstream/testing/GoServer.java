package nats.jetstream.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nats.testing.Ports;

/** The Go reference server ({@code /usr/sbin/nats-server}) with JetStream, as a child process, for differential tests. */
public final class GoServer implements AutoCloseable {

    public static final Path BINARY = Path.of(System.getProperty("nats.go.server", "/usr/sbin/nats-server"));

    private final Process process;
    private final int port;
    private final Path log;

    private GoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Go with {@code -js -sd DIR} and any extra arguments (e.g. {@code -c conf}). */
    public static GoServer startJetStream(Path dir, String... extra) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-js", "-sd", dir.resolve("go-store").toString()));
        args.addAll(List.of(extra));
        return start(dir, args.toArray(String[]::new));
    }

    /** Go with these arguments (and a loopback address and free port). */
    public static GoServer start(Path dir, String... args) throws IOException, InterruptedException {
        int port = Ports.free();
        Path log = dir.resolve("go-" + port + ".log");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GoServer server = new GoServer(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                // JetStream answers shortly after the port opens.
                Thread.sleep(200);
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

    public String url() {
        return "nats://127.0.0.1:" + port;
    }


    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
