package nats.websocket.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import nats.api.links.RouteGossip;
import nats.transport.net.ConnectUrls;

/**
 * This server's websocket URLs in its route INFO ({@code ws_connect_urls}, as Go's route INFO carries
 * {@code s.websocket.connectURLs}): the servers of the cluster list them in their leafnode INFO, so a leaf node that
 * dials over WebSocket learns where else it may go. The advertised {@code host:port}, else the listener's address
 * (every non-loopback address of the machine when it listens on all).
 */
public final class WebSocketRouteGossip implements RouteGossip {

    private static final String FIELD = "ws_connect_urls";

    private final Supplier<WebSocketListener> listener;

    public WebSocketRouteGossip(Supplier<WebSocketListener> listener) {
        this.listener = listener;
    }

    @Override
    public Map<String, Object> routeInfoFields() {
        WebSocketListener l = listener.get();
        if (l == null) {
            return Map.of();
        }
        WebSocketConfig config = l.config();
        List<String> urls = config.advertise().isEmpty() ? ConnectUrls.of(config.host(), l.port())
                : List.of(config.advertise());
        return urls.isEmpty() ? Map.of() : Map.of(FIELD, urls);
    }

    @Override
    public void routeRegistered(String peerId, Map<String, Object> info, Consumer<Map<String, Object>> send) {
    }

    @Override
    public void routeClosed(String peerId, Map<String, Object> info) {
    }

    @Override
    public boolean routeInfo(String peerId, Map<String, Object> info) {
        return false;
    }
}
