package nats.transport.net;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A read with a deadline on a blocking socket channel, for the moments before a connection is established (the
 * TLS handshake, the allow_non_tls peek). A blocking channel's own reads cannot time out; its socket adaptor's
 * stream can, and leaves the channel usable afterwards.
 */
public final class TimedRead {

    private TimedRead() {
    }

    /**
     * Reads what is available into the heap buffer {@code dst}, waiting until {@code deadlineNanos}
     * (System.nanoTime).
     *
     * @return the number of bytes read, or -1 at end of stream
     * @throws SocketTimeoutException when nothing arrived before the deadline
     */
    public static int read(SocketChannel channel, ByteBuffer dst, long deadlineNanos) throws IOException {
        long remainingNanos = deadlineNanos - System.nanoTime();
        if (remainingNanos <= 0) {
            throw new SocketTimeoutException("read timed out");
        }
        Socket socket = channel.socket();
        // Only reads through the adaptor's stream honour the timeout; later channel reads are not affected.
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (remainingNanos + 999_999) / 1_000_000)));
        int n = socket.getInputStream().read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }
}
