package nats.server.internal.monitor;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The monitoring port, bound as the first step of a start together with the client port (see
 * {@code EarlyListener}). Go listens for monitoring before it accepts clients, so a harness that waits for the
 * client port and then asks for {@code /varz} or {@code /healthz} finds the port there; its requests wait in the
 * backlog until the monitor serves them.
 */
public final class EarlyMonitorPort implements AutoCloseable {

    private HttpServer bound;

    private EarlyMonitorPort(HttpServer bound) {
        this.bound = bound;
    }

    /** No port bound early: the monitor binds its own when it starts. */
    public static EarlyMonitorPort none() {
        return new EarlyMonitorPort(null);
    }

    /**
     * Binds {@code host:port} (0 or -1 for a free port) for HTTP or HTTPS without serving. A failed bind binds
     * nothing: the monitor's start binds again and reports the failure where Go reports it.
     */
    public static EarlyMonitorPort bind(String host, int port, boolean https) {
        try {
            return new EarlyMonitorPort(MonitorServer.create(MonitorServer.address(host, port), https));
        } catch (IOException e) {
            return none();
        }
    }

    /**
     * The server bound early, now owned by the caller, if it listens where {@code wanted} asks (any port for 0)
     * with the same scheme; otherwise null, and the early one is released.
     */
    synchronized HttpServer take(InetSocketAddress wanted, boolean https) {
        HttpServer early = bound;
        if (early == null) {
            return null;
        }
        InetSocketAddress at = early.getAddress();
        boolean matches = (early instanceof HttpsServer) == https
                && at.getAddress().equals(wanted.getAddress())
                && (wanted.getPort() == 0 || wanted.getPort() == at.getPort());
        if (!matches) {
            close();
            return null;
        }
        bound = null;
        return early;
    }

    /** Releases the port unless {@link #take} handed it over: the start failed before the monitor served it. */
    @Override
    public synchronized void close() {
        if (bound != null) {
            // stop() alone leaves a server that never started listening on its socket.
            bound.start();
            bound.stop(0);
            bound = null;
        }
    }
}
