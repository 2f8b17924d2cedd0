package nats.leafnode.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * A remote's URL ({@code nats-leaf://user:password@host:port}, also {@code nats://}, {@code tls://},
 * {@code ws://}, {@code wss://}); the port defaults to Go's 7422 (443 or 80 for WebSocket).
 */
public record LeafUrl(String text, String scheme, String host, int port, Optional<String> user,
                      Optional<String> password) {

    /** Go's DEFAULT_LEAFNODE_PORT. */
    public static final int DEFAULT_PORT = 7422;

    public static LeafUrl parse(String text) {
        String t = text.trim();
        if (!t.contains("://")) {
            t = "nats-leaf://" + t;
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("error parsing leafnode url [\"" + text + "\"]: " + e.getMessage());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("error parsing leafnode url [\"" + text + "\"]: missing host");
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = uri.getPort();
        if (port < 0) {
            port = switch (scheme) {
                case "ws" -> 80;
                case "wss" -> 443;
                default -> DEFAULT_PORT;
            };
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
            password = colon < 0 ? Optional.empty() : Optional.of(decode(info.substring(colon + 1)));
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new LeafUrl(text, scheme, host, port, user, password);
    }

    /** Whether the hub is reached over WebSocket. */
    public boolean isWebSocket() {
        return scheme.equals("ws") || scheme.equals("wss");
    }

    /** Whether {@code other} names the same host and port (URLs an INFO names carry no user, Go compares so). */
    public boolean sameAddress(LeafUrl other) {
        return other != null && host.equalsIgnoreCase(other.host) && port == other.port;
    }

    /** The URL without its password, for logs and {@code /varz}. */
    public String redacted() {
        return scheme + "://" + user.map(u -> u + (password.isPresent() ? ":xxxxx@" : "@")).orElse("") + host + ":" + port;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
