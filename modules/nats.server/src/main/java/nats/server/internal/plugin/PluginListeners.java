package nats.server.internal.plugin;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import nats.api.net.BoundListener;
import nats.api.net.Connection;
import nats.api.net.ConnectionHandler;
import nats.api.net.ConnectionReader;
import nats.api.net.ListenerSpec;
import nats.api.net.Listeners;
import nats.server.internal.client.ReadLoop;
import nats.server.internal.listen.Acceptor;
import nats.transport.net.PlainConnection;
import nats.transport.tls.TlsHandshake;

/**
 * Listeners plugins open, on the same accept and threading machinery as the client port: an accepting
 * platform thread, a virtual thread per connection, the kernel's {@link ReadLoop} (which moves busy readers to
 * platform threads), TLS run before the plugin sees the connection when the spec asks for it.
 */
public final class PluginListeners implements Listeners {

    private static final System.Logger LOG = System.getLogger(PluginListeners.class.getName());

    private final List<Bound> open = new CopyOnWriteArrayList<>();
    private final BiConsumer<String, String> portsFile;

    /** @param portsFile told each listener's name and URL, for the ports file */
    public PluginListeners(BiConsumer<String, String> portsFile) {
        this.portsFile = portsFile;
    }

    @Override
    public BoundListener open(ListenerSpec spec, ConnectionHandler handler) throws IOException {
        Bound bound = new Bound(spec, handler);
        bound.acceptor = Acceptor.bind(spec.host(), spec.port(), spec.name(),
                channel -> Thread.ofVirtual().name("nats-" + spec.name() + "-conn").start(() -> bound.serve(channel)));
        open.add(bound);
        // A label ending in a URL scheme ("... on ws://") is followed by the address directly, as Go logs it.
        String separator = spec.logLabel().endsWith("://") ? "" : " ";
        LOG.log(System.Logger.Level.INFO, "{0}{1}{2}:{3}", spec.logLabel(), separator, spec.host(),
                String.valueOf(bound.port()));
        String scheme = spec.name().equals("websocket") ? (spec.tls().isPresent() ? "wss" : "ws")
                : spec.tls().isPresent() ? "tls" : "nats";
        String host = spec.host().equals("0.0.0.0") || spec.host().isEmpty() ? "127.0.0.1" : spec.host();
        portsFile.accept(spec.name(), scheme + "://" + host + ":" + bound.port());
        return bound;
    }

    /** Closes every listener still open (server shutdown). */
    public void closeAll() {
        for (Bound b : open) {
            b.close();
        }
    }

    /**
     * The open listeners of one plugin, as {@code name host:port}: those whose handler belongs to the module
     * {@code moduleName} (named as {@link DiscoveredPlugin#moduleName()} names it), for the start-up line.
     */
    public List<String> listeningFor(String moduleName) {
        List<String> mine = new java.util.ArrayList<>();
        for (Bound b : open) {
            if (b.owner.equals(moduleName)) {
                mine.add(b.spec.name() + " on " + b.spec.host() + ":" + b.port());
            }
        }
        return mine;
    }

    /** The open listeners by name, with their ports, for monitoring. */
    public Map<String, Integer> ports() {
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        open.forEach(b -> ports.put(b.spec.name(), b.port()));
        return ports;
    }

    private final class Bound implements BoundListener {
        final ListenerSpec spec;
        final ConnectionHandler handler;
        /** The module of the plugin that opened it. */
        final String owner;
        volatile Acceptor acceptor;

        Bound(ListenerSpec spec, ConnectionHandler handler) {
            this.spec = spec;
            this.handler = handler;
            Module module = handler.getClass().getModule();
            this.owner = module.isNamed() ? module.getName() : "(class path)";
        }

        void serve(SocketChannel channel) {
            Connection connection;
            if (spec.tls().isPresent()) {
                try {
                    connection = TlsHandshake.handshakeFirst(channel, spec.tls().get());
                } catch (TlsHandshake.Refused e) {
                    LOG.log(e.level(), "{0} - {1}", spec.name(), e.getMessage());
                    return;
                }
            } else {
                connection = new PlainConnection(channel);
            }
            ConnectionReader reader;
            try {
                reader = handler.accepted(connection);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "{0} connection refused by its handler: {1}", spec.name(),
                        e.toString());
                connection.close();
                return;
            }
            if (reader == ConnectionReader.HANDED_OVER) {
                return;
            }
            new ReadLoop(connection, new ReadLoop.Reader() {
                private volatile boolean ended;

                @Override
                public void onBytes(byte[] buffer, int offset, int length) throws IOException {
                    reader.onBytes(buffer, offset, length);
                }

                @Override
                public boolean stopped() {
                    return ended;
                }

                @Override
                public void ended(Throwable cause) {
                    ended = true;
                    try {
                        reader.closed();
                    } finally {
                        connection.close();
                    }
                }
            }, "nats-" + spec.name()).run();
        }

        @Override
        public String host() {
            return spec.host();
        }

        @Override
        public int port() {
            return acceptor.port();
        }

        @Override
        public void close() {
            open.remove(this);
            acceptor.close();
        }
    }
}
