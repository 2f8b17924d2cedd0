package nats.websocket.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;

/**
 * jnatsd started in-process from Go config text (the {@code websocket {}} block included), on random loopback
 * ports: the client port is {@code -1} unless the text sets one, the WebSocket port is read back from the
 * server.
 */
public final class WsTestServer implements AutoCloseable {

    private final NatsServer server;

    private WsTestServer(NatsServer server) {
        this.server = server;
    }

    /** Starts a server on {@code config} (written to a file in {@code dir}). */
    public static WsTestServer start(Path dir, String config, String... enable)
            throws IOException, ServerStartException {
        return startFile(Files.writeString(Files.createTempFile(dir, "jnatsd-", ".conf"), config), enable);
    }

    /** Starts a server on the config file {@code file}, with the plugins {@code enable} names enabled too. */
    public static WsTestServer startFile(Path file, String... enable) throws IOException, ServerStartException {
        ServerOptions options = new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT);
        for (String id : enable) {
            options.enable(id);
        }
        List<String> warnings = ConfigFiles.load(file, options, true);
        if (!warnings.isEmpty()) {
            throw new IllegalArgumentException("unexpected config warnings: " + warnings);
        }
        return new WsTestServer(NatsServer.start(options));
    }

    /** The WebSocket listener's port. */
    public int wsPort() {
        List<String> urls = server.pluginListenerUrls().getOrDefault("websocket", List.of());
        if (urls.isEmpty()) {
            throw new IllegalStateException("no websocket listener is open");
        }
        return URI.create(urls.get(urls.size() - 1)).getPort();
    }

    /** The NATS client port. */
    public int natsPort() {
        return server.port();
    }

    public NatsServer server() {
        return server;
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
