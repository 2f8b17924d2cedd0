package nats.server.internal.monitor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import nats.server.internal.ServerCore;
import nats.transport.json.GoJson;
import nats.transport.tls.ServerTls;

/**
 * The monitoring port ({@code -m}/{@code http_port}, or {@code -ms}/{@code https_port} on the client port's
 * TLS), serving the Go server's monitoring endpoints ({@code /varz}, {@code /connz}, {@code /subsz},
 * {@code /healthz}, ...) with the same JSON field names, shapes and indentation, plus {@code /metrics}
 * (Prometheus) and {@code /dashboard} (a live page), all under {@code http_base_path}. The JDK's built-in
 * HTTP/1.1 server; requests run on virtual threads. See docs/monitoring.md.
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

    private final MonitorDocuments documents;
    private final Endpoints endpoints;
    private final MetricsEndpoint metrics;
    private volatile BasePath base = BasePath.ROOT;
    private HttpServer server;
    private ExecutorService executor;

    public MonitorServer(ServerCore core) {
        this(new MonitorDocuments(core));
    }

    /** Serves {@code documents}, which the system account's monitoring requests share. */
    public MonitorServer(MonitorDocuments documents) {
        this.documents = documents;
        this.endpoints = documents.endpoints();
        this.metrics = new MetricsEndpoint(documents.core(), documents);
    }

    /** Serves every endpoint under {@code http_base_path} (as configured; normalised as Go does). */
    public void basePath(String configured) {
        base = BasePath.of(configured);
    }

    /**
     * Listens for HTTP on {@code host:port}; port 0 or -1 picks a free port, an empty host means all interfaces.
     *
     * @return the port bound
     * @throws IOException when the address cannot be bound
     * @throws IllegalStateException when already started
     */
    public synchronized int start(String host, int port) throws IOException {
        return start(host, port, Optional.empty(), EarlyMonitorPort.none());
    }

    /** {@link #start(String, int)} on the port {@code early} bound, if it is the one asked for. */
    public synchronized int start(String host, int port, EarlyMonitorPort early) throws IOException {
        return start(host, port, Optional.empty(), early);
    }

    /**
     * Listens for HTTPS, with the TLS {@code tls} gives for each new connection (so certificates reloaded on the
     * client port apply here too), never asking for client certificates, as Go's HTTPS monitoring does.
     */
    public synchronized int startHttps(String host, int port, Supplier<ServerTls> tls) throws IOException {
        return start(host, port, Optional.of(tls), EarlyMonitorPort.none());
    }

    /** {@link #startHttps(String, int, Supplier)} on the port {@code early} bound, if it is the one asked for. */
    public synchronized int startHttps(String host, int port, Supplier<ServerTls> tls, EarlyMonitorPort early)
            throws IOException {
        return start(host, port, Optional.of(tls), early);
    }

    private int start(String host, int port, Optional<Supplier<ServerTls>> tls, EarlyMonitorPort early)
            throws IOException {
        if (server != null) {
            throw new IllegalStateException("monitor already started");
        }
        InetSocketAddress address = address(host, port);
        HttpServer http = early.take(address, tls.isPresent());
        if (http == null) {
            http = create(address, tls.isPresent());
        }
        if (http instanceof HttpsServer https) {
            https.setHttpsConfigurator(new MonitoringTls(tls.orElseThrow()));
        }
        ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("nats-monitor-", 0).factory());
        http.setExecutor(pool);
        http.createContext("/", this::handle);
        http.start();
        int bound = http.getAddress().getPort();
        String bindHost = address.getHostString();
        endpoints.listening(bindHost, bound, tls.isPresent());
        server = http;
        executor = pool;
        LOG.log(System.Logger.Level.INFO, "Starting {0} monitor on {1}:{2}", tls.isPresent() ? "https" : "http",
                bindHost, String.valueOf(bound));
        return bound;
    }

    /** The address to listen on: all interfaces for an empty host, a free port for 0 or -1. */
    static InetSocketAddress address(String host, int port) {
        String bindHost = host == null || host.isEmpty() ? "0.0.0.0" : host;
        return new InetSocketAddress(bindHost, port < 0 ? 0 : port);
    }

    /** A listening but not yet serving HTTP or HTTPS server (HTTPS gets its TLS when it starts). */
    static HttpServer create(InetSocketAddress address, boolean https) throws IOException {
        return https ? HttpsServer.create(address, 0) : HttpServer.create(address, 0);
    }

    /** Go's monitoring TLS: the client port's configuration without client certificates. */
    private static final class MonitoringTls extends HttpsConfigurator {
        private final Supplier<ServerTls> tls;

        MonitoringTls(Supplier<ServerTls> tls) {
            super(tls.get().context());
            this.tls = tls;
        }

        @Override
        public SSLContext getSSLContext() {
            return tls.get().context();
        }

        @Override
        public void configure(HttpsParameters params) {
            params.setSSLParameters(tls.get().parametersWithoutClientAuth());
        }
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

    private static final Response NOT_FOUND = new Response(404, TEXT, "404 page not found\n", false);

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Query query = Query.parse(exchange.getRequestURI().getRawQuery());
            Response response;
            try {
                Optional<String> endpoint = base.endpointOf(exchange.getRequestURI().getPath());
                response = endpoint.isPresent() ? route(endpoint.get(), query) : NOT_FOUND;
            } catch (GoFormat.BadRequest e) {
                response = Response.text(e.status(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "monitoring: " + exchange.getRequestURI() + " failed", e);
                response = Response.text(500, "internal error: " + e);
            }
            send(exchange, response, query.get("callback"));
        }
    }

    private Response route(String path, Query q) throws GoFormat.BadRequest {
        switch (path) {
            case Endpoints.ROOT -> {
                return new Response(200, HTML, endpoints.root(base), false);
            }
            case Endpoints.STACKSZ -> {
                return Response.text(200, Endpoints.stacks());
            }
            case MetricsEndpoint.PATH -> {
                return new Response(200, MetricsEndpoint.CONTENT_TYPE, metrics.scrape(q), false);
            }
            case Dashboard.PATH -> {
                endpoints.countRequest(Dashboard.PATH);
                return new Response(200, HTML, Dashboard.page(), false);
            }
            default -> {
                // The health status is written compactly (json.Marshal), unlike the other endpoints, as Go does.
                if (path.equals(Endpoints.HEALTHZ) && documents.extensions().forPath(path).isEmpty()) {
                    java.util.Map<String, Object> health = endpoints.healthz(q);
                    return new Response(health.containsKey("error") ? 503 : 200, JSON, GoJson.compact(health), true);
                }
                Optional<Object> document = documents.atPath(path, q);
                return document.isPresent() ? Response.json(document.get()) : NOT_FOUND;
            }
        }
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
