package nats.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.api.net.Connection;
import org.junit.jupiter.api.Test;

/** Request heads as Go's net/http reads them, delivered in arbitrary pieces. */
class HttpRequestReaderTest {

    /** Returns the bytes in pieces of {@code piece} bytes, then the end of the stream. */
    private static Connection feeding(String text, int piece) {
        Deque<byte[]> chunks = new ArrayDeque<>();
        byte[] all = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int at = 0; at < all.length; at += piece) {
            chunks.add(java.util.Arrays.copyOfRange(all, at, Math.min(all.length, at + piece)));
        }
        return new Connection() {
            @Override
            public int read(ByteBuffer dst) {
                byte[] next = chunks.poll();
                if (next == null) {
                    return -1;
                }
                int n = Math.min(next.length, dst.remaining());
                dst.put(next, 0, n);
                if (n < next.length) {
                    chunks.push(java.util.Arrays.copyOfRange(next, n, next.length));
                }
                return n;
            }

            @Override
            public void write(ByteBuffer src) {
            }

            @Override
            public void close() {
            }

            @Override
            public InetSocketAddress remoteAddress() {
                return new InetSocketAddress(0);
            }

            @Override
            public InetSocketAddress localAddress() {
                return new InetSocketAddress(0);
            }
        };
    }

    @Test
    void readsRequestsOneAfterTheOtherWhateverThePieces() throws Exception {
        String two = "GET /a/mqtt?x=1 HTTP/1.1\r\nHost: example:80\r\nX-Folded: one\r\n  two\r\n"
                + "Cookie: a=1; jwt=\"eyJ0\"; bad name=2\r\nContent-Length: 3\r\n\r\nabc"
                + "POST http://h/p HTTP/1.0\nHost: x\n\nrest";
        for (int piece : new int[] {1, 2, 7, 1000}) {
            HttpRequestReader reader = new HttpRequestReader(feeding(two, piece));
            HttpRequest first = reader.next().orElseThrow();
            assertEquals("GET", first.method(), "method");
            assertEquals("/a/mqtt", first.path(), "path without the query");
            assertEquals("example:80", first.host(), "host from the Host header");
            assertEquals(Optional.of("one two"), first.header("x-folded"), "folded lines joined with a space");
            assertEquals(Optional.of("eyJ0"), first.cookie("jwt"), "a quoted cookie value unquoted");
            assertEquals(Optional.of("1"), first.cookie("a"), "cookies by name");
            assertTrue(reader.discardBody(first), "a small body is discarded");
            HttpRequest second = reader.next().orElseThrow();
            assertEquals("/p", second.path(), "the path of an absolute URL");
            assertEquals("h", second.host(), "the host of an absolute URL wins");
            assertTrue(second.wantsClose(), "HTTP/1.0 closes unless keep-alive");
            String rest = StandardCharsets.ISO_8859_1.decode(reader.takeBuffered()).toString();
            assertTrue("rest".startsWith(rest), "what arrived after the head stays buffered: " + rest);
            if (piece == 1000) {
                assertEquals("rest", rest, "all of it when it came in the same read");
            }
        }
    }

    @Test
    void theEndBeforeARequestIsNotAnError() throws Exception {
        assertEquals(Optional.empty(), new HttpRequestReader(feeding("", 1)).next(), "no request at all");
        assertThrows(EOFException.class, () -> new HttpRequestReader(feeding("GET / HTTP/1.1\r\nHo", 3)).next(),
                "the end in the middle of a head");
    }

    @Test
    void goAnswersForUnreadableRequests() {
        Map<String, String> answers = Map.of(
                "GET /\r\n\r\n", "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        + "Connection: close\r\n\r\n400 Bad Request",
                "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request: missing required Host header\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
                        + "400 Bad Request: missing required Host header",
                "GET / HTTP/3.0\r\nHost: x\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported: unsupported protocol "
                        + "version\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
                        + "505 HTTP Version Not Supported: unsupported protocol version",
                "PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "HTTP/1.1 501 Not "
                        + "Implemented\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
                        + "Unsupported transfer encoding");
        answers.forEach((request, answer) -> {
            HttpException e = assertThrows(HttpException.class, () -> new HttpRequestReader(feeding(request, 5)).next(),
                    () -> "expected " + request.strip() + " refused");
            assertEquals(answer, new String(e.response().bytes(), StandardCharsets.UTF_8), "Go's answer to " + request);
            assertTrue(e.response().closeAfter(), "the connection closes after it");
        });
    }

    @Test
    void aHeadLargerThanGosLimitIsRefused() {
        String huge = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(HttpRequestReader.MAX_HEAD_BYTES) + "\r\n\r\n";
        HttpException e = assertThrows(HttpException.class, () -> new HttpRequestReader(feeding(huge, 65536)).next(),
                "expected 431");
        assertEquals(431, e.status(), "Request Header Fields Too Large");
    }

    @Test
    void chunkedBodiesAreDiscardedUpTo256KiB() throws Exception {
        HttpRequestReader small = new HttpRequestReader(feeding("POST / HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nTrailer: t\r\n\r\nNEXT", 1000));
        assertTrue(small.discardBody(small.next().orElseThrow()), "a small chunked body is discarded");
        assertEquals(4, small.buffered(), "up to the next request");
        HttpRequestReader big = new HttpRequestReader(feeding("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 300000"
                + "\r\n\r\n", 100));
        assertFalse(big.discardBody(big.next().orElseThrow()), "over 256 KiB the connection cannot be reused");
    }

    @Test
    void handlerErrorsAsHttpError() throws Exception {
        HttpRequest close = new HttpRequestReader(feeding("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 100))
                .next().orElseThrow();
        HttpResponse r = HttpResponse.error(close, 403, Map.of("Sec-Websocket-Version", "13"), false,
                Instant.parse("2026-01-02T03:04:05Z"));
        assertEquals("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nSec-Websocket-Version: 13\r\n"
                + "X-Content-Type-Options: nosniff\r\nDate: Fri, 02 Jan 2026 03:04:05 GMT\r\nContent-Length: 10\r\n"
                + "Connection: close\r\n\r\nForbidden\n", new String(r.bytes(), StandardCharsets.UTF_8),
                "Go's http.Error, headers sorted, Date and Content-Length after them");
        assertTrue(r.closeAfter(), "Connection: close ends the connection");
    }

    @Test
    void tokensInCommaSeparatedHeaders() throws IOException, HttpException {
        HttpRequest r = new HttpRequestReader(feeding("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive,\tUpgrade\r\n"
                + "Connection: other\r\n\r\n", 100)).next().orElseThrow();
        assertTrue(r.headerHasToken("connection", "upgrade"), "a token among others, any case");
        assertTrue(r.headerHasToken("Connection", "other"), "in a second field of the same name");
        assertFalse(r.headerHasToken("Connection", "keep"), "whole tokens only");
    }
}
