package nats.transport.link;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Supplier;

import javax.net.ssl.SSLSession;

import nats.api.net.Connection;

/** A link's connection as its writer sees it: writes pass through the encoder once one is set (compression). */
final class EncodingConnection implements Connection {

    private final Supplier<LinkChannel.Encoder> encoder;
    private final Connection connection;

    EncodingConnection(Supplier<LinkChannel.Encoder> encoder, Connection connection) {
        this.encoder = encoder;
        this.connection = connection;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return connection.read(dst);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        LinkChannel.Encoder e = encoder.get();
        connection.write(e == null ? src : e.encode(src));
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return connection.localAddress();
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return connection.tlsSession();
    }
}
