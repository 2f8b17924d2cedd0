package nats.server.internal.listen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A bound listening socket and the platform thread that accepts on it; every listener of the server (the client
 * port and the plugins' ports) is one. Accepted sockets get TCP_NODELAY and go to the handler, which must hand
 * them to another thread at once.
 */
public final class Acceptor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Acceptor.class.getName());

    private final ServerSocketChannel channel;
    private final String host;
    private final int port;
    private final String name;
    private volatile Thread thread;
    private volatile boolean running = true;

    private Acceptor(ServerSocketChannel channel, String host, int port, String name) {
        this.channel = channel;
        this.host = host;
        this.port = port;
        this.name = name;
    }

    /**
     * Binds {@code host:port} (port 0 or -1 for a free one) and starts accepting.
     *
     * @throws IOException when the address cannot be bound
     */
    public static Acceptor bind(String host, int port, String name, Consumer<SocketChannel> handler)
            throws IOException {
        Acceptor acceptor = bind(host, port, name);
        acceptor.accept(handler);
        return acceptor;
    }

    /**
     * Binds {@code host:port} without accepting yet: a client that connects now waits in the backlog until
     * {@link #accept} starts (so a server can bind early and still never show a half-started state).
     *
     * @throws IOException when the address cannot be bound
     */
    public static Acceptor bind(String host, int port, String name) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(host, port < 0 ? 0 : port), 1024);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        int bound = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        return new Acceptor(channel, host, bound, name);
    }

    /** Starts accepting, handing each connection to {@code handler}; once only. */
    public synchronized void accept(Consumer<SocketChannel> handler) {
        if (thread != null) {
            throw new IllegalStateException("already accepting on " + host + ":" + port);
        }
        thread = Thread.ofPlatform().name("nats-accept-" + name).daemon(true).start(() -> acceptLoop(handler));
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    private void acceptLoop(Consumer<SocketChannel> handler) {
        while (running) {
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (running) {
                    LOG.log(System.Logger.Level.ERROR, "accept failed: " + e.getMessage());
                }
                continue;
            }
            try {
                accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                handler.accept(accepted);
            } catch (IOException | RuntimeException e) {
                closeQuietly(accepted);
            }
        }
    }

    /** Stops accepting; returns once the port can be bound again. */
    @Override
    public void close() {
        running = false;
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a listener only fails if it is already gone.
        }
        // The socket is released only once the thread blocked in accept() has left it.
        Thread accepting = thread;
        if (accepting != null && accepting != Thread.currentThread()) {
            try {
                accepting.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to release.
        }
    }
}
