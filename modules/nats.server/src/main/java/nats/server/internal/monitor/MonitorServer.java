package nats.server.internal.monitor;

import nats.transport.json.GoJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import nats.server.internal.ServerCore;

/**
 * The HTTP monitoring port ({@code -m}/{@code http_port}), serving the Go server's monitoring endpoints
 * ({@code /varz}, {@code /connz}, {@code /subsz}, {@code /healthz}, ...) with the same JSON field names,
 * shapes and indentation, on the JDK's built-in HTTP/1.1 server. Requests run on virtual threads.
 * See docs/monitoring.md.
 */
public final class MonitorServer {

    private static final System.Logger LOG = System.getLogger(MonitorServer.class.getName());
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";
    /**
     * JSONP callback names accepted. Go echoes any callback verbatim; a JavaScript name (with dots and
     * brackets for namespaced or jQuery-style callbacks) covers real use without reflecting arbitrary text.
     */
    private static final Pattern CALLBACK = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$.\\[\\]]{0,127}");

    private final Endpoints endpoints;
    private final MonitorExtensions extensions;
    private HttpServer server;
    private ExecutorService executor;

    public MonitorServer(ServerCore core) {
        this(new MonitorDocuments(core));
    }

    /** Serves {@code documents}, which the system account's monitoring requests share. */
    public MonitorServer(MonitorDocuments documents) {
        this.endpoints = documents.endpoints();
        this.extensions = documents.extensions();
    }

    /**
     * Listens on {@code host:port}; port 0 or -1 picks a free port, an empty host means all interfaces.
     *
     * @return the port bound
     * @throws IOException when the address cannot be bound
     * @throws IllegalStateException when already started
     */
    public synchronized int start(String host, int port) throws IOException {
        if (server != null) {
            throw new IllegalStateException("monitor already started");
        }
        String bindHost = host == null || host.isEmpty() ? "0.0.0.0" : host;
        HttpServer http = HttpServer.create(new InetSocketAddress(bindHost, port < 0 ? 0 : port), 0);
        ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("nats-monitor-", 0).factory());
        http.setExecutor(pool);
        http.createContext("/", this::handle);
        http.start();
        int bound = http.getAddress().getPort();
        endpoints.listening(bindHost, bound);
        server = http;
        executor = pool;
        LOG.log(System.Logger.Level.INFO, "Starting http monitor on {0}:{1}", bindHost, String.valueOf(bound));
        return bound;
    }

    /** The port bound, or 0 when not started. */
    public synchronized int port() {
        return server == null ? 0 : server.getAddress().getPort();
    }

    /** Closes the port and the open monitoring connections; a no-op when not started. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
        executor = null;
    }

    /** What a handler produced: a status, a content type, a body, and whether JSONP may wrap it. */
    private record Response(int status, String contentType, String body, boolean json) {

        static Response json(Object document) {
            return new Response(200, JSON, GoJson.indented(document), true);
        }

        static Response text(int status, String body) {
            return new Response(status, TEXT, body, false);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Query query = Query.parse(exchange.getRequestURI().getRawQuery());
            Response response;
            try {
                response = route(exchange.getRequestURI().getPath(), query);
            } catch (GoFormat.BadRequest e) {
                response = Response.text(400, e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "monitoring: " + exchange.getRequestURI() + " failed", e);
                response = Response.text(500, "internal error: " + e);
            }
            send(exchange, response, query.get("callback"));
        }
    }

    private Response route(String path, Query q) throws GoFormat.BadRequest {
        java.util.Optional<nats.api.monitoring.MonitorDocument> plugin = extensions.forPath(path);
        if (plugin.isPresent()) {
            return Response.json(MonitorExtensions.run(plugin.get(),
                    new nats.api.monitoring.MonitorQuery(q.values(), java.util.Map.of())));
        }
        return switch (path) {
            case Endpoints.ROOT -> new Response(200, HTML, endpoints.root(), false);
            case Endpoints.VARZ -> Response.json(endpoints.varz(q));
            case Endpoints.CONNZ -> Response.json(endpoints.connz(q));
            case Endpoints.ROUTEZ -> Response.json(endpoints.routez(q));
            case Endpoints.GATEWAYZ -> Response.json(endpoints.gatewayz(q));
            case Endpoints.LEAFZ -> Response.json(endpoints.leafz(q));
            case Endpoints.SUBSZ, Endpoints.SUBSCRIPTIONSZ -> Response.json(endpoints.subsz(q));
            case Endpoints.ACCOUNTZ -> Response.json(endpoints.accountz(q));
            case Endpoints.ACCSTATZ -> Response.json(endpoints.accstatz(q));
            case Endpoints.JSZ -> Response.json(endpoints.jsz(q));
            // Go writes the health status compactly (json.Marshal), unlike the other endpoints.
            case Endpoints.HEALTHZ -> {
                java.util.Map<String, Object> health = endpoints.healthz(q);
                yield new Response(health.containsKey("error") ? 503 : 200, JSON, GoJson.compact(health), true);
            }
            case Endpoints.IPQUEUESZ -> Response.json(endpoints.ipqueuesz(q));
            case Endpoints.STACKSZ -> Response.text(200, Endpoints.stacks());
            default -> new Response(404, TEXT, "404 page not found\n", false);
        };
    }

    private static void send(HttpExchange exchange, Response response, String callback) throws IOException {
        String contentType = response.contentType();
        String body = response.body();
        int status = response.status();
        if (response.json() && !callback.isEmpty()) {
            if (CALLBACK.matcher(callback).matches()) {
                contentType = "application/javascript";
                body = callback + "(" + body + ")";
            } else {
                status = 400;
                contentType = TEXT;
                body = "invalid JSONP callback name";
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (status == 404) {
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        }
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        if (head || bytes.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
