package nats.gateway.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * A URL of a remote gateway ({@code nats://user:pass@host:port}), configured or learned from an INFO's
 * {@code gateway_urls} (which carry {@code host:port} only).
 *
 * @param host     the host to dial
 * @param port     the port to dial
 * @param user     the user to present in CONNECT, when the URL has one
 * @param password the password to present
 */
public record GatewayUrl(String host, int port, Optional<String> user, Optional<String> password) {

    /** Parses a URL; the message of the exception is Go's parseURL text. */
    public static GatewayUrl parse(String raw) {
        String text = raw.strip();
        try {
            URI uri = new URI(text.contains("://") ? text : "nats://" + text);
            String host = uri.getHost();
            if (host == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("error parsing gateway url [\"" + text + "\"]");
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
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
            return new GatewayUrl(host, uri.getPort(), user, password);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("error parsing gateway url [\"" + text + "\"]", e);
        }
    }

    /** {@code host:port}, as Go's url.Host: the key of a remote's URL set and what INFO and /varz show. */
    public String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
