package nats.server.internal.listen;

import java.io.IOException;

/**
 * A listening socket bound as the very first step of a start, before the slow parts (certificates, TLS contexts,
 * plugins, monitoring) run: a client or test harness that connects meanwhile waits in the backlog for INFO instead
 * of being refused (jnats-server-runner gives a new server about 300 ms to take a TCP connection). A bind failure
 * is kept and reported by {@link #take()}, where the start used to bind, so that errors reach the operator in the
 * Go server's order (a bad TLS file before a port in use).
 */
public final class EarlyListener implements AutoCloseable {

    private Acceptor acceptor;
    private final IOException failure;

    private EarlyListener(Acceptor acceptor, IOException failure) {
        this.acceptor = acceptor;
        this.failure = failure;
    }

    /** Binds {@code host:port} (0 or -1 for a free port) without accepting; never throws. */
    public static EarlyListener bind(String host, int port, String name) {
        try {
            return new EarlyListener(Acceptor.bind(host, port, name), null);
        } catch (IOException e) {
            return new EarlyListener(null, e);
        }
    }

    /**
     * The bound listener, now owned by the caller (a later {@link #close()} leaves it open).
     *
     * @throws IOException the bind's failure
     */
    public synchronized Acceptor take() throws IOException {
        if (failure != null) {
            throw failure;
        }
        Acceptor taken = acceptor;
        if (taken == null) {
            throw new IOException("the listener was already taken or closed");
        }
        acceptor = null;
        return taken;
    }

    /** Closes the listener unless {@link #take()} handed it over: the start failed before it was used. */
    @Override
    public synchronized void close() {
        if (acceptor != null) {
            acceptor.close();
            acceptor = null;
        }
    }
}
