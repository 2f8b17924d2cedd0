package nats.transport.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import nats.api.net.Connection;

/**
 * TLS over a blocking socket channel with an {@link SSLEngine}, server side.
 *
 * <p>Why an engine rather than an {@code SSLSocket} layered over the socket: the connection's writer coalesces
 * output into large buffers, and the engine lets one write carry several records, and one socket read feed
 * several records to the parser; an SSLSocket reads each record with separate header and body reads and writes
 * each record on its own.
 *
 * <p>Threads: the handshake runs first, on the connection's reader, before anything else uses the transport.
 * Afterwards the reader alone unwraps (its buffers are confined to it, so it needs no lock) while writers wrap
 * under {@link #writeLock}; the engine serialises wrap and unwrap internally, but socket I/O happens outside
 * it, so a blocked write never stalls reading, and the reader never writes (see {@link #afterUnwrap}).
 */
public final class TlsConnection implements Connection {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Upper bound of the write staging buffer, in records: enough to put a large flush in one write. */
    private static final int MAX_RECORDS_PER_WRITE = 4;

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Largest TLS record on the wire; settled by the handshake. */
    private int packetSize;

    /** Received ciphertext not yet unwrapped; in read mode (position to limit) between calls. Reader only. */
    private ByteBuffer netIn;
    /** Decrypted bytes the caller's buffer had no room for; in read mode, allocated when first needed. */
    private ByteBuffer appIn;
    /** Staging for wrapped records; used under the write lock only. */
    private ByteBuffer netOut;
    private volatile boolean handshakeDone;
    /** The peer sent close_notify: no more data will come. Reader only. */
    private boolean peerClosed;
    /** The negotiated protocol is TLS 1.2 (where post-handshake messages can only mean renegotiation). */
    private boolean tls12;
    /** The first byte the client sent, -1 before it arrives: 0x16 when it starts a TLS handshake record. */
    private int firstByte = -1;

    /**
     * @param alreadyRead bytes the server took from the socket before deciding on TLS (the allow_non_tls peek);
     *                    they are the start of the client's first TLS record
     */
    public TlsConnection(SocketChannel channel, SSLEngine engine, ByteBuffer alreadyRead) {
        this.channel = channel;
        this.engine = engine;
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(Math.max(packetSize, alreadyRead.remaining()));
        this.netIn.put(alreadyRead).flip();
        this.netOut = ByteBuffer.allocate(packetSize);
    }

    /**
     * Performs the server side of the handshake, reading with the deadline (System.nanoTime). On failure the
     * alert the engine prepared (e.g. bad_certificate) is sent on a best-effort basis before the exception
     * propagates; the caller then closes the transport.
     *
     * @throws java.net.SocketTimeoutException when the client is too slow
     */
    public void handshake(long deadlineNanos) throws IOException {
        try {
            engine.beginHandshake();
            HandshakeStatus status = engine.getHandshakeStatus();
            while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
                status = switch (status) {
                    case NEED_TASK -> runTasks();
                    case NEED_WRAP -> wrapHandshake();
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapHandshake(deadlineNanos);
                    default -> throw new SSLException("unexpected handshake status " + status);
                };
            }
            packetSize = engine.getSession().getPacketBufferSize();
            tls12 = "TLSv1.2".equals(engine.getSession().getProtocol());
            handshakeDone = true;
        } catch (SSLException e) {
            // Like Go, a client that does not speak TLS at all (e.g. a plain-text CONNECT) gets no alert.
            if (firstByte == 0x16) {
                sendPendingAlert();
            }
            throw e;
        }
    }

    private HandshakeStatus unwrapHandshake(long deadlineNanos) throws IOException {
        if (!netIn.hasRemaining() && fill(deadlineNanos) < 0) {
            throw new SSLException("client closed the connection during the TLS handshake");
        }
        if (firstByte < 0) {
            firstByte = netIn.get(netIn.position()) & 0xff;
        }
        // Application data may follow the client's Finished in the same read: it lands in appIn.
        SSLEngineResult r = unwrapIntoAppIn();
        return switch (r.getStatus()) {
            case OK -> r.getHandshakeStatus();
            case BUFFER_UNDERFLOW -> {
                if (fill(deadlineNanos) < 0) {
                    throw new SSLException("client closed the connection during the TLS handshake");
                }
                yield r.getHandshakeStatus();
            }
            case BUFFER_OVERFLOW -> {
                appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                yield r.getHandshakeStatus();
            }
            case CLOSED -> throw new SSLException("client closed the TLS connection during the handshake");
        };
    }

    private HandshakeStatus wrapHandshake() throws IOException {
        writeLock.lock();
        try {
            netOut.clear();
            SSLEngineResult r = wrapInto(EMPTY);
            netOut.flip();
            writeFully(netOut);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS engine closed during the handshake");
            }
            return r.getHandshakeStatus();
        } finally {
            writeLock.unlock();
        }
    }

    /** Closes the engine's outbound side and writes what it produces (an alert or close_notify); write lock held. */
    private void wrapAndSendClosing() throws IOException {
        engine.closeOutbound();
        netOut.clear();
        engine.wrap(EMPTY, netOut);
        netOut.flip();
        writeFully(netOut);
    }

    /** After a failed handshake the engine holds an alert for the peer; wrapping delivers it. */
    private void sendPendingAlert() {
        if (!writeLock.tryLock()) {
            return;
        }
        try {
            wrapAndSendClosing();
        } catch (IOException | RuntimeException ignored) {
            // The connection is failing anyway; the alert is a courtesy.
        } finally {
            writeLock.unlock();
        }
    }

    private HandshakeStatus runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        return engine.getHandshakeStatus();
    }

    // ---- reading ----------------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (true) {
            if (appIn != null && appIn.hasRemaining()) {
                return transfer(appIn, dst);
            }
            int n = netIn.hasRemaining() ? unwrapInto(dst) : 0;
            if (n > 0) {
                return n;
            }
            if (appIn != null && appIn.hasRemaining()) {
                continue;
            }
            if (peerClosed || fill(0) < 0) {
                return -1;
            }
        }
    }

    /** Unwraps the complete records in netIn into dst; returns the bytes produced (0: more input needed). */
    private int unwrapInto(ByteBuffer dst) throws IOException {
        int produced = 0;
        while (netIn.hasRemaining() && dst.hasRemaining() && !peerClosed) {
            SSLEngineResult r = engine.unwrap(netIn, dst);
            produced += r.bytesProduced();
            switch (r.getStatus()) {
                case OK -> {
                    afterUnwrap(r.getHandshakeStatus());
                    if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                            && r.getHandshakeStatus() != HandshakeStatus.NEED_TASK) {
                        return produced; // no progress without more input: let the caller read
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    return produced;
                }
                case BUFFER_OVERFLOW -> {
                    // The next record does not fit: hand over what we have, or decrypt it aside.
                    return produced > 0 ? produced : unwrapAside(dst);
                }
                case CLOSED -> peerClosed = true;
            }
        }
        return produced;
    }

    /** Decrypts one record into appIn and returns as much of it as fits into dst. */
    private int unwrapAside(ByteBuffer dst) throws IOException {
        SSLEngineResult r = unwrapIntoAppIn();
        switch (r.getStatus()) {
            case OK -> afterUnwrap(r.getHandshakeStatus());
            case CLOSED -> peerClosed = true;
            case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
            case BUFFER_UNDERFLOW -> {
                // Cannot happen after an overflow (a whole record was there); the caller reads more.
            }
        }
        return appIn.hasRemaining() ? transfer(appIn, dst) : 0;
    }

    /**
     * Handles handshake messages that arrive after the handshake. A TLS 1.3 KeyUpdate that asks for ours leaves
     * its answer queued in the engine, which puts it in front of the next record the writer wraps: RFC 8446
     * (4.6.3) only requires it before our next application data. So the reader never writes and cannot block
     * on a client that is busy writing itself.
     */
    private void afterUnwrap(HandshakeStatus status) throws SSLException {
        if (status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED) {
            return;
        }
        if (tls12) {
            // As the Go server: a client may not renegotiate (TLS 1.3 has no renegotiation).
            throw new SSLException("TLS renegotiation is not supported");
        }
        if (status == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
    }

    /** Compacts netIn, reads from the socket into it (with a deadline unless 0) and flips it back. */
    private int fill(long deadlineNanos) throws IOException {
        if (netIn.position() == 0 && netIn.limit() == netIn.capacity()) {
            // A record larger than the buffer: grow to what the session says a record can take.
            netIn = grow(netIn, Math.max(netIn.capacity() * 2, engine.getSession().getPacketBufferSize()));
        }
        netIn.compact();
        try {
            return deadlineNanos == 0 ? channel.read(netIn) : TimedRead.read(channel, netIn, deadlineNanos);
        } finally {
            netIn.flip();
        }
    }

    /** Decrypts from netIn into appIn, leaving appIn ready to read whatever happens. */
    private SSLEngineResult unwrapIntoAppIn() throws SSLException {
        ByteBuffer out = appInForWriting();
        try {
            return engine.unwrap(netIn, out);
        } finally {
            out.flip();
        }
    }

    private ByteBuffer appInForWriting() {
        if (appIn == null) {
            appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        } else {
            appIn.compact();
        }
        return appIn;
    }

    /** Copies a buffer in read mode into a larger one, still in read mode. */
    private static ByteBuffer grow(ByteBuffer buffer, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(capacity, buffer.remaining()));
        bigger.put(buffer).flip();
        return bigger;
    }

    private static int transfer(ByteBuffer from, ByteBuffer to) {
        int n = Math.min(from.remaining(), to.remaining());
        to.put(to.position(), from, from.position(), n);
        to.position(to.position() + n);
        from.position(from.position() + n);
        return n;
    }

    // ---- writing ----------------------------------------------------------------------------------------

    @Override
    public void write(ByteBuffer src) throws IOException {
        writeLock.lock();
        try {
            sizeNetOutFor(src.remaining());
            while (src.hasRemaining()) {
                netOut.clear();
                // Several records per socket write: as many as the staging buffer holds.
                while (src.hasRemaining() && netOut.remaining() >= packetSize) {
                    SSLEngineResult r = wrapInto(src);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS connection is closed");
                    }
                    if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                        throw new SSLException("TLS engine stalled while writing (" + r.getHandshakeStatus() + ")");
                    }
                }
                netOut.flip();
                writeFully(netOut);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Large flushes get room for several records; a small one gives the extra memory back. */
    private void sizeNetOutFor(int plaintextBytes) {
        int records = Math.min(MAX_RECORDS_PER_WRITE, Math.max(1, plaintextBytes / (packetSize / 2)));
        int wanted = records * packetSize;
        if (wanted > netOut.capacity() || (records == 1 && netOut.capacity() > packetSize)) {
            netOut = ByteBuffer.allocate(wanted);
        }
    }

    /** Wraps src into netOut (write mode), growing netOut if the engine asks for more room. Write lock held. */
    private SSLEngineResult wrapInto(ByteBuffer src) throws IOException {
        while (true) {
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
                return r;
            }
            ByteBuffer bigger = ByteBuffer.allocate(netOut.capacity() + engine.getSession().getPacketBufferSize());
            netOut.flip();
            bigger.put(netOut);
            netOut = bigger;
        }
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    // ---- closing ----------------------------------------------------------------------------------------

    @Override
    public void close() {
        // Only the first close says goodbye, and only when no write is under way: a second close (the forced
        // one after the write deadline) must close the socket without waiting for anything.
        if (closing.compareAndSet(false, true) && handshakeDone && writeLock.tryLock()) {
            try {
                wrapAndSendClosing();
            } catch (IOException | RuntimeException ignored) {
                // close_notify is best effort, as in Go.
            } finally {
                writeLock.unlock();
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already closed or reset.
        }
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return handshakeDone ? Optional.of(engine.getSession()) : Optional.empty();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return SocketAddresses.remote(channel);
    }

    @Override
    public InetSocketAddress localAddress() {
        return SocketAddresses.local(channel);
    }

    /** The underlying channel, for code that must act on the socket itself (a later TLS upgrade). */
    public java.nio.channels.SocketChannel channel() {
        return channel;
    }
}
