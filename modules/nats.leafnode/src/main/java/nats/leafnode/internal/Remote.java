package nats.leafnode.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import nats.api.net.Connection;
import nats.leafnode.internal.LeafConfig.RemoteConfig;
import nats.transport.net.PlainConnection;

/**
 * One configured remote, as Go's leafNodeCfg and connectToRemoteLeafNode: its URLs tried in turn, one connection
 * at a time, dialled again after the {@code reconnect} interval whenever it ends (or after a longer pause the
 * other side asked for: 30 s after a loop was detected).
 */
final class Remote {

    /** Go's DEFAULT_LEAF_NODE_DIAL... the dial timeout of a leaf remote. */
    private static final int DIAL_TIMEOUT_MILLIS = 2000;

    private final LeafNodes nodes;
    private final RemoteConfig config;
    private int urlIndex = -1;
    private volatile LeafUrl current;
    private volatile Duration nextDelay;
    private volatile LeafConnection connection;

    Remote(LeafNodes nodes, RemoteConfig config) {
        this.nodes = nodes;
        this.config = config;
        this.current = config.urls().getFirst();
    }

    RemoteConfig config() {
        return config;
    }

    LeafUrl currentUrl() {
        return current;
    }

    /** Dials now, on a thread of its own. */
    void connectSoon(Duration delay) {
        if (!nodes.running()) {
            return;
        }
        nodes.timers().schedule(() -> Thread.ofVirtual().name("nats-leaf-dial").start(this::dial),
                delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void dial() {
        if (!nodes.running()) {
            return;
        }
        LeafUrl url = nextUrl();
        if (url.isWebSocket()) {
            nodes.log().log(System.Logger.Level.ERROR,
                    "Error trying to connect as leafnode to remote server {0}: websocket remotes are not supported",
                    url.redacted());
            connectSoon(nodes.config().reconnect());
            return;
        }
        Connection c;
        try {
            c = open(url);
        } catch (IOException e) {
            nodes.log().log(System.Logger.Level.DEBUG, "Error trying to connect as leafnode to remote server {0}: {1}",
                    url.redacted(), e.getMessage());
            connectSoon(nodes.config().reconnect());
            return;
        }
        nextDelay = null;
        nodes.solicited(this, c);
    }

    private synchronized LeafUrl nextUrl() {
        urlIndex = (urlIndex + 1) % config.urls().size();
        current = config.urls().get(urlIndex);
        return current;
    }

    private static Connection open(LeafUrl url) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(url.host(), url.port()), DIAL_TIMEOUT_MILLIS);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new PlainConnection(channel);
    }

    void connected(LeafConnection c) {
        connection = c;
    }

    /** The connection ended: dial again after the reconnect interval, or the pause the other side asked for. */
    void closed(LeafConnection c) {
        if (connection == c) {
            connection = null;
        }
        Duration delay = nextDelay != null ? nextDelay : nodes.config().reconnect();
        nextDelay = null;
        connectSoon(delay);
    }

    void delayNextAttempt(Duration delay) {
        nextDelay = delay;
    }

    LeafConnection connection() {
        return connection;
    }
}
