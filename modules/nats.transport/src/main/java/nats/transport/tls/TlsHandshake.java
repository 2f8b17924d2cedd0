package nats.transport.tls;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

import nats.api.net.Connection;
import nats.api.net.TlsPolicy;
import nats.transport.net.PlainConnection;
import nats.transport.net.TimedRead;
import nats.transport.net.TlsConnection;

/**
 * The start of a client connection on a TLS port, in the Go server's order (server.go createClient): INFO
 * goes out in plain text, then (with allow_non_tls) the first bytes decide whether the client speaks TLS, then
 * the handshake runs under the TLS timeout, then pinned certificates are checked. With handshake_first (a Go
 * 2.10 option) the handshake comes first and INFO follows over TLS, sent by the caller.
 */
public final class TlsHandshake {

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

        public static Refused handshake(String message, Throwable cause) {
            return new Refused(message, "TLS Handshake Error", System.Logger.Level.ERROR, cause);
        }

        public String closeReason() {
            return closeReason;
        }

        public System.Logger.Level level() {
            return level;
        }
    }

    private TlsHandshake() {
    }

    /**
     * Establishes the transport of a freshly accepted connection.
     *
     * @param plainInfo the INFO line to send before the handshake; null with handshake_first
     * @return the transport for the rest of the connection (TLS, or plain when allow_non_tls lets the client)
     * @throws Refused when the connection must close; the socket is closed already
     */
    public static Connection accept(SocketChannel channel, ServerTls tls, boolean allowNonTls, byte[] plainInfo)
            throws Refused {
        long timeoutNanos = tls.options().timeout().toNanos();
        ByteBuffer peeked = ByteBuffer.allocate(0);
        try {
            if (plainInfo != null) {
                new PlainConnection(channel).write(ByteBuffer.wrap(plainInfo));
            }
            if (allowNonTls && plainInfo != null) {
                peeked = peek(channel, System.nanoTime() + timeoutNanos);
                if (!peeked.hasRemaining() || peeked.get(0) != TLS_HANDSHAKE_RECORD) {
                    return new PlainConnection(channel, peeked);
                }
            }
        } catch (IOException e) {
            closeQuietly(channel);
            throw new Refused("write error before the TLS handshake: " + e, "Write Error", System.Logger.Level.DEBUG,
                    e);
        }
        TlsConnection transport = new TlsConnection(channel, tls.newEngine(), peeked);
        handshake(transport, timeoutNanos, tls.options().pinnedCerts());
        return transport;
    }

    /**
     * A listener whose connections start with the TLS handshake (WebSocket, MQTT, or a plugin's own protocol),
     * run under {@code policy}: the handshake within its timeout, then the pinned certificates.
     *
     * @throws Refused when the connection must close; the socket is closed already
     */
    public static Connection handshakeFirst(SocketChannel channel, TlsPolicy policy) throws Refused {
        TlsConnection transport = new TlsConnection(channel, serverEngine(policy), ByteBuffer.allocate(0));
        handshake(transport, policy.handshakeTimeout().toNanos(), policy.pinnedCerts());
        return transport;
    }

    /**
     * Runs the server side of the handshake within {@code timeoutNanos}, then Go's checks of the client's
     * certificate: within its validity window (also on a resumed session), and pinned when pins are configured.
     * On failure the connection is closed and the refusal carries Go's text.
     */
    private static void handshake(TlsConnection transport, long timeoutNanos, java.util.Set<String> pinnedCerts)
            throws Refused {
        try {
            transport.handshake(System.nanoTime() + timeoutNanos);
        } catch (SocketTimeoutException e) {
            transport.close();
            throw Refused.handshake("TLS handshake timeout", e);
        } catch (IOException e) {
            transport.close();
            throw Refused.handshake("TLS handshake error: " + describe(e), e);
        }
        SSLSession session = transport.tlsSession().orElseThrow();
        java.util.Optional<String> expired = CertificateValidity.expiredPeer(session);
        if (expired.isPresent()) {
            transport.close();
            throw Refused.handshake("TLS handshake error: " + expired.get(), null);
        }
        if (!pinnedCerts.isEmpty() && !pinned(session, pinnedCerts)) {
            transport.close();
            throw Refused.handshake("TLS handshake error: certificate not pinned", null);
        }
    }

    /**
     * The client side of a connection this server opened to another (a solicited route, a leaf node remote):
     * the handshake under {@code policy}'s timeout, the peer's certificate verified against the policy's trust
     * and its name or IP address ({@code host}), as Go's solicited connections verify them; the policy's own
     * certificate is presented when the peer asks for one.
     *
     * @throws Refused when the connection must close; the socket is closed already
     */
    public static Connection connect(SocketChannel channel, TlsPolicy policy, String host, int port) throws Refused {
        SSLEngine engine = policy.context().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        if (!policy.protocols().isEmpty()) {
            parameters.setProtocols(policy.protocols().toArray(String[]::new));
        }
        if (!policy.cipherSuites().isEmpty()) {
            parameters.setCipherSuites(policy.cipherSuites().toArray(String[]::new));
        }
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        TlsConnection transport = new TlsConnection(channel, engine, ByteBuffer.allocate(0));
        try {
            transport.handshake(System.nanoTime() + policy.handshakeTimeout().toNanos());
        } catch (SocketTimeoutException e) {
            transport.close();
            throw Refused.handshake("TLS handshake timeout", e);
        } catch (IOException e) {
            transport.close();
            throw Refused.handshake("TLS handshake error: " + describe(e), e);
        }
        if (!policy.pinnedCerts().isEmpty() && !pinned(transport.tlsSession().orElseThrow(), policy.pinnedCerts())) {
            transport.close();
            throw Refused.handshake("TLS handshake error: certificate not pinned", null);
        }
        return transport;
    }

    /** A server-side engine with the policy's protocols, suites (server order) and client certificates. */
    public static SSLEngine serverEngine(TlsPolicy policy) {
        SSLEngine engine = policy.context().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        if (!policy.protocols().isEmpty()) {
            parameters.setProtocols(policy.protocols().toArray(String[]::new));
        }
        if (!policy.cipherSuites().isEmpty()) {
            parameters.setCipherSuites(policy.cipherSuites().toArray(String[]::new));
        }
        parameters.setUseCipherSuitesOrder(true);
        parameters.setNeedClientAuth(policy.verify());
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Go's matchesPinnedCert: SHA-256 (hex) of the peer certificate's SubjectPublicKeyInfo is one of them. */
    static boolean pinned(SSLSession session, java.util.Set<String> pinnedCerts) {
        try {
            java.security.cert.Certificate leaf = session.getPeerCertificates()[0];
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(leaf.getPublicKey().getEncoded());
            return pinnedCerts.contains(java.util.HexFormat.of().formatHex(digest));
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
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
