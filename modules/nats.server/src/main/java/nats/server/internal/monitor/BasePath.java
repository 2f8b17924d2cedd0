package nats.server.internal.monitor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * {@code http_base_path}: the prefix every monitoring endpoint is served under, normalised as Go's
 * {@code normalizeBasePath} does (a leading slash added, then {@code path.Clean}), and joined to endpoint paths as
 * Go's {@code path.Join} does. The page at {@code /} is served at the base path itself.
 */
final class BasePath {

    static final BasePath ROOT = new BasePath("/");

    private final String path;

    private BasePath(String path) {
        this.path = path;
    }

    /** The base path for the configured text; empty means {@code /}. */
    static BasePath of(String configured) {
        if (configured == null || configured.isEmpty()) {
            return ROOT;
        }
        return new BasePath(clean(configured.startsWith("/") ? configured : "/" + configured));
    }

    /** The normalised base path, e.g. {@code /nats}. */
    String path() {
        return path;
    }

    /** Go's {@code path.Join(base, endpoint)}: {@code /nats} and {@code /varz} give {@code /nats/varz}. */
    String join(String endpoint) {
        return clean(path + "/" + endpoint);
    }

    /**
     * The endpoint a request path names ({@code /nats/varz} gives {@code /varz}, the base path itself gives
     * {@code /}), or empty when the request is outside the base path.
     */
    Optional<String> endpointOf(String requestPath) {
        if (path.equals("/")) {
            return Optional.of(requestPath);
        }
        if (requestPath.equals(path)) {
            return Optional.of("/");
        }
        if (requestPath.startsWith(path) && requestPath.charAt(path.length()) == '/') {
            String rest = requestPath.substring(path.length());
            // As Go's mux: "/nats/" is not the root page, which is registered as "/nats" exactly.
            return rest.equals("/") ? Optional.empty() : Optional.of(rest);
        }
        return Optional.empty();
    }

    /** Go's {@code path.Clean} for an absolute slash-separated path. */
    static String clean(String p) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    @Override
    public String toString() {
        return path;
    }
}
