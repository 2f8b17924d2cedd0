package nats.cluster.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.testing.Monitor;

/**
 * One of our servers in-process with the cluster plugin (found on the class path), on fixed free loopback ports
 * so the others can name it in their routes before it starts.
 */
public final class Node implements AutoCloseable {

    public final String name;
    public final int port;
    public final int clusterPort;
    public final int httpPort;
    private final NatsServer server;
    private final Path dir;

    private Node(String name, int port, int clusterPort, int httpPort, NatsServer server, Path dir) {
        this.name = name;
        this.port = port;
        this.clusterPort = clusterPort;
        this.httpPort = httpPort;
        this.server = server;
        this.dir = dir;
    }

    /**
     * Starts a server.
     *
     * @param clusterBlock the inside of {@code cluster {}} after {@code listen} (e.g. {@code name: c, routes: [...]})
     * @param extra        more top-level config, or ""
     */
    public static Node start(Path dir, String name, int clusterPort, String clusterBlock, String extra)
            throws Exception {
        int port = Ports.free();
        int httpPort = Ports.free();
        Node node = new Node(name, port, clusterPort, httpPort, null, dir);
        return new Node(name, port, clusterPort, httpPort,
                NatsServer.start(node.options(clusterBlock, extra)), dir);
    }

    /** Rewrites the config with a new cluster block and reloads it, as SIGHUP does. */
    public void reload(String clusterBlock, String extra) throws Exception {
        server.reload(options(clusterBlock, extra));
    }

    private ServerOptions options(String clusterBlock, String extra) throws Exception {
        String config = "server_name: " + name + "\nlisten: 127.0.0.1:" + port + "\nhttp: 127.0.0.1:" + httpPort
                + "\n" + extra + "\ncluster {\n  listen: 127.0.0.1:" + clusterPort + "\n  " + clusterBlock + "\n}\n";
        Path file = Files.writeString(dir.resolve(name + ".conf"), config);
        ServerOptions options = new ServerOptions();
        List<String> warnings = ConfigFiles.load(file, options, true);
        if (!warnings.isEmpty()) {
            throw new IllegalStateException("config warnings: " + warnings);
        }
        return options;
    }

    /** A route URL to this node. */
    public String routeUrl() {
        return "nats-route://127.0.0.1:" + clusterPort;
    }

    public String clientUrl() {
        return "nats://127.0.0.1:" + port;
    }

    public String serverId() {
        return server.identity().serverId();
    }

    public NatsServer server() {
        return server;
    }

    public int routes() {
        return Monitor.routes(httpPort);
    }

    @Override
    public void close() {
        server.close();
    }
}
