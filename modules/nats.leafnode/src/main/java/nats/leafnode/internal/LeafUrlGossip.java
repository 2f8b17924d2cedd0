package nats.leafnode.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import nats.api.links.RouteGossip;

/**
 * The leafnode URLs of the cluster, as Go's routes carry them: this server's route INFO names its own leafnode URL
 * ({@code leafnode_urls} with one entry, unless {@code no_advertise}), each route that registers adds its peer's,
 * and a route that closes removes it (Go's leafURLsMap, counted, as two routes may name one URL). The leafnode INFO
 * lists them all, and a change is sent to the connected leaf nodes in an INFO of its own, so a leaf can dial
 * another server of this cluster when its own goes away. The routes' websocket URLs ({@code ws_connect_urls}) are
 * kept the same way and listed beside them, for leaf nodes that dial over WebSocket; as in Go, a change of those
 * alone sends no INFO.
 */
final class LeafUrlGossip implements RouteGossip {

    private static final String FIELD = "leafnode_urls";
    private static final String WS_FIELD = "ws_connect_urls";

    private final LeafNodes nodes;
    /** URL to how many times it is known (this server's own, and routes'), in the order first learnt. */
    private final Map<String, Integer> urls = new LinkedHashMap<>();
    /** The other servers' websocket URLs their route INFOs named (Go's websocket.connectURLsMap), counted alike. */
    private final Map<String, Integer> wsUrls = new LinkedHashMap<>();
    private volatile boolean stopping;

    LeafUrlGossip(LeafNodes nodes) {
        this.nodes = nodes;
    }

    /** This server's own URL, once its listener is up (Go counts it even with {@code no_advertise}). */
    synchronized void addOwn(String url) {
        urls.merge(url, 1, Integer::sum);
    }

    /** The URLs the leafnode INFO lists. */
    synchronized List<String> urls() {
        return new ArrayList<>(urls.keySet());
    }

    /**
     * The leafnode INFO's {@code ws_connect_urls}: the other servers' websocket URLs (Go lists its map of the
     * routes' URLs, not this server's own), which a leaf with {@code ws://} remotes dials when its hub goes away.
     */
    synchronized List<String> wsUrls() {
        return new ArrayList<>(wsUrls.keySet());
    }

    @Override
    public Map<String, Object> routeInfoFields() {
        if (!nodes.config().listens() || nodes.config().noAdvertise()) {
            return Map.of();
        }
        return Map.of(FIELD, List.of(nodes.advertisedUrl()));
    }

    @Override
    public void routeRegistered(String peerId, Map<String, Object> info, Consumer<Map<String, Object>> send) {
        String url = peerUrl(info);
        synchronized (this) {
            peerWsUrls(info).forEach(ws -> wsUrls.merge(ws, 1, Integer::sum));
        }
        if (url == null) {
            return;
        }
        boolean added;
        synchronized (this) {
            added = urls.merge(url, 1, Integer::sum) == 1;
        }
        if (added) {
            nodes.sendAsyncInfo();
        }
    }

    @Override
    public void routeClosed(String peerId, Map<String, Object> info) {
        String url = peerUrl(info);
        if (stopping || !nodes.running()) {
            return;
        }
        synchronized (this) {
            peerWsUrls(info).forEach(ws -> wsUrls.computeIfPresent(ws, (u, n) -> n == 1 ? null : n - 1));
        }
        if (url == null) {
            return;
        }
        boolean removed;
        synchronized (this) {
            removed = urls.containsKey(url) && urls.computeIfPresent(url, (u, n) -> n == 1 ? null : n - 1) == null;
        }
        if (removed) {
            nodes.sendAsyncInfo();
        }
    }

    @Override
    public void routesStopping() {
        stopping = true;
    }

    @Override
    public boolean routeInfo(String peerId, Map<String, Object> info) {
        return false;
    }

    /** The websocket URLs a route INFO names (its server's own, unless its cluster has {@code no_advertise}). */
    private static List<String> peerWsUrls(Map<String, Object> info) {
        List<String> out = new ArrayList<>();
        if (info.get(WS_FIELD) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String url && !url.isEmpty()) {
                    out.add(url);
                }
            }
        }
        return out;
    }

    /** A route INFO names at most one leafnode URL, its server's own (Go ignores any other count). */
    private static String peerUrl(Map<String, Object> info) {
        if (info.get(FIELD) instanceof List<?> list && list.size() == 1 && list.getFirst() instanceof String url
                && !url.isEmpty()) {
            return url;
        }
        return null;
    }
}
