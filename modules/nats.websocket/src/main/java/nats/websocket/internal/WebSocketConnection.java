package nats.websocket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import nats.api.net.Connection;

/**
 * An upgraded WebSocket connection as a byte stream: reads return the payloads of the client's frames, writes
 * leave as binary frames, and a close with a reason sends Go's close frame first. The addresses and the TLS
 * session are the underlying connection's.
 */
final class WebSocketConnection implements Connection {

    private final Connection raw;
    private final FrameReader reader;
    private final FrameWriter writer;

    /**
     * @param raw         the connection the upgrade came in on (plain or TLS)
     * @param negotiated  what the upgrade settled
     * @param alreadyRead bytes that arrived after the upgrade request, the start of the first frames
     */
    WebSocketConnection(Connection raw, Negotiated negotiated, ByteBuffer alreadyRead) {
        this.raw = raw;
        this.writer = new FrameWriter(raw, negotiated.compress(), negotiated.browser(),
                !negotiated.noCompressedFragments());
        this.reader = new FrameReader(raw, writer, negotiated.maskedReads(), negotiated.compress(), alreadyRead);
    }

    /**
     * What an upgrade settled for the framing.
     *
     * @param compress              permessage-deflate in both directions (without context takeover)
     * @param maskedReads           client frames must be masked (unless the client asked Go's no-masking)
     * @param browser               a browser: frames of at most 4 KiB
     * @param noCompressedFragments Safari: compressed messages are not fragmented
     */
    record Negotiated(boolean compress, boolean maskedReads, boolean browser, boolean noCompressedFragments) {
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return reader.read(dst);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        writer.writeData(src);
    }

    /** The kernel's gathered output chunks leave as one message (one frame), not one frame per chunk. */
    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        writer.writeData(srcs, offset, length);
    }

    /** Closes without a close frame (a forced close: the writer may be blocked on a peer that stopped reading). */
    @Override
    public void close() {
        raw.close();
    }

    /**
     * Sends the close frame, then closes: the answer to the client's close or to its protocol violation when the
     * reader decided one, else Go's close frame for {@code reason}. As Go, a connection closed for a read or write
     * error, as a slow consumer or for a failed TLS handshake gets no close frame of the server's own: Go skips
     * the final flush for those.
     */
    @Override
    public void close(String reason) {
        writer.closeQuietly(CloseStatus.skipsFlush(reason) ? null
                : CloseStatus.payload(CloseStatus.forReason(reason), reason));
        raw.close();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return raw.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return raw.localAddress();
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return raw.tlsSession();
    }
}
