package nats.websocket.testing;

import java.io.IOException;
import java.nio.file.Path;

import nats.testing.GoServer;
import nats.testing.Ports;

/**
 * The Go reference server (the differential oracle, through {@link GoServer}) on a config template with two
 * {@code %d}: the client port, then the WebSocket port.
 */
public final class GoWsServer implements AutoCloseable {

    public static final Path BINARY = GoServer.BINARY;

    private final GoServer server;
    private final int wsPort;

    private GoWsServer(GoServer server, int wsPort) {
        this.server = server;
        this.wsPort = wsPort;
    }

    public static boolean available() {
        return GoServer.available();
    }

    public static GoWsServer start(Path dir, String template) throws IOException, InterruptedException {
        int ws = Ports.free();
        // Go opens its WebSocket listener before the client port, so the client port's INFO means both are up.
        return new GoWsServer(GoServer.start(dir, port -> template.formatted(port, ws), "-a", "127.0.0.1"), ws);
    }

    public int natsPort() {
        return server.port();
    }

    public int wsPort() {
        return wsPort;
    }

    public String log() throws IOException {
        return server.log();
    }

    public static int freePort() throws IOException {
        return Ports.free();
    }

    @Override
    public void close() {
        server.close();
    }
}
