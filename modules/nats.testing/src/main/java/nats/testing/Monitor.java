package nats.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import nats.transport.json.Json;

/** Reads a server's monitoring JSON over HTTP (routes, gateways), and waits for it to show something (bounded). */
public final class Monitor {

    private Monitor() {
    }

    public static Map<String, Object> get(int httpPort, String pathAndQuery) {
        return Json.parseObject(fetch(httpPort, pathAndQuery, true));
    }

    public static String text(int httpPort, String pathAndQuery) {
        return fetch(httpPort, pathAndQuery, false);
    }

    private static String fetch(int httpPort, String pathAndQuery, boolean requireOk) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + pathAndQuery).toURL()
                    .openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (requireOk && status != 200) {
                    throw new IllegalStateException(pathAndQuery + " answered " + status + ": " + body);
                }
                return body;
            }
        } catch (IOException e) {
            throw new IllegalStateException(pathAndQuery + " failed: " + e, e);
        }
    }

    /**
     * The number of servers this one has routes to: /routez's distinct {@code remote_id}s (with Go 2.10's route
     * pooling a peer has several route connections; {@link #routeConnections} counts those).
     */
    public static int routes(int httpPort) {
        return remoteIds(httpPort).size();
    }

    /** The route connections /routez lists ({@code num_routes}: pooled and per-account ones included). */
    public static int routeConnections(int httpPort) {
        return ((Number) get(httpPort, "/routez").get("num_routes")).intValue();
    }

    /** The remote server ids of /routez, each once, sorted. */
    @SuppressWarnings("unchecked")
    public static List<String> remoteIds(int httpPort) {
        List<Map<String, Object>> routes = (List<Map<String, Object>>) get(httpPort, "/routez").get("routes");
        return routes.stream().map(r -> (String) r.get("remote_id")).distinct().sorted().toList();
    }

    /** The outbound gateways /gatewayz lists, by remote name. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> outbound(int httpPort) {
        return (Map<String, Object>) get(httpPort, "/gatewayz").get("outbound_gateways");
    }

    /** The inbound gateways /gatewayz lists, by remote name. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> inbound(int httpPort) {
        return (Map<String, Object>) get(httpPort, "/gatewayz").get("inbound_gateways");
    }

    /** Waits until the server monitored at {@code httpPort} has an outbound gateway to each of {@code names}. */
    public static void awaitOutbound(Duration timeout, int httpPort, String... names) {
        await(timeout, "outbound gateways " + List.of(names) + " on " + httpPort,
                () -> outbound(httpPort).keySet().containsAll(List.of(names)));
    }

    /** The queue weight the routes of the server monitored at {@code httpPort} registered for {@code group}. */
    @SuppressWarnings("unchecked")
    public static int remoteQueueSubscriptions(int httpPort, String group) {
        int total = 0;
        for (Map<String, Object> route : (List<Map<String, Object>>) get(httpPort, "/routez?subs=detail")
                .get("routes")) {
            if (route.get("subscriptions_list_detail") instanceof List<?> subs) {
                for (Object s : subs) {
                    if (group.equals(((Map<String, Object>) s).get("qgroup"))) {
                        total++;
                    }
                }
            }
        }
        return total;
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    public static void await(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what
                + (last == null ? "" : " (last error: " + last + ")"));
    }

    /** Waits until every server in {@code httpPorts} has routes to {@code count} servers. */
    public static void awaitRoutes(Duration timeout, int count, int... httpPorts) {
        for (int port : httpPorts) {
            await(timeout, count + " routes on the server monitored at " + port, () -> routes(port) == count);
        }
    }

    public static <T> Predicate<T> not(Predicate<T> p) {
        return p.negate();
    }
}
