package nats.gateway.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.testing.GoServer;
import nats.testing.Ports;

/**
 * A server of a super-cluster test: ours in-process (kernel, routes and gateways from the class path), ours as a
 * child JVM (to kill it), or Debian's Go nats-server 2.9.10 as a child process; all on free loopback ports, from
 * the same config text.
 */
public final class Member implements AutoCloseable {

    /** What kind of server. */
    public enum Kind { OURS, OURS_PROCESS, GO }

    public final String name;
    public final Kind kind;
    public final int port;
    public final int httpPort;
    public final int clusterPort;
    public final int gatewayPort;
    private final Path dir;
    private final Path config;
    private final String header;
    private final List<String> jvmArgs;
    private NatsServer server;
    private Process process;

    private Member(String name, Kind kind, Path dir, String extra, String clusterBlock, String gatewayBlock,
                   List<String> jvmArgs, int clusterPort, int gatewayPort) throws IOException {
        this.name = name;
        this.kind = kind;
        this.dir = dir;
        this.port = Ports.free();
        this.httpPort = Ports.free();
        this.clusterPort = clusterPort;
        this.gatewayPort = gatewayPort;
        this.jvmArgs = jvmArgs;
        this.header = "server_name: " + name + "\nlisten: 127.0.0.1:" + port + "\nhttp: 127.0.0.1:" + httpPort + "\n"
                + extra + "\n";
        StringBuilder text = new StringBuilder("server_name: " + name + "\nlisten: 127.0.0.1:" + port
                + "\nhttp: 127.0.0.1:" + httpPort + "\n" + extra + "\n");
        if (clusterBlock != null) {
            text.append("cluster {\n  listen: 127.0.0.1:").append(clusterPort).append("\n  ").append(clusterBlock)
                    .append("\n}\n");
        }
        if (gatewayBlock != null) {
            text.append("gateway {\n  listen: 127.0.0.1:").append(gatewayPort).append("\n  ").append(gatewayBlock)
                    .append("\n}\n");
        }
        this.config = Files.writeString(dir.resolve(kind.name().toLowerCase() + "-" + name + ".conf"), text);
    }

    /** Ports chosen before start, so others can name this server in their blocks. */
    public static final class Plan {
        public final int clusterPort;
        public final int gatewayPort;

        public Plan() throws IOException {
            clusterPort = Ports.free();
            gatewayPort = Ports.free();
        }

        public String routeUrl() {
            return "nats-route://127.0.0.1:" + clusterPort;
        }

        public String gatewayUrl() {
            return "nats://127.0.0.1:" + gatewayPort;
        }
    }

    /**
     * Starts a server.
     *
     * @param clusterBlock the inside of {@code cluster {}} after {@code listen}, or null for no cluster
     * @param gatewayBlock the inside of {@code gateway {}} after {@code listen}; null for no gateway
     */
    public static Member start(Path dir, Kind kind, String name, Plan plan, String clusterBlock, String gatewayBlock,
                               String... jvmArgs) throws Exception {
        return startWith(dir, kind, name, plan, "", clusterBlock, gatewayBlock, jvmArgs);
    }

    /** Starts a server with more top-level config ({@code extra}, e.g. accounts). */
    public static Member startWith(Path dir, Kind kind, String name, Plan plan, String extra, String clusterBlock,
                                   String gatewayBlock, String... jvmArgs) throws Exception {
        Member m = new Member(name, kind, dir, extra, clusterBlock, gatewayBlock, List.of(jvmArgs), plan.clusterPort,
                plan.gatewayPort);
        m.launch();
        return m;
    }

    /** Starts (again, on the same ports). */
    public void launch() throws Exception {
        switch (kind) {
            case OURS -> {
                ServerOptions options = new ServerOptions();
                List<String> warnings = ConfigFiles.load(config, options, true);
                if (!warnings.isEmpty()) {
                    throw new IllegalStateException("config warnings: " + warnings);
                }
                server = NatsServer.start(options);
            }
            case OURS_PROCESS -> {
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1"));
                command.addAll(jvmArgs);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
                        config.toString()));
                process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
                awaitPort();
            }
            case GO -> {
                if (!GoServer.available()) {
                    throw new org.opentest4j.TestAbortedException("Go nats-server not installed");
                }
                process = new ProcessBuilder(GoServer.BINARY.toString(), "-c", config.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                        .start();
                awaitPort();
            }
        }
    }

    /** Rewrites the config with a new gateway block and reloads it in-process, as SIGHUP does (ours only). */
    public void reload(String gatewayBlock) throws Exception {
        Files.writeString(config, header + "gateway {\n  listen: 127.0.0.1:" + gatewayPort + "\n  " + gatewayBlock
                + "\n}\n");
        ServerOptions options = new ServerOptions();
        ConfigFiles.load(config, options, true);
        server.reload(options);
    }

    private void awaitPort() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException(name + " did not start: " + Files.readString(log()));
    }

    private Path log() {
        return dir.resolve(kind.name().toLowerCase() + "-" + name + ".log");
    }

    public String logText() throws IOException {
        return Files.exists(log()) ? Files.readString(log()) : "";
    }

    /** SIGKILL (a process), or an abrupt close (in-process). */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        } else if (server != null) {
            server.close();
        }
    }

    public String clientUrl() {
        return "nats://127.0.0.1:" + port;
    }

    public String gatewayUrl() {
        return "nats://127.0.0.1:" + gatewayPort;
    }

    public String routeUrl() {
        return "nats-route://127.0.0.1:" + clusterPort;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
