package nats.cluster.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import nats.api.net.Connection;
import nats.transport.net.PlainConnection;
import nats.transport.tls.TlsHandshake;

/**
 * Dials routes as Go's connectToRoute does: explicit (configured) routes are retried for ever, a second apart
 * (or with {@code connect_backoff}, doubling up to 30 s); a route learned by gossip is tried once plus
 * {@code connect_retries} more times. An address that is this server's own route listener is not dialled.
 */
final class Solicitor {

    /** Go's DEFAULT_ROUTE_CONNECT, DEFAULT_ROUTE_RECONNECT, DEFAULT_ROUTE_DIAL and DEFAULT_ROUTE_CONNECT_MAX. */
    private static final Duration CONNECT_DELAY = Duration.ofSeconds(1);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);
    private static final int DIAL_TIMEOUT_MILLIS = 1000;
    private static final Duration MAX_DELAY = Duration.ofSeconds(30);
    /** Go's DEFAULT_CONNECT_ERROR_REPORTS: a route never connected reports its failures this rarely. */
    private static final int CONNECT_ERROR_REPORTS = 3600;

    private final Cluster cluster;

    Solicitor(Cluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Dials {@code url} on a thread of its own.
     *
     * @param account the pinned account the route is for; empty for a pooled route
     */
    void connect(RouteUrl url, boolean tryForever, boolean firstConnect, String account) {
        Thread.ofVirtual().name("nats-route-dial").start(() -> dial(url, tryForever, firstConnect, account));
    }

    /**
     * Go's reconnect decision when a route closed: a route this server dialled is dialled again (a configured one
     * always, a learned one when it may retry) unless the peer is still connected through another route (without
     * pooling); a pinned route the peer dialled for an account pinned at its request is tried once from here.
     */
    void afterClose(Route route) {
        RouteHandshake h = route.handshake;
        if (!cluster.running() || h.noReconnect()) {
            return;
        }
        if (!route.account().isEmpty() && !h.didSolicit() && h.url() != null
                && cluster.accountRoutes().pinnedByPeers().contains(route.account())) {
            // Pinned at a peer's request, the route dialled from there: one try from here tells whether the peer
            // still pins the account (a refusal gives it back to the pool here, AccountRoutes.refusedByPeer).
            reconnect(h.url(), false, route.account());
            return;
        }
        boolean retryImplicit = h.retry() || (h.didSolicit() && !h.explicit());
        if (!h.didSolicit() && !retryImplicit) {
            return;
        }
        String rid = h.remoteId();
        // Go checks this only without pooling: a pooled peer's other connections do not fill this slot.
        if (route.account().isEmpty() && cluster.config().routesPoolSize() <= 1 && !rid.isEmpty()
                && cluster.connectedTo(rid)) {
            cluster.log().log(System.Logger.Level.DEBUG,
                    "Not attempting reconnect for solicited route, already connected to \"{0}\"", rid);
            return;
        }
        if (h.url() == null || (!h.explicit() && !retryImplicit)) {
            return;
        }
        cluster.log().log(System.Logger.Level.DEBUG, "Attempting reconnect for solicited route \"{0}\"",
                h.url().redacted());
        reconnect(h.url(), h.explicit(), route.account());
    }

    /**
     * Go's reConnectToRoute: a random pause under 100 ms (so two servers that dropped each other's duplicate do
     * not collide again), plus a second for an explicit route.
     */
    void reconnect(RouteUrl url, boolean explicit, String account) {
        long delay = ThreadLocalRandom.current().nextLong(100) + (explicit ? RECONNECT_DELAY.toMillis() : 0);
        cluster.timers().schedule(() -> connect(url, explicit, false, account), delay,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void dial(RouteUrl url, boolean tryForever, boolean firstConnect, String account) {
        int attempts = 0;
        Duration delay = CONNECT_DELAY;
        while (cluster.running()) {
            if (tryForever && !stillConfigured(url)) {
                return;
            }
            if (isOwnListener(url)) {
                return;
            }
            Connection connection = null;
            String failure;
            try {
                connection = open(url);
                failure = null;
            } catch (IOException | TlsHandshake.Refused e) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            if (connection != null) {
                if (tryForever && !stillConfigured(url)) {
                    connection.close();
                    return;
                }
                cluster.solicited(connection, url, tryForever, account);
                return;
            }
            attempts++;
            boolean report = attempts == 1 || (firstConnect ? attempts % CONNECT_ERROR_REPORTS == 0 : true);
            cluster.log().log(report ? System.Logger.Level.ERROR : System.Logger.Level.DEBUG,
                    "Error trying to connect to route (attempt {0}): {1}", attempts, failure);
            if (!tryForever && (cluster.config().connectRetries() <= 0 || attempts > cluster.config().connectRetries())) {
                return;
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            if (cluster.config().connectBackoff()) {
                delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
            }
        }
    }

    private Connection open(RouteUrl url) throws IOException, TlsHandshake.Refused {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(url.host(), url.port()), DIAL_TIMEOUT_MILLIS);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (cluster.tls().isPresent()) {
            return TlsHandshake.connect(channel, cluster.tls().get(), url.host(), url.port());
        }
        return new PlainConnection(channel);
    }

    /** Go's routeStillValid: a configured route removed by a reload is no longer dialled. */
    private boolean stillConfigured(RouteUrl url) {
        return cluster.config().routes().stream().anyMatch(r -> r.sameAddress(url.host(), url.port()));
    }

    /** Go's routesToSelf: every local address with this server's route port. */
    private boolean isOwnListener(RouteUrl url) {
        if (url.port() != cluster.port()) {
            return false;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(url.host())) {
                if (!address.isAnyLocalAddress() && !address.isLoopbackAddress()
                        && NetworkInterface.getByInetAddress(address) == null) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
