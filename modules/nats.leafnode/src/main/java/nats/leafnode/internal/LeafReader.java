package nats.leafnode.internal;

import java.nio.ByteBuffer;

/** The read loop of a leaf connection this server dialled, on a platform thread of its own (leaf links are few). */
final class LeafReader {

    private static final int BUFFER = 64 * 1024;

    private LeafReader() {
    }

    static void run(LeafConnection leaf) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        try {
            while (!leaf.isClosed()) {
                buffer.clear();
                int n = leaf.connection.read(buffer);
                if (n < 0) {
                    leaf.readEnded(null);
                    return;
                }
                leaf.onBytes(buffer.array(), 0, n);
            }
        } catch (Exception e) {
            leaf.readEnded(e);
        }
    }
}
