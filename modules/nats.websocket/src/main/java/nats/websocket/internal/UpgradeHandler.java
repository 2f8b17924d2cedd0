package nats.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import nats.api.net.Connection;
import nats.api.net.ConnectionHandler;
import nats.api.net.ConnectionReader;
import nats.api.net.StreamProtocol;
import nats.transport.http.HttpException;
import nats.transport.http.HttpRequest;
import nats.transport.http.HttpRequestReader;
import nats.transport.http.HttpResponse;

/**
 * Serves the WebSocket listener's connections: HTTP/1.1 requests until one upgrades (a refused request gets
 * Go's error response, and the connection stays for the next request when HTTP allows), within the
 * handshake timeout; then the upgraded connection is handed to the NATS client protocol, or to the plugin that
 * serves the requested protocol (MQTT). The connection's thread stays its reader.
 */
final class UpgradeHandler implements ConnectionHandler {

    private static final Map<String, String> ERROR_HEADERS = Map.of("Sec-Websocket-Version", "13");

    private final System.Logger log;
    private final Handshake handshake;
    private final Duration handshakeTimeout;
    private final ScheduledExecutorService timer;
    private final NatsClients nats;
    private final Function<String, Optional<StreamProtocol>> protocols;
    /** Connections still in their HTTP phase, closed when the listener stops. */
    private final Set<Connection> upgrading = ConcurrentHashMap.newKeySet();

    /** Where upgraded NATS clients go: the kernel's client protocol. */
    @FunctionalInterface
    interface NatsClients {
        /** Serves the NATS protocol over {@code connection} until it ends, with the cookie's JWT if any. */
        void serve(Connection connection, Optional<String> cookieJwt);
    }

    UpgradeHandler(System.Logger log, Handshake handshake, Duration handshakeTimeout, ScheduledExecutorService timer,
                   NatsClients nats, Function<String, Optional<StreamProtocol>> protocols) {
        this.log = log;
        this.handshake = handshake;
        this.handshakeTimeout = handshakeTimeout;
        this.timer = timer;
        this.nats = nats;
        this.protocols = protocols;
    }

    @Override
    public ConnectionReader accepted(Connection connection) throws IOException {
        upgrading.add(connection);
        // Go's handshake_timeout bounds reading the request and answering it; without it there is no bound.
        ScheduledFuture<?> deadline = handshakeTimeout.isZero() ? null
                : timer.schedule((Runnable) connection::close, handshakeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        Handshake.Accepted accepted;
        ByteBuffer early;
        try {
            HttpRequestReader http = new HttpRequestReader(connection);
            accepted = upgrade(connection, http);
            if (accepted == null) {
                connection.close();
                return ConnectionReader.HANDED_OVER;
            }
            early = http.takeBuffered();
        } catch (IOException e) {
            // A client that goes away (or times out) in the middle of a request gets no answer, as in Go.
            log.log(System.Logger.Level.DEBUG, "{0} - websocket connection ended before the upgrade: {1}",
                    connection.remoteAddress(), e.toString());
            connection.close();
            return ConnectionReader.HANDED_OVER;
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            upgrading.remove(connection);
        }
        serve(new WebSocketConnection(connection, accepted.negotiated(), early), accepted);
        return ConnectionReader.HANDED_OVER;
    }

    /**
     * Reads requests until one upgrades; null when the connection must close instead (a bad request, or the
     * client closed).
     */
    private Handshake.Accepted upgrade(Connection connection, HttpRequestReader http) throws IOException {
        while (true) {
            Optional<HttpRequest> next;
            try {
                next = http.next();
            } catch (HttpException e) {
                log.log(System.Logger.Level.DEBUG, "{0} - websocket: unreadable HTTP request: {1}",
                        connection.remoteAddress(), e.getMessage());
                connection.write(ByteBuffer.wrap(e.response().bytes()));
                return null;
            }
            if (next.isEmpty()) {
                return null;
            }
            HttpRequest request = next.get();
            if (request.method().equals("OPTIONS") && request.target().equals("*")) {
                HttpResponse ok = HttpResponse.optionsAsterisk(request, Instant.now());
                boolean reusable = http.discardBody(request);
                connection.write(ByteBuffer.wrap(ok.bytes()));
                if (ok.closeAfter() || !reusable) {
                    return null;
                }
                continue;
            }
            Handshake.Decision decision = handshake.decide(request);
            if (decision instanceof Handshake.Refused refused) {
                log.log(System.Logger.Level.ERROR, "{0} - websocket handshake error: {1}",
                        address(connection), refused.reason());
                // As Go: an unread body is discarded before answering (up to 256 KiB, else the connection ends).
                boolean reusable = http.discardBody(request);
                HttpResponse response = HttpResponse.error(request, refused.status(), ERROR_HEADERS, !reusable,
                        Instant.now());
                connection.write(ByteBuffer.wrap(response.bytes()));
                if (response.closeAfter()) {
                    return null;
                }
                continue;
            }
            Handshake.Accepted accepted = (Handshake.Accepted) decision;
            if (http.buffered() > 0) {
                log.log(System.Logger.Level.ERROR, "{0} - websocket handshake error: client sent data before "
                        + "handshake is complete", address(connection));
                return null;
            }
            connection.write(ByteBuffer.wrap(accepted.response()));
            return accepted;
        }
    }

    private void serve(WebSocketConnection ws, Handshake.Accepted accepted) {
        if (accepted.kind() == Handshake.Kind.CLIENT) {
            nats.serve(ws, accepted.cookieJwt());
            return;
        }
        String name = accepted.kind().protocol();
        Optional<StreamProtocol> protocol = protocols.apply(name);
        if (protocol.isEmpty()) {
            // Go upgrades a leaf node request, then finds no leaf node listener and closes.
            log.log(System.Logger.Level.ERROR, "Not configured to accept " + (accepted.kind() == Handshake.Kind.LEAF
                    ? "leaf node" : name) + " connections");
            ws.close();
            return;
        }
        protocol.get().serve(ws, "websocket");
    }

    /** Closes the connections still in their HTTP phase (the listener stops). */
    void closeUpgrading() {
        upgrading.forEach(Connection::close);
    }

    private static String address(Connection connection) {
        java.net.InetSocketAddress a = connection.remoteAddress();
        return (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":" + a.getPort();
    }
}
