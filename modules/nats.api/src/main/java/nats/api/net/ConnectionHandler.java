package nats.api.net;

import java.io.IOException;

/**
 * Serves the connections of one listener. The kernel accepts, runs TLS when the listener asks for it, then
 * calls {@link #accepted} on a fresh virtual thread; from the returned reader on, the kernel owns the read
 * loop (reads into its buffer, moves a busy reader to a platform thread and back, stops on close or EOF).
 */
@FunctionalInterface
public interface ConnectionHandler {

    /**
     * A new connection. Blocking reads and writes are allowed here (an HTTP upgrade, a protocol greeting).
     *
     * @return what consumes the connection's bytes from now on; {@link ConnectionReader#HANDED_OVER} when the
     *         handler passed the connection on (e.g. to the kernel's client protocol) and the kernel must not read
     * @throws IOException to close the connection
     */
    ConnectionReader accepted(Connection connection) throws IOException;
}
