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
 * another server of this cluster when its own goes away.
 */
final class LeafUrlGossip implements RouteGossip {

    private static final String FIELD = "leafnode_urls";

    private final LeafNodes nodes;
    /** URL to how many times it is known (this server's own, and routes'), in the order first learnt. */
    private final Map<String, Integer> urls = new LinkedHashMap<>();
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
        if (url == null || stopping || !nodes.running()) {
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

    /** A route INFO names at most one leafnode URL, its server's own (Go ignores any other count). */
    private static String peerUrl(Map<String, Object> info) {
        if (info.get(FIELD) instanceof List<?> list && list.size() == 1 && list.getFirst() instanceof String url
                && !url.isEmpty()) {
            return url;
        }
        return null;
    }
}
