package nats.transport.http;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import nats.api.net.Connection;

/**
 * Reads HTTP/1.x request heads off a connection, one after the other (keep-alive), with the checks and
 * answers of Go's net/http server: the request line, header fields (obsolete line folding included), the
 * {@code Host} rules, {@code Content-Length} and chunked bodies, Go's 1 MiB (+4 KiB) limit on a request head.
 * What the client sends after a request head (the start of the next request, or data sent too early after an
 * upgrade request) stays buffered and is available through {@link #takeBuffered()}.
 *
 * <p>Reads block; a deadline is the caller's business (closing the connection ends a blocked read).
 */
public final class HttpRequestReader {

    /** Go's DefaultMaxHeaderBytes plus the 4 KiB it allows on top. */
    public static final int MAX_HEAD_BYTES = (1 << 20) + 4096;
    /** Go's maxPostHandlerReadBytes: the most of an unread body it discards to keep the connection. */
    static final int MAX_DISCARD_BYTES = 256 << 10;

    private final Connection connection;
    private byte[] buffer = new byte[4096];
    /** Unconsumed bytes are {@code buffer[start, end)}. */
    private int start;
    private int end;

    public HttpRequestReader(Connection connection) {
        this.connection = connection;
    }

    /**
     * Reads the next request head.
     *
     * @return the request, or empty when the client closed the connection before starting one
     * @throws HttpException when the request cannot be read; answer with its response, then close
     * @throws IOException   when the connection fails or ends in the middle of a request (Go closes silently)
     */
    public Optional<HttpRequest> next() throws IOException, HttpException {
        int headEnd;
        while ((headEnd = headEnd()) < 0) {
            if (end - start >= MAX_HEAD_BYTES) {
                throw new HttpException(431, "", "request head larger than " + MAX_HEAD_BYTES + " bytes");
            }
            if (fill() < 0) {
                if (end == start) {
                    return Optional.empty();
                }
                throw new EOFException("connection closed in the middle of a request head");
            }
        }
        if (headEnd - start > MAX_HEAD_BYTES) {
            throw new HttpException(431, "", "request head larger than " + MAX_HEAD_BYTES + " bytes");
        }
        String head = new String(buffer, start, headEnd - start, StandardCharsets.ISO_8859_1);
        start = headEnd;
        return Optional.of(RequestHeadParser.parse(head));
    }

    /**
     * Reads and drops the body of {@code request}, as Go's server does when a handler answered without reading
     * it, up to 256 KiB.
     *
     * @return false when the body was larger, so the connection cannot be reused
     */
    public boolean discardBody(HttpRequest request) throws IOException {
        long length = request.contentLength();
        if (length == 0) {
            return true;
        }
        if (length > 0) {
            if (length > MAX_DISCARD_BYTES) {
                return false;
            }
            skip(length);
            return true;
        }
        return discardChunked();
    }

    /** How many bytes arrived after the last request head (and its discarded body). */
    public int buffered() {
        return end - start;
    }

    /** Hands over the bytes that arrived after the last request, and forgets them. */
    public ByteBuffer takeBuffered() {
        ByteBuffer rest = ByteBuffer.wrap(java.util.Arrays.copyOfRange(buffer, start, end));
        start = end = 0;
        return rest;
    }

    /** The offset just past the blank line that ends the head, or -1 when it has not arrived yet. */
    private int headEnd() {
        int lineStart = start;
        for (int i = start; i < end; i++) {
            if (buffer[i] != '\n') {
                continue;
            }
            int lineLength = i - lineStart - (i > lineStart && buffer[i - 1] == '\r' ? 1 : 0);
            // An empty line ends the head; as the very first line it is a malformed request line.
            if (lineLength == 0) {
                return i + 1;
            }
            lineStart = i + 1;
        }
        return -1;
    }

    private boolean discardChunked() throws IOException {
        long total = 0;
        while (true) {
            String line = readLine();
            int semicolon = line.indexOf(';');
            String hex = HttpSyntax.trimBlanks(semicolon < 0 ? line : line.substring(0, semicolon));
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                return false;
            }
            if (size < 0) {
                return false;
            }
            if (size == 0) {
                // Trailer fields until the blank line.
                while (!readLine().isEmpty()) {
                    total += 2;
                    if (total > MAX_DISCARD_BYTES) {
                        return false;
                    }
                }
                return true;
            }
            total += size;
            if (total > MAX_DISCARD_BYTES) {
                return false;
            }
            skip(size);
            if (!readLine().isEmpty()) {
                return false;
            }
        }
    }

    private String readLine() throws IOException {
        while (true) {
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    int lineEnd = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buffer, start, lineEnd - start, StandardCharsets.ISO_8859_1);
                    start = i + 1;
                    return line;
                }
            }
            if (end - start > MAX_DISCARD_BYTES) {
                throw new IOException("chunk line too long");
            }
            if (fill() < 0) {
                throw new EOFException("connection closed in the middle of a request body");
            }
        }
    }

    private void skip(long count) throws IOException {
        long left = count;
        while (left > 0) {
            if (start == end && fill() < 0) {
                throw new EOFException("connection closed in the middle of a request body");
            }
            int n = (int) Math.min(left, end - start);
            start += n;
            left -= n;
        }
    }

    /** Reads more bytes after the unconsumed ones, growing the buffer up to the head limit. */
    private int fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_HEAD_BYTES + 4096));
        }
        ByteBuffer into = ByteBuffer.wrap(buffer, end, buffer.length - end);
        int n = connection.read(into);
        if (n > 0) {
            end += n;
        }
        return n;
    }

    /** Go's readRequest and the server's checks of a request head, in Go's order. */
    static final class RequestHeadParser {

        private RequestHeadParser() {
        }

        static HttpRequest parse(String head) throws HttpException {
            List<String> lines = lines(head);
            String requestLine = lines.get(0);
            int sp1 = requestLine.indexOf(' ');
            int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
            if (sp1 < 0 || sp2 < 0) {
                throw plain("malformed HTTP request \"" + requestLine + "\"");
            }
            String method = requestLine.substring(0, sp1);
            String target = requestLine.substring(sp1 + 1, sp2);
            String proto = requestLine.substring(sp2 + 1);
            if (!HttpSyntax.isToken(method)) {
                throw plain("invalid method \"" + method + "\"");
            }
            int[] version = version(proto);
            if (version == null) {
                throw plain("malformed HTTP version \"" + proto + "\"");
            }
            if (!validTarget(target)) {
                throw plain("invalid URI for request");
            }
            List<String[]> headers = headers(lines);
            HttpRequest probe = new HttpRequest(method, target, version[0], version[1], headers, 0);
            if (probe.headerValues("Host").size() > 1) {
                throw plain("too many Host headers");
            }
            long contentLength = contentLength(probe, headers);
            HttpRequest request = new HttpRequest(method, target, version[0], version[1], headers, contentLength);
            serverChecks(request);
            return request;
        }

        private static List<String> lines(String head) {
            List<String> lines = new ArrayList<>();
            int from = 0;
            while (from < head.length()) {
                int nl = head.indexOf('\n', from);
                int lineEnd = nl > from && head.charAt(nl - 1) == '\r' ? nl - 1 : nl;
                lines.add(head.substring(from, lineEnd));
                from = nl + 1;
            }
            // The last line is the blank one that ended the head.
            lines.remove(lines.size() - 1);
            if (lines.isEmpty()) {
                lines.add("");
            }
            return lines;
        }

        /** Go 1.19's ParseHTTPVersion: {@code HTTP/d.d}. */
        private static int[] version(String proto) {
            if (proto.length() != 8 || !proto.startsWith("HTTP/") || proto.charAt(6) != '.'
                    || !Character.isDigit(proto.charAt(5)) || !Character.isDigit(proto.charAt(7))
                    || proto.charAt(5) > '9' || proto.charAt(7) > '9') {
                return null;
            }
            return new int[] {proto.charAt(5) - '0', proto.charAt(7) - '0'};
        }

        /** Go's url.ParseRequestURI accepts {@code *}, an absolute path, or an absolute URL. */
        private static boolean validTarget(String target) {
            if (target.equals("*") || target.startsWith("/")) {
                return target.chars().noneMatch(c -> c <= 0x20 || c == 0x7f);
            }
            int colon = target.indexOf(':');
            if (colon <= 0) {
                return false;
            }
            String scheme = target.substring(0, colon);
            return Character.isLetter(scheme.charAt(0)) && scheme.chars().allMatch(
                    c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')
                    && target.chars().noneMatch(c -> c <= 0x20 || c == 0x7f);
        }

        /** Go 1.19's textproto.ReadMIMEHeader: folded lines joined with a space, values trimmed. */
        private static List<String[]> headers(List<String> lines) throws HttpException {
            List<String[]> headers = new ArrayList<>();
            if (lines.size() > 1 && !lines.get(1).isEmpty() && HttpSyntax.isBlank(lines.get(1).charAt(0))) {
                throw plain("malformed MIME header initial line");
            }
            for (int i = 1; i < lines.size(); i++) {
                StringBuilder line = new StringBuilder(HttpSyntax.trimBlanks(lines.get(i)));
                while (i + 1 < lines.size() && !lines.get(i + 1).isEmpty()
                        && HttpSyntax.isBlank(lines.get(i + 1).charAt(0))) {
                    line.append(' ').append(HttpSyntax.trimBlanks(lines.get(++i)));
                }
                int colon = line.indexOf(":");
                if (colon < 0) {
                    throw plain("malformed MIME header line");
                }
                String name = line.substring(0, colon);
                if (name.isEmpty()) {
                    continue; // Go skips an empty field name
                }
                headers.add(new String[] {name, HttpSyntax.trimBlanks(line.substring(colon + 1))});
            }
            return headers;
        }

        /** Go's transfer rules for a request: one chunked Transfer-Encoding, else one Content-Length value. */
        private static long contentLength(HttpRequest request, List<String[]> headers) throws HttpException {
            List<String> encodings = request.headerValues("Transfer-Encoding");
            if (!encodings.isEmpty() && request.atLeastHttp11()) {
                if (encodings.size() != 1 || !HttpSyntax.trimBlanks(encodings.get(0)).equalsIgnoreCase("chunked")) {
                    throw new HttpException(501, "", "unsupported transfer encoding " + encodings);
                }
                return HttpRequest.CHUNKED;
            }
            List<String> lengths = request.headerValues("Content-Length");
            if (lengths.isEmpty()) {
                return 0;
            }
            String first = HttpSyntax.trimBlanks(lengths.get(0));
            for (String other : lengths) {
                if (!HttpSyntax.trimBlanks(other).equals(first)) {
                    throw plain("message cannot contain multiple Content-Length headers");
                }
            }
            if (first.isEmpty()) {
                return 0;
            }
            if (!first.chars().allMatch(Character::isDigit) || first.length() > 18) {
                throw plain("bad Content-Length \"" + first + "\"");
            }
            return Long.parseLong(first);
        }

        /** The checks Go's server makes once a request was read. */
        private static void serverChecks(HttpRequest request) throws HttpException {
            if (request.majorVersion() != 1) {
                throw new HttpException(505, "unsupported protocol version", "unsupported protocol version");
            }
            List<String> hosts = request.headerValues("Host");
            if (request.atLeastHttp11() && hosts.isEmpty() && !request.method().equals("CONNECT")) {
                throw statusError("missing required Host header");
            }
            if (hosts.size() == 1 && !HttpSyntax.isHost(hosts.get(0))) {
                throw statusError("malformed Host header");
            }
            for (String[] h : request.headers()) {
                if (!HttpSyntax.isToken(h[0])) {
                    throw statusError("invalid header name");
                }
                if (!HttpSyntax.isFieldValue(h[1])) {
                    throw statusError("invalid header value");
                }
            }
        }

        /** A request Go answers with a bare {@code 400 Bad Request}. */
        private static HttpException plain(String logText) {
            return new HttpException(400, "", logText);
        }

        /** A request Go answers with {@code 400 Bad Request: <reason>}. */
        private static HttpException statusError(String reason) {
            return new HttpException(400, reason, reason);
        }
    }
}
