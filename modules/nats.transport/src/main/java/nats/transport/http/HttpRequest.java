package nats.transport.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.x request head, as read by {@link HttpRequestReader}: the request line and the header fields in
 * the order they came (names as sent; look-ups ignore case, as Go's canonical header keys do).
 */
public final class HttpRequest {

    private final String method;
    private final String target;
    private final int major;
    private final int minor;
    private final List<String[]> headers;
    /** The body's length; {@link #CHUNKED} for a chunked body. */
    private final long contentLength;

    static final long CHUNKED = -1;

    HttpRequest(String method, String target, int major, int minor, List<String[]> headers, long contentLength) {
        this.method = method;
        this.target = target;
        this.major = major;
        this.minor = minor;
        this.headers = List.copyOf(headers);
        this.contentLength = contentLength;
    }

    /** The length of the request's body: 0 for none, -1 when it is chunked. */
    public long contentLength() {
        return contentLength;
    }

    /** The method as sent (case matters: {@code get} is not {@code GET}). */
    public String method() {
        return method;
    }

    /** The request target as sent: {@code /path?query}, {@code http://host/path} or {@code *}. */
    public String target() {
        return target;
    }

    /** The target's path, without the query; for an absolute URL the path after its authority. */
    public String path() {
        String t = target;
        int scheme = t.indexOf("://");
        if (scheme > 0 && !t.startsWith("/")) {
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "" : t.substring(slash);
        }
        int query = t.indexOf('?');
        return query < 0 ? t : t.substring(0, query);
    }

    public int majorVersion() {
        return major;
    }

    public int minorVersion() {
        return minor;
    }

    /** Whether the request is HTTP/1.1 or later. */
    public boolean atLeastHttp11() {
        return major > 1 || (major == 1 && minor >= 1);
    }

    /** The host the request is for: an absolute URL's authority, else the {@code Host} header; empty if none. */
    public String host() {
        int scheme = target.indexOf("://");
        if (scheme > 0 && !target.startsWith("/")) {
            int end = target.indexOf('/', scheme + 3);
            String authority = end < 0 ? target.substring(scheme + 3) : target.substring(scheme + 3, end);
            if (!authority.isEmpty()) {
                return authority;
            }
        }
        return header("Host").orElse("");
    }

    /** Every header field as {@code [name, value]}, in the order received. */
    public List<String[]> headers() {
        return headers.stream().map(String[]::clone).toList();
    }

    /** The first value of a header field, by name in any case. */
    public Optional<String> header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return Optional.of(h[1]);
            }
        }
        return Optional.empty();
    }

    /** Every value of a header field, by name in any case, in order. */
    public List<String> headerValues(String name) {
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                values.add(h[1]);
            }
        }
        return values;
    }

    /**
     * Whether a comma-separated header field holds {@code token} (ignoring case and surrounding blanks) in any
     * of its values, e.g. {@code Connection: keep-alive, Upgrade} holds {@code upgrade}.
     */
    public boolean headerHasToken(String name, String token) {
        for (String value : headerValues(name)) {
            for (String t : value.split(",", -1)) {
                if (HttpSyntax.trimBlanks(t).equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The value of the first cookie called {@code name} in the {@code Cookie} header fields, as Go's
     * {@code Request.Cookie} finds it: malformed pairs are skipped, a quoted value is unquoted.
     */
    public Optional<String> cookie(String name) {
        for (String line : headerValues("Cookie")) {
            for (String part : line.split(";", -1)) {
                part = HttpSyntax.trimBlanks(part);
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String key = eq < 0 ? part : part.substring(0, eq);
                String value = eq < 0 ? "" : part.substring(eq + 1);
                if (!HttpSyntax.isToken(key) || !key.equals(name)) {
                    continue;
                }
                Optional<String> parsed = HttpSyntax.cookieValue(value);
                if (parsed.isPresent()) {
                    return parsed;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the connection ends after the response, as Go's {@code shouldClose} decides: HTTP/1.1 unless
     * {@code Connection: close}; HTTP/1.0 unless {@code Connection: keep-alive}.
     */
    public boolean wantsClose() {
        if (major < 1 || headerHasToken("Connection", "close")) {
            return true;
        }
        return !atLeastHttp11() && !headerHasToken("Connection", "keep-alive");
    }

    /** The request line and headers, for logs. */
    @Override
    public String toString() {
        return method + " " + target + " HTTP/" + major + "." + minor + " " + headers.stream()
                .map(h -> h[0].toLowerCase(Locale.ROOT) + ": " + h[1]).toList();
    }
}
