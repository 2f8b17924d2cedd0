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
    private final Thread thread;
    private volatile boolean running = true;

    private Acceptor(ServerSocketChannel channel, String host, int port, String name, Consumer<SocketChannel> handler) {
        this.channel = channel;
        this.host = host;
        this.port = port;
        this.thread = Thread.ofPlatform().name("nats-accept-" + name).daemon(true).unstarted(() -> acceptLoop(handler));
    }

    /**
     * Binds {@code host:port} (port 0 or -1 for a free one) and starts accepting.
     *
     * @throws IOException when the address cannot be bound
     */
    public static Acceptor bind(String host, int port, String name, Consumer<SocketChannel> handler)
            throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(host, port < 0 ? 0 : port), 1024);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        int bound = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        Acceptor acceptor = new Acceptor(channel, host, bound, name, handler);
        acceptor.thread.start();
        return acceptor;
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
        if (thread != Thread.currentThread()) {
            try {
                thread.join(2000);
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
