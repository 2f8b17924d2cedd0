package nats.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The Go reference server ({@code /usr/sbin/nats-server}, or the {@code nats.go.server} system property) run as
 * a child process on 127.0.0.1, for differential tests: the same config or flags for it and for jnatsd, the
 * same exchange, compared. Tests skip themselves when {@link #available()} is false.
 */
public final class GoServer implements AutoCloseable {

    public static final Path BINARY = Path.of(System.getProperty("nats.go.server", "/usr/sbin/nats-server"));

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path conf;
    private final Path log;

    private GoServer(Process process, int port, Path dir, Path conf, Path log) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.conf = conf;
        this.log = log;
    }

    /** Whether the Go server is installed. */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts the Go server on a config template with one {@code %d} for the client port, written into {@code dir}.
     */
    public static GoServer start(Path dir, String configTemplate, String... extraArgs) throws IOException,
            InterruptedException {
        return start(dir, configTemplate::formatted, extraArgs);
    }

    /** Starts the Go server in a fresh temporary directory on the config {@code configForPort} gives. */
    public static GoServer start(IntFunction<String> configForPort) throws IOException, InterruptedException {
        return start(Files.createTempDirectory("go-nats-"), configForPort);
    }

    /** Starts the Go server on the config {@code configForPort} gives for its client port. */
    public static GoServer start(Path dir, IntFunction<String> configForPort, String... extraArgs)
            throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = Ports.free();
            Path conf = Files.writeString(dir.resolve("go-" + port + ".conf"), configForPort.apply(port));
            List<String> args = new ArrayList<>(List.of("-c", conf.toString()));
            args.addAll(List.of(extraArgs));
            try {
                return launch(dir, port, conf, args);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Starts the Go server with flags only (e.g. {@code -js -sd DIR}); the client port is chosen here. */
    public static GoServer startWithFlags(Path dir, String... flags) throws IOException, InterruptedException {
        int port = Ports.free();
        List<String> args = new ArrayList<>(List.of("-a", "127.0.0.1", "-p", Integer.toString(port)));
        args.addAll(List.of(flags));
        return launch(dir, port, null, args);
    }

    /** Runs the Go server on {@code conf} unchanged, giving the client port with {@code -p}. */
    public static GoServer startOverridingPort(Path dir, Path conf) throws IOException, InterruptedException {
        int port = Ports.free();
        return launch(dir, port, conf, List.of("-c", conf.toString(), "-p", Integer.toString(port)));
    }

    private static GoServer launch(Path dir, int port, Path conf, List<String> args)
            throws IOException, InterruptedException {
        Path log = dir.resolve("go-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GoServer server = new GoServer(p, port, dir, conf, log);
        if (server.awaitInfo(TimeUnit.SECONDS.toNanos(10))) {
            return server;
        }
        String output = Files.exists(log) ? Files.readString(log) : "";
        server.close();
        throw new IOException("Go nats-server did not start on port " + port + ": " + output);
    }

    /** Waits until a connection gets INFO: the server is fully up. */
    private boolean awaitInfo(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                s.setSoTimeout(1000);
                InputStream in = s.getInputStream();
                if (in.read() == 'I') {
                    return true;
                }
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    /** The process id, for signals. */
    public long pid() {
        return process.pid();
    }

    /** What the server logged so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /**
     * Rewrites the config this server was started from with {@code configTemplate} (one {@code %d} for the
     * port) and sends SIGHUP, as an operator reloads it; waits until the log reports the reload.
     */
    public void reload(String configTemplate) throws IOException, InterruptedException {
        if (conf == null) {
            throw new IllegalStateException("started without a config file");
        }
        Files.writeString(conf, configTemplate.formatted(port));
        int before = count("Reloaded server configuration");
        signal("HUP");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (count("Reloaded server configuration") == before) {
            if (System.nanoTime() > deadline) {
                throw new IOException("Go nats-server did not reload: " + log());
            }
            Thread.sleep(20);
        }
    }

    /** Sends a signal ({@code HUP}, {@code STOP}, {@code CONT}, {@code KILL}...) to the server. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        kill.waitFor(5, TimeUnit.SECONDS);
    }

    private int count(String text) throws IOException {
        return log().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The directory the server's files are written to. */
    public Path dir() {
        return dir;
    }
}
