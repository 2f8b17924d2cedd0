package nats.leafnode.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.testing.Ports;

/**
 * One of our servers in-process, with the leafnode plugin (and routes) from the test class path, on fixed free
 * loopback ports chosen before it starts, so it can be started again on the same ports.
 */
public final class Ours implements AutoCloseable {

    public final String name;
    public final int port;
    public final int httpPort;
    public final int leafPort;
    private final Path dir;
    private String body;
    private NatsServer server;

    private Ours(String name, Path dir, String body, int leafPort) throws Exception {
        this.name = name;
        this.dir = dir;
        this.body = body;
        this.port = Ports.free();
        this.httpPort = Ports.free();
        this.leafPort = leafPort;
    }

    /**
     * Starts a server whose config is {@code body} (with {@code %LEAF%} replaced by the leaf port chosen here)
     * after the server name, client and HTTP ports.
     */
    public static Ours start(Path dir, String name, String body) throws Exception {
        Ours ours = new Ours(name, dir, body, Ports.free());
        ours.launch();
        return ours;
    }

    /** Starts (again) on the same ports. */
    public void launch() throws Exception {
        String config = "server_name: " + name + "\nlisten: 127.0.0.1:" + port + "\nhttp: 127.0.0.1:" + httpPort
                + "\n" + body.replace("%LEAF%", Integer.toString(leafPort)) + "\n";
        Path file = Files.writeString(dir.resolve(name + ".conf"), config);
        ServerOptions options = new ServerOptions();
        List<String> warnings = ConfigFiles.load(file, options, true);
        if (!warnings.isEmpty()) {
            throw new IllegalStateException("config warnings: " + warnings);
        }
        server = NatsServer.start(options);
    }

    /** Rewrites the config with {@code newBody} and reloads it, as SIGHUP does. */
    public void reload(String newBody) throws Exception {
        body = newBody;
        String config = "server_name: " + name + "\nlisten: 127.0.0.1:" + port + "\nhttp: 127.0.0.1:" + httpPort
                + "\n" + body.replace("%LEAF%", Integer.toString(leafPort)) + "\n";
        Path file = Files.writeString(dir.resolve(name + ".conf"), config);
        ServerOptions options = new ServerOptions();
        ConfigFiles.load(file, options, true);
        server.reload(options);
    }

    public String clientUrl() {
        return "nats://127.0.0.1:" + port;
    }

    /** A leafnode URL to this server, with credentials when given ({@code user:pass@}). */
    public String leafUrl(String userInfo) {
        return "nats-leaf://" + (userInfo.isEmpty() ? "" : userInfo + "@") + "127.0.0.1:" + leafPort;
    }

    public NatsServer server() {
        return server;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
