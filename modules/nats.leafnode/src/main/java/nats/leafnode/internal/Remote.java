package nats.leafnode.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import nats.api.net.Connection;
import nats.leafnode.internal.LeafConfig.RemoteConfig;
import nats.transport.net.PlainConnection;
import nats.transport.net.TimedRead;
import nats.transport.tls.TlsHandshake;

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
    /** The remote's TLS, which a reload may replace for the next dial (Go's updateRemoteLeafNodesTLSConfig). */
    private volatile java.util.Optional<RemoteTls> tls;
    /** The remote's compression, which a reload may change (Go updates the remote's Compression in place). */
    private volatile nats.transport.compress.CompressionOptions compression;
    /**
     * The URLs dialled in turn (Go's cfg.urls): those the hub's INFO named that are not configured, then the
     * configured ones. Guarded by this.
     */
    private List<LeafUrl> urls;
    private boolean picked;
    private volatile LeafUrl current;
    private volatile Duration nextDelay;
    private volatile LeafConnection connection;
    /** Dials are made one at a time (each schedules the next), so plain fields do. */
    private int failedAttempts;
    private boolean everConnected;

    Remote(LeafNodes nodes, RemoteConfig config) {
        this.nodes = nodes;
        this.config = config;
        this.tls = config.tls();
        this.compression = config.compression();
        this.current = config.urls().getFirst();
        this.urls = new ArrayList<>(config.urls());
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
        SocketChannel channel;
        Connection c;
        byte[] info;
        try {
            channel = open(url);
            if (url.isWebSocket()) {
                c = webSocket(channel, url);
                info = readInfo(c);
                failedAttempts = 0;
                nextDelay = null;
                nodes.solicited(this, c, info);
                return;
            }
            info = readInfo(channel);
            java.util.Optional<RemoteTls> ownTls = this.tls;
            boolean tls = ownTls.isPresent() || new String(info, StandardCharsets.UTF_8)
                    .contains("\"tls_required\":true");
            if (tls) {
                RemoteTls remoteTls = ownTls.orElseGet(RemoteTls::defaults);
                c = TlsHandshake.connect(channel, remoteTls.policy(), tlsName(url), url.port());
            } else {
                c = new PlainConnection(channel);
            }
        } catch (IOException | TlsHandshake.Refused e) {
            failedAttempts++;
            // Go's DEFAULT_CONNECT_ERROR_REPORTS / DEFAULT_RECONNECT_ERROR_REPORTS: a hub that stays down is
            // reported now and then, not every second.
            int every = everConnected ? 10 : 3600;
            boolean report = failedAttempts == 1 || failedAttempts % every == 0;
            nodes.log().log(report ? System.Logger.Level.ERROR : System.Logger.Level.DEBUG,
                    "Error trying to connect as leafnode to remote server {0} (attempt {1}): {2}", url.redacted(),
                    failedAttempts, e.getMessage());
            connectSoon(nodes.config().reconnect());
            return;
        }
        failedAttempts = 0;
        nextDelay = null;
        nodes.solicited(this, c, info);
    }

    /**
     * Go's leafNodeSolicitWSConnection: TLS first for {@code wss://} (or a remote with a {@code tls} block), then the
     * HTTP upgrade to {@code /leafnode}; the hub's INFO follows in a frame.
     */
    private Connection webSocket(SocketChannel channel, LeafUrl url) throws IOException {
        java.util.Optional<RemoteTls> ownTls = this.tls;
        boolean secure = url.scheme().equals("wss") || ownTls.isPresent();
        Connection under;
        try {
            under = secure ? TlsHandshake.connect(channel, ownTls.orElseGet(RemoteTls::defaults).policy(),
                    tlsName(url), url.port()) : new PlainConnection(channel);
        } catch (TlsHandshake.Refused e) {
            channel.close();
            throw new IOException(e.getMessage(), e);
        }
        // Go's DEFAULT_LEAFNODE_INFO_WAIT bounds the upgrade and the INFO: a silent peer is cut off.
        java.util.concurrent.ScheduledFuture<?> cutOff = nodes.timers().schedule((Runnable) under::close, 1, TimeUnit.SECONDS);
        try {
            WebSocketClient ws = WebSocketUpgrade.upgrade(under, url.host(), url.port(), secure,
                    new WebSocketUpgrade.Options(config.wsCompression(), config.wsNoMasking()));
            nodes.log().log(System.Logger.Level.DEBUG, "Leafnode compression={0} masking={1}", ws.compressing(),
                    ws.masking());
            return ws;
        } catch (IOException e) {
            under.close();
            throw e;
        } finally {
            cutOff.cancel(false);
        }
    }

    /** The hub's first INFO line from a WebSocket stream, within Go's DEFAULT_LEAFNODE_INFO_WAIT. */
    private byte[] readInfo(Connection c) throws IOException {
        java.util.concurrent.ScheduledFuture<?> cutOff = nodes.timers().schedule((Runnable) c::close, 1, TimeUnit.SECONDS);
        try {
            ByteBuffer buffer = ByteBuffer.allocate(1);
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            // One byte at a time: what follows the INFO must stay in the stream for the connection's reader.
            while (line.size() < 1 << 20) {
                buffer.clear();
                if (c.read(buffer) < 0) {
                    c.close();
                    throw new IOException("connection closed before the INFO");
                }
                line.write(buffer.get(0));
                if (buffer.get(0) == '\n') {
                    return line.toByteArray();
                }
            }
            c.close();
            throw new IOException("no INFO line");
        } finally {
            cutOff.cancel(false);
        }
    }

    /**
     * Reads the hub's first INFO line in plain text (Go's INFO comes before any TLS handshake), within Go's
     * DEFAULT_LEAFNODE_INFO_WAIT; the hub sends nothing more until this side answers.
     */
    private static byte[] readInfo(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (true) {
            if (!buffer.hasRemaining()) {
                ByteBuffer larger = ByteBuffer.allocate(buffer.capacity() * 2);
                buffer.flip();
                larger.put(buffer);
                buffer = larger;
            }
            int n = TimedRead.read(channel, buffer, deadline);
            if (n < 0) {
                channel.close();
                throw new IOException("connection closed before the INFO");
            }
            for (int i = 0; i < buffer.position(); i++) {
                if (buffer.get(i) == '\n') {
                    return java.util.Arrays.copyOf(buffer.array(), buffer.position());
                }
            }
            if (buffer.position() > 1 << 20) {
                channel.close();
                throw new IOException("no INFO line");
            }
        }
    }

    /** Go's pickNextURL: the first URL of the list, the one just tried moved to the end first. */
    private synchronized LeafUrl nextUrl() {
        if (picked && urls.size() > 1 && urls.getFirst().sameAddress(current)) {
            urls.add(urls.removeFirst());
        }
        picked = true;
        current = urls.getFirst();
        return current;
    }

    /**
     * The hub named the leafnode URLs of its cluster (its first INFO, or a later one when a server came or went):
     * Go's updateLeafNodeURLs takes them as the most recent list, followed by the configured URLs. A WebSocket
     * remote takes the {@code ws_connect_urls} instead, as {@code wss://} when the remote uses TLS.
     */
    synchronized void learnUrls(List<?> leafHostPorts, List<?> wsHostPorts) {
        boolean ws = config.urls().getFirst().isWebSocket();
        List<?> hostPorts = ws ? wsHostPorts : leafHostPorts;
        String scheme = !ws ? "nats-leaf://" : usesTls() ? "wss://" : "ws://";
        List<LeafUrl> fresh = new ArrayList<>();
        for (Object o : hostPorts) {
            if (!(o instanceof String hostPort)) {
                continue;
            }
            LeafUrl url;
            try {
                url = LeafUrl.parse(scheme + hostPort);
            } catch (IllegalArgumentException e) {
                nodes.log().log(System.Logger.Level.ERROR, "Error parsing url \"{0}\": {1}", hostPort, e.getMessage());
                continue;
            }
            if (config.urls().stream().noneMatch(url::sameAddress)) {
                fresh.add(url);
            }
        }
        fresh.addAll(config.urls());
        urls = fresh;
    }

    /** Go's remote {@code TLS} flag for WebSocket: a {@code wss://} URL or a {@code tls} block. */
    private boolean usesTls() {
        return tls.isPresent() || config.urls().stream().anyMatch(u -> u.scheme().equals("wss"));
    }

    /** The URLs dialled in turn, learnt ones first. */
    synchronized List<LeafUrl> urls() {
        return List.copyOf(urls);
    }

    /**
     * User and password for a URL an INFO named, which has none (Go's saveUserPassword: the first configured URL's
     * that has them).
     */
    Optional<LeafUrl> configuredCredentials() {
        return config.urls().stream().filter(u -> u.user().isPresent()).findFirst();
    }

    /**
     * The name a TLS handshake verifies: a configured URL's host, or for a URL an INFO named (an IP address,
     * usually), the first configured host name that is not an address (Go's saveTLSHostname).
     */
    String tlsName(LeafUrl url) {
        if (config.urls().contains(url)) {
            return url.host();
        }
        return config.urls().stream().map(LeafUrl::host).filter(h -> !isAddress(h)).findFirst().orElse(url.host());
    }

    private static boolean isAddress(String host) {
        return host.contains(":") || host.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch));
    }

    private static SocketChannel open(LeafUrl url) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(url.host(), url.port()), DIAL_TIMEOUT_MILLIS);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    void tls(java.util.Optional<RemoteTls> fresh) {
        tls = fresh;
    }

    nats.transport.compress.CompressionOptions compression() {
        return compression;
    }

    void compression(nats.transport.compress.CompressionOptions fresh) {
        compression = fresh;
    }

    void connected(LeafConnection c) {
        connection = c;
        everConnected = true;
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
