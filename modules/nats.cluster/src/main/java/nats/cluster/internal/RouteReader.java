package nats.cluster.internal;

import java.nio.ByteBuffer;

/**
 * The read loop of a route this server dialled, on a platform thread of its own: routes are few and carry the
 * cluster's traffic, so their readers stay on platform threads (the kernel's readers of accepted routes move
 * there once busy).
 */
final class RouteReader {

    private static final int BUFFER = 64 * 1024;

    private RouteReader() {
    }

    static void run(Route route) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        try {
            while (!route.isClosed()) {
                buffer.clear();
                int n = route.connection.read(buffer);
                if (n < 0) {
                    route.readEnded(null);
                    return;
                }
                route.onBytes(buffer.array(), 0, n);
            }
        } catch (Exception e) {
            route.readEnded(e);
        }
    }
}
