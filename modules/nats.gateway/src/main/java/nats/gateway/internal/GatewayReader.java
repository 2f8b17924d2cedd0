package nats.gateway.internal;

import java.nio.ByteBuffer;

/** The read loop of an outbound gateway connection, on a platform thread of its own (gateways are few and busy). */
final class GatewayReader {

    private static final int BUFFER = 64 * 1024;

    private GatewayReader() {
    }

    static void run(GatewayConnection c) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        try {
            while (!c.isClosed()) {
                buffer.clear();
                int n = c.connection.read(buffer);
                if (n < 0) {
                    c.readEnded(null);
                    return;
                }
                c.onBytes(buffer.array(), 0, n);
            }
        } catch (Exception e) {
            c.readEnded(e);
        }
    }
}
