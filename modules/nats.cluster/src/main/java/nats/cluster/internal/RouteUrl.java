package nats.cluster.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A route to solicit, as written in {@code routes} or learned by gossip ({@code nats-route://user:pass@host:port}).
 *
 * @param text     the URL as configured (for logs, with the password hidden)
 * @param host     the host to dial
 * @param port     the port to dial
 * @param user     the user to present in CONNECT, when the URL has one
 * @param password the password to present
 */
public record RouteUrl(String text, String host, int port, Optional<String> user, Optional<String> password) {

    /** Go's route default port when a URL names none. */
    static final int DEFAULT_PORT = 6222;

    /** Parses a route URL; the message of the exception is Go's. */
    public static RouteUrl parse(String raw) {
        String text = raw.strip();
        try {
            URI uri = new URI(text.contains("://") ? text : "nats-route://" + text);
            String host = uri.getHost();
            if (host == null) {
                throw new IllegalArgumentException("error parsing route url [\"" + text + "\"]");
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
            Optional<String> user = Optional.empty();
            Optional<String> password = Optional.empty();
            String info = uri.getRawUserInfo();
            if (info != null) {
                int colon = info.indexOf(':');
                user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
                if (colon >= 0) {
                    password = Optional.of(decode(info.substring(colon + 1)));
                }
            }
            return new RouteUrl(text, host, port, user, password);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("error parsing route url [\"" + text + "\"]", e);
        }
    }

    /** A route learned from another server's INFO ({@code ip} or host and port), with this cluster's credentials. */
    public static RouteUrl learned(String host, int port, Optional<String> user, Optional<String> password) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return new RouteUrl("nats-route://" + h + ":" + port + "/", host, port, user, password);
    }

    /** {@code host:port}, as Go's url.Host, for comparing routes and for /varz. */
    public String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Whether both name the same address (Go compares url.Host case-insensitively). */
    public boolean sameAddress(String otherHost, int otherPort) {
        return port == otherPort && host.toLowerCase(Locale.ROOT).equals(otherHost.toLowerCase(Locale.ROOT));
    }

    /** The URL with its password hidden, for logs. */
    public String redacted() {
        return password.isEmpty() ? text : text.replace(":" + password.get() + "@", ":xxxxx@");
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
