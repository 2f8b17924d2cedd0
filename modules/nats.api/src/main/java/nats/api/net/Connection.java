package nats.api.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

import javax.net.ssl.SSLSession;

/**
 * The byte stream under one connection: plain TCP, TLS, or a framing a plugin layers on top (WebSocket). One
 * reader thread calls {@link #read} and one writer at a time calls {@link #write}; the two may run at once.
 * {@link #close} may come from any thread, also while a read or write is blocked, and unblocks it.
 */
public interface Connection {

    /**
     * Reads what is available into {@code dst} (at least one byte), blocking until something arrives.
     *
     * @return the number of bytes read, or -1 when the peer closed the connection
     */
    int read(ByteBuffer dst) throws IOException;

    /** Writes all remaining bytes of {@code src}, blocking as long as needed. */
    void write(ByteBuffer src) throws IOException;

    /**
     * Writes all remaining bytes of {@code srcs} in order, blocking as long as needed; a plain socket writes
     * them with one gathering write ({@code writev}) where it can.
     */
    default void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(srcs[i]);
        }
    }

    /** Closes the connection (for TLS after a best-effort close_notify); safe to call more than once. */
    void close();

    /**
     * Closes the connection for {@code reason}, Go's close reason (e.g. {@code Authentication Failure},
     * {@code Server Shutdown}): a framing that can tell its peer why (a WebSocket close frame with a status
     * code) does so on a best-effort basis first. The default simply closes.
     *
     * @since API 2.1
     */
    default void close(String reason) {
        close();
    }

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** The local address the connection was accepted on. */
    InetSocketAddress localAddress();

    /** The TLS session once the handshake is done; empty for plain connections. */
    default Optional<SSLSession> tlsSession() {
        return Optional.empty();
    }
}
