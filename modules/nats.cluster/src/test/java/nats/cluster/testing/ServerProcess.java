package nats.cluster.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of our servers as a child JVM ({@link ServerMain}) on fixed ports, so a test can kill it with SIGKILL,
 * pause it with SIGSTOP and start it again on the same ports.
 */
public final class ServerProcess implements AutoCloseable {

    public final String name;
    public final int port;
    public final int clusterPort;
    public final int httpPort;
    private final Path config;
    private final Path log;
    private Process process;

    private ServerProcess(String name, int port, int clusterPort, int httpPort, Path config, Path log) {
        this.name = name;
        this.port = port;
        this.clusterPort = clusterPort;
        this.httpPort = httpPort;
        this.config = config;
        this.log = log;
    }

    /** Writes the config (as {@link Node#start} does) and starts the server. */
    public static ServerProcess start(Path dir, String name, int clusterPort, String clusterBlock, String extra)
            throws IOException, InterruptedException {
        int port = Ports.free();
        int httpPort = Ports.free();
        String text = "server_name: " + name + "\nlisten: 127.0.0.1:" + port + "\nhttp: 127.0.0.1:" + httpPort
                + "\n" + extra + "\ncluster {\n  listen: 127.0.0.1:" + clusterPort + "\n  " + clusterBlock + "\n}\n";
        Path config = Files.writeString(dir.resolve("proc-" + name + ".conf"), text);
        ServerProcess p = new ServerProcess(name, port, clusterPort, httpPort, config, dir.resolve("proc-" + name
                + ".log"));
        p.launch();
        return p;
    }

    /** Starts (again) on the same ports. */
    public void launch() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(), config.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("server " + name + " did not start: " + Files.readString(log));
    }

    /** SIGKILL: no goodbye to anyone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    public String routeUrl() {
        return "nats-route://127.0.0.1:" + clusterPort;
    }

    public String clientUrl() {
        return "nats://127.0.0.1:" + port;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            try {
                resume();
            } catch (IOException e) {
                // not paused, or gone already
            }
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
