package nats.transport.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Responses as Go's net/http server writes them, byte for byte (apart from the {@code Date}), so a listener
 * built on {@link HttpRequestReader} answers like the Go server's HTTP-based listeners (the WebSocket upgrade).
 */
public final class HttpResponse {

    /** Go's http.TimeFormat. */
    private static final DateTimeFormatter DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final byte[] bytes;
    private final boolean closeAfter;

    private HttpResponse(byte[] bytes, boolean closeAfter) {
        this.bytes = bytes;
        this.closeAfter = closeAfter;
    }

    /** The response's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Whether the connection must close once the response is written. */
    public boolean closeAfter() {
        return closeAfter;
    }

    /**
     * Go's {@code http.Error(w, http.StatusText(status), status)} from a handler: a plain-text body of the status
     * text, {@code extraHeaders} next to Go's own (all sorted by name, as Go writes them), then {@code Date},
     * {@code Content-Length} and, when the connection ends, {@code Connection}.
     *
     * @param bodyTooLarge the request's body could not be discarded (over Go's 256 KiB), so the connection ends
     */
    public static HttpResponse error(HttpRequest request, int status, Map<String, String> extraHeaders,
                                     boolean bodyTooLarge, Instant now) {
        String body = statusText(status) + "\n";
        Map<String, String> headers = new TreeMap<>(extraHeaders);
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("X-Content-Type-Options", "nosniff");
        boolean close = request.wantsClose() || bodyTooLarge;
        StringBuilder b = new StringBuilder(256);
        b.append(request.atLeastHttp11() ? "HTTP/1.1 " : "HTTP/1.0 ").append(status).append(' ')
                .append(statusText(status)).append("\r\n");
        headers.forEach((name, value) -> b.append(name).append(": ").append(value).append("\r\n"));
        b.append("Date: ").append(DATE.format(now)).append("\r\n");
        b.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        if (close && request.atLeastHttp11()) {
            b.append("Connection: close\r\n");
        } else if (!close && !request.atLeastHttp11()) {
            b.append("Connection: keep-alive\r\n");
        }
        b.append("\r\n");
        if (!request.method().equals("HEAD")) {
            b.append(body);
        }
        return new HttpResponse(b.toString().getBytes(StandardCharsets.UTF_8), close);
    }

    /** Go's answer to {@code OPTIONS *}: {@code 200 OK} with an empty body. */
    public static HttpResponse optionsAsterisk(HttpRequest request, Instant now) {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nDate: " + DATE.format(now) + "\r\n"
                + (request.wantsClose() && request.atLeastHttp11() ? "Connection: close\r\n" : "") + "\r\n";
        return new HttpResponse(head.getBytes(StandardCharsets.US_ASCII), request.wantsClose());
    }

    /**
     * What Go's server writes when it cannot read a request at all ({@code 400 Bad Request},
     * {@code 431 Request Header Fields Too Large}, {@code 505 HTTP Version Not Supported}, ...), before closing:
     * the status line and body carry {@code detail} when Go names the problem.
     */
    static HttpResponse unreadable(int status, String detail) {
        String text = status + " " + statusText(status) + (detail.isEmpty() ? "" : ": " + detail);
        String head = "HTTP/1.1 " + text + "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n";
        String body = status == 501 ? "Unsupported transfer encoding" : text;
        return new HttpResponse((head + body).getBytes(StandardCharsets.UTF_8), true);
    }

    /** Go's http.StatusText for the codes these responses use. */
    public static String statusText(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Request Entity Too Large";
            case 426 -> "Upgrade Required";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }
}
