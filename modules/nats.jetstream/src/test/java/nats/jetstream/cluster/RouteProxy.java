package nats.jetstream.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * A TCP forwarder between cluster members for the partition tests: one listening port per ordered pair of servers
 * ({@link #port(String, String)}: where {@code from} dials {@code to}'s route listener), so every route connection
 * crosses it and it knows which server sends each byte. A direction can be cut on command ({@link #cut}): the bytes
 * one server sends the other are then read and thrown away while the connection stays open, as a network that
 * drops one way's packets without resetting anything; the other direction keeps flowing unless cut too.
 * {@link #heal} restores a pair and closes its connections (their byte streams lost data mid-frame), so the servers
 * dial afresh through the proxy, as after a real partition.
 */
final class RouteProxy implements AutoCloseable {

    private record Link(String from, String to) {
    }

    private final Map<Link, ServerSocket> listeners = new LinkedHashMap<>();
    private final Map<Link, IntSupplier> targets = new LinkedHashMap<>();
    /** Directions (sender, receiver) whose bytes are dropped. */
    private final Set<Link> cut = ConcurrentHashMap.newKeySet();
    /** Open sockets by the unordered pair they connect (both ends' sockets, both dial directions). */
    private final Map<Link, Set<Socket>> open = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /**
     * @param routePorts each server's real route port, read at every accepted connection (a server relaunched on
     *                   another port is reached there)
     */
    RouteProxy(List<String> names, Map<String, IntSupplier> routePorts) throws IOException {
        for (String from : names) {
            for (String to : names) {
                if (!from.equals(to)) {
                    Link link = new Link(from, to);
                    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                    listeners.put(link, listener);
                    targets.put(link, routePorts.get(to));
                    Thread.ofPlatform().daemon().name("route-proxy-" + from + "-" + to)
                            .start(() -> acceptLoop(link, listener));
                }
            }
        }
    }

    /** The port {@code from} dials to reach {@code to}'s route listener. */
    int port(String from, String to) {
        return listeners.get(new Link(from, to)).getLocalPort();
    }

    /** Drops what {@code from} sends {@code to} from now on (what {@code to} sends {@code from} still arrives). */
    void cut(String from, String to) {
        cut.add(new Link(from, to));
    }

    /** Cuts both directions between {@code name} and each of {@code others}. */
    void isolate(String name, List<String> others) {
        for (String o : others) {
            cut(name, o);
            cut(o, name);
        }
    }

    /** Lets everything through again and closes the connections of the pairs that were cut. */
    void heal() {
        Set<Link> pairs = ConcurrentHashMap.newKeySet();
        for (Link l : cut) {
            pairs.add(pair(l.from(), l.to()));
        }
        cut.clear();
        for (Link p : pairs) {
            Set<Socket> sockets = open.remove(p);
            if (sockets != null) {
                sockets.forEach(RouteProxy::closeQuietly);
            }
        }
    }

    private static Link pair(String a, String b) {
        return a.compareTo(b) < 0 ? new Link(a, b) : new Link(b, a);
    }

    private void acceptLoop(Link link, ServerSocket listener) {
        while (running) {
            Socket inbound;
            try {
                inbound = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().start(() -> connect(link, inbound));
        }
    }

    private void connect(Link link, Socket inbound) {
        Socket outbound = new Socket();
        try {
            outbound.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    targets.get(link).getAsInt()), 2_000);
        } catch (IOException e) {
            closeQuietly(inbound); // the server is down: the dialler sees the connection close, as a refusal
            closeQuietly(outbound);
            return;
        }
        Set<Socket> sockets = open.computeIfAbsent(pair(link.from(), link.to()), k -> ConcurrentHashMap.newKeySet());
        sockets.add(inbound);
        sockets.add(outbound);
        Thread.ofVirtual().start(() -> pump(inbound, outbound, link, sockets));
        Thread.ofVirtual().start(() -> pump(outbound, inbound, new Link(link.to(), link.from()), sockets));
    }

    /** Copies {@code in} to {@code out} while the direction is not cut, discards while it is. */
    private void pump(Socket in, Socket out, Link direction, Set<Socket> sockets) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream is = in.getInputStream(); OutputStream os = out.getOutputStream()) {
            for (int n; (n = is.read(buffer)) >= 0; ) {
                if (!cut.contains(direction)) {
                    os.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(in);
            closeQuietly(out);
            sockets.remove(in);
            sockets.remove(out);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        running = false;
        listeners.values().forEach(l -> {
            try {
                l.close();
            } catch (IOException e) {
                // closing
            }
        });
        open.values().forEach(s -> s.forEach(RouteProxy::closeQuietly));
        open.clear();
    }
}
