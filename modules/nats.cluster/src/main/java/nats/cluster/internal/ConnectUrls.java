package nats.cluster.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import nats.api.ServerContext;

/**
 * The client URLs of the cluster, for INFO's {@code connect_urls} (Go's clientConnectURLsMap): each peer
 * announces its own in its route INFO; a URL counts once however many routes announced it, and is dropped when
 * the last one goes. Every change reaches the clients that take asynchronous INFO, so they fail over to the
 * servers that exist now.
 */
final class ConnectUrls {

    private final ServerContext context;
    private final BooleanSupplier noAdvertise;
    private final BooleanSupplier lameDuck;
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    /** Go leaves connect_urls out of INFO until the cluster first changed it. */
    private boolean everChanged;

    ConnectUrls(ServerContext context, BooleanSupplier noAdvertise, BooleanSupplier lameDuck) {
        this.context = context;
        this.noAdvertise = noAdvertise;
        this.lameDuck = lameDuck;
    }

    void add(List<String> urls) {
        update(urls, true);
    }

    void remove(List<String> urls) {
        update(urls, false);
    }

    private void update(List<String> urls, boolean add) {
        if (noAdvertise.getAsBoolean() || urls.isEmpty()) {
            return;
        }
        boolean changed = false;
        synchronized (this) {
            for (String url : urls) {
                Integer n = counts.get(url);
                if (add) {
                    counts.put(url, n == null ? 1 : n + 1);
                    changed |= n == null;
                } else if (n != null) {
                    if (n <= 1) {
                        counts.remove(url);
                        changed = true;
                    } else {
                        counts.put(url, n - 1);
                    }
                }
            }
            everChanged |= changed;
        }
        if (changed) {
            context.monitoring().announceInfo();
        }
    }

    /** INFO's {@code connect_urls}: this server's own URLs (unless in lame-duck mode), then the peers'; null for none. */
    synchronized Object infoValue() {
        if (noAdvertise.getAsBoolean() || !everChanged) {
            return null;
        }
        List<String> all = new ArrayList<>(lameDuck.getAsBoolean() ? List.of() : own());
        for (String url : counts.keySet()) {
            if (!all.contains(url)) {
                all.add(url);
            }
        }
        return all.isEmpty() ? null : all;
    }

    /** The URLs of the other servers, for lame-duck INFO and tests. */
    synchronized List<String> peers() {
        return List.copyOf(counts.keySet());
    }

    /**
     * This server's client URLs (Go's getClientConnectURLs): {@code host:port} of the client listener, or every
     * address of the machine that is not a loopback one when it listens on all of them.
     */
    List<String> own() {
        return nats.transport.net.ConnectUrls.of(context.settings().host(), context.settings().clientPort());
    }
}
