package nats.server.internal.tls;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import nats.server.internal.net.PlainTransport;
import nats.server.internal.net.TimedRead;
import nats.server.internal.net.TlsTransport;
import nats.server.internal.net.Transport;

/**
 * The start of a client connection on a TLS port, in the Go server's order (server.go createClient): INFO
 * goes out in plain text, then (with allow_non_tls) the first bytes decide whether the client speaks TLS, then
 * the handshake runs under the TLS timeout, then pinned certificates are checked. With handshake_first (a Go
 * 2.10 option) the handshake comes first and INFO follows over TLS, sent by the caller.
 */
public final class TlsAcceptor {

    /** A TLS record of type handshake starts with this byte: what Go's allow_non_tls peek looks for. */
    private static final byte TLS_HANDSHAKE_RECORD = 0x16;
    /** Go peeks at up to four bytes. */
    private static final int PEEK_BYTES = 4;

    /**
     * The connection cannot go on: the message is what the Go server logs (at the level it uses: handshake
     * failures are errors), the reason is the close reason it records.
     */
    public static final class Refused extends Exception {

        private static final long serialVersionUID = 1L;
        private final String closeReason;
        private final transient System.Logger.Level level;

        private Refused(String message, String closeReason, System.Logger.Level level, Throwable cause) {
            super(message, cause);
            this.closeReason = closeReason;
            this.level = level;
        }

        static Refused handshake(String message, Throwable cause) {
            return new Refused(message, "TLS Handshake Error", System.Logger.Level.ERROR, cause);
        }

        public String closeReason() {
            return closeReason;
        }

        public System.Logger.Level level() {
            return level;
        }
    }

    private TlsAcceptor() {
    }

    /**
     * Establishes the transport of a freshly accepted connection.
     *
     * @param plainInfo the INFO line to send before the handshake; null with handshake_first
     * @return the transport for the rest of the connection (TLS, or plain when allow_non_tls lets the client)
     * @throws Refused when the connection must close; the socket is closed already
     */
    public static Transport accept(SocketChannel channel, ClientTls tls, boolean allowNonTls, byte[] plainInfo)
            throws Refused {
        long timeoutNanos = tls.options().timeout().toNanos();
        ByteBuffer peeked = ByteBuffer.allocate(0);
        try {
            if (plainInfo != null) {
                new PlainTransport(channel).write(ByteBuffer.wrap(plainInfo));
            }
            if (allowNonTls && plainInfo != null) {
                peeked = peek(channel, System.nanoTime() + timeoutNanos);
                if (!peeked.hasRemaining() || peeked.get(0) != TLS_HANDSHAKE_RECORD) {
                    return new PlainTransport(channel, peeked);
                }
            }
        } catch (IOException e) {
            closeQuietly(channel);
            throw new Refused("write error before the TLS handshake: " + e, "Write Error", System.Logger.Level.DEBUG,
                    e);
        }
        TlsTransport transport = new TlsTransport(channel, tls.newEngine(), peeked);
        try {
            transport.handshake(System.nanoTime() + timeoutNanos);
        } catch (SocketTimeoutException e) {
            transport.close();
            throw Refused.handshake("TLS handshake timeout", e);
        } catch (IOException e) {
            transport.close();
            throw Refused.handshake("TLS handshake error: " + describe(e), e);
        }
        java.util.Optional<String> expired = tls.expiredPeer(transport.tlsSession().orElseThrow());
        if (expired.isPresent()) {
            transport.close();
            throw Refused.handshake("TLS handshake error: " + expired.get(), null);
        }
        if (!tls.acceptsPinning(transport.tlsSession().orElseThrow())) {
            transport.close();
            throw Refused.handshake("TLS handshake error: certificate not pinned", null);
        }
        return transport;
    }

    /**
     * Go reads up to four bytes within the TLS timeout; whatever arrived (possibly nothing) decides. The bytes
     * are kept: they are the start of the client's stream either way.
     */
    private static ByteBuffer peek(SocketChannel channel, long deadlineNanos) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(PEEK_BYTES);
        try {
            while (buffer.hasRemaining() && TimedRead.read(channel, buffer, deadlineNanos) >= 0) {
                // keep reading until four bytes, the end of the stream, or the deadline
            }
        } catch (SocketTimeoutException e) {
            // Go decides on what it has when the deadline passes.
        }
        return buffer.flip();
    }

    private static String describe(IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
