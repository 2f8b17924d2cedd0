package nats.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import nats.websocket.testing.GoWsServer;
import nats.websocket.testing.RawWebSocket;
import nats.websocket.testing.WsTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP side of the upgrade, byte for byte against the Go server (dates aside): the same raw requests go to
 * both, each followed (when the connection stays open) by a valid upgrade on the same connection, so keep-alive
 * and closing show in the transcript too. Cases where Go 2.10+ deliberately differs from the 2.9.10 oracle
 * (the key's length, the {@code /mqtt} endpoint without MQTT) are in {@link UpgradeTest}.
 */
@Timeout(60)
class UpgradeDifferentialTest {

    private static final String UPGRADE = RawWebSocket.standardHeaders();
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\nContent-Length: (\\d+)\r\n");

    @TempDir
    Path dir;

    @Test
    void upgradeRequestsAnswerAsGoDoes() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("valid upgrade", "GET / HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE + "\r\n");
        cases.put("upgrade with LF line ends", "GET / HTTP/1.1\nHost: localhost\nUpgrade: websocket\n"
                + "Connection: Upgrade\nSec-WebSocket-Key: " + RawWebSocket.SAMPLE_KEY + "\nSec-WebSocket-Version: 13\n\n");
        cases.put("tokens in any case, among others", "GET /any/path?x=1 HTTP/1.1\r\nHost: localhost\r\n"
                + "Upgrade: WebSocket\r\nConnection: keep-alive, UPGRADE\r\nSec-WebSocket-Key: " + RawWebSocket.SAMPLE_KEY
                + "\r\nSec-WebSocket-Version: 8, 13\r\n\r\n");
        cases.put("absolute target", "GET http://localhost/ HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE + "\r\n");
        cases.put("permessage-deflate offered", "GET / HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n");
        cases.put("permessage-deflate among others", "GET / HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE
                + "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\nSec-WebSocket-Extensions: foo, "
                + "PerMessage-Deflate; server_no_context_takeover\r\n\r\n");
        cases.put("no masking asked", "GET / HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE + "Nats-No-Masking: true\r\n\r\n");
        cases.put("subprotocols offered", "GET / HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE
                + "Sec-WebSocket-Protocol: chat, superchat\r\n\r\n");
        cases.put("leaf node endpoint", "GET /leafnode HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE + "\r\n");
        cases.put("POST", "POST / HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE + "\r\n");
        cases.put("lower-case method", "get / HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE + "\r\n");
        cases.put("HEAD", "HEAD / HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE + "\r\n");
        cases.put("no Upgrade header", "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RawWebSocket.SAMPLE_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        cases.put("no Connection header", "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: " + RawWebSocket.SAMPLE_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        cases.put("no key", "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        cases.put("version 12", "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RawWebSocket.SAMPLE_KEY + "\r\nSec-WebSocket-Version: 12\r\n\r\n");
        cases.put("plain GET", "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        cases.put("plain GET, Connection: close", "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        cases.put("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n");
        cases.put("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
        cases.put("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n" + UPGRADE + "\r\n");
        cases.put("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        cases.put("malformed Host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n");
        cases.put("folded Host", "GET / HTTP/1.1\r\nHost: x\r\n y\r\n\r\n");
        cases.put("header name with a space", "GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n");
        cases.put("header line without colon", "GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n");
        cases.put("request line without version", "GET /\r\nHost: x\r\n\r\n");
        cases.put("garbage", "GARBAGE\r\n\r\n");
        cases.put("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n");
        cases.put("HTTP/1.2", "GET / HTTP/1.2\r\nHost: localhost\r\n" + UPGRADE + "\r\n");
        cases.put("HTTP/1.10", "GET / HTTP/1.10\r\nHost: x\r\n\r\n");
        cases.put("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
        cases.put("POST with a body", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        cases.put("bad Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
        cases.put("chunked body", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n");
        cases.put("gzip transfer coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n");
        cases.put("origin given, no origin checks", "GET / HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE
                + "Origin: http://elsewhere.example\r\n\r\n");
        compare("port: %d\nwebsocket { port: %d, no_tls: true, compression: true }\n", cases);
    }

    @Test
    void originChecksAnswerAsGoDoes() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        String head = "GET / HTTP/1.1\r\nHost: localhost:8080\r\n" + UPGRADE;
        cases.put("no origin", head + "\r\n");
        cases.put("same origin, allowed", head + "Origin: http://localhost:8080\r\n\r\n");
        cases.put("same origin, other port", head + "Origin: http://localhost:9090\r\n\r\n");
        cases.put("other host", head + "Origin: http://other:8080\r\n\r\n");
        cases.put("upper-case host", head + "Origin: http://LOCALHOST:8080\r\n\r\n");
        cases.put("unparsable origin", head + "Origin: ::bad\r\n\r\n");
        cases.put("null origin", head + "Origin: null\r\n\r\n");
        cases.put("Sec-WebSocket-Origin", head + "Sec-WebSocket-Origin: http://other:8080\r\n\r\n");
        compare("port: %d\nwebsocket { port: %d, no_tls: true, same_origin: true }\n", cases);

        Map<String, String> listed = new LinkedHashMap<>();
        listed.put("listed", head + "Origin: http://app.example:8080\r\n\r\n");
        listed.put("listed, default port", head + "Origin: https://secure.example\r\n\r\n");
        listed.put("listed host, other scheme", head + "Origin: http://secure.example\r\n\r\n");
        listed.put("listed host, other port", head + "Origin: http://app.example:8081\r\n\r\n");
        listed.put("not listed", head + "Origin: http://evil.example:8080\r\n\r\n");
        compare("port: %d\nwebsocket { port: %d, no_tls: true, allowed_origins: [\"http://app.example:8080\", "
                + "\"https://secure.example:443\"] }\n", listed);
    }

    private void compare(String template, Map<String, String> cases) throws Exception {
        assumeTrue(GoWsServer.available(), "the Go nats-server is not installed");
        Map<String, String> go = new LinkedHashMap<>();
        Map<String, String> ours = new LinkedHashMap<>();
        try (GoWsServer g = GoWsServer.start(dir, template)) {
            for (Map.Entry<String, String> c : cases.entrySet()) {
                go.put(c.getKey(), transcript(g.wsPort(), c.getValue()));
            }
        }
        try (WsTestServer j = WsTestServer.start(dir, template.formatted(-1, -1))) {
            for (Map.Entry<String, String> c : cases.entrySet()) {
                ours.put(c.getKey(), transcript(j.wsPort(), c.getValue()));
            }
        }
        List<String> differences = new ArrayList<>();
        for (String name : cases.keySet()) {
            if (!go.get(name).equals(ours.get(name))) {
                differences.add(name + ":\n  go:   " + show(go.get(name)) + "\n  ours: " + show(ours.get(name)));
            }
        }
        assertEquals(List.of(), differences, "expected every request answered as Go answers it");
    }

    /**
     * Sends {@code request}, reads the answer, and when the connection stays open sends a valid upgrade on it:
     * the transcript shows both answers (or where the connection closed).
     */
    static String transcript(int port, String request) throws IOException {
        StringBuilder t = new StringBuilder();
        try (RawWebSocket ws = RawWebSocket.open(port)) {
            ws.send(request.getBytes(StandardCharsets.ISO_8859_1));
            boolean head = request.startsWith("HEAD ");
            for (int round = 0; round < 2; round++) {
                String response;
                try {
                    response = ws.readResponseHead();
                } catch (EOFException | SocketException e) {
                    t.append("<EOF>");
                    return t.toString();
                }
                t.append(response.replaceAll("\r\nDate: [^\r]*\r\n", "\r\nDate: *\r\n"));
                if (response.startsWith("HTTP/1.1 101 ")) {
                    t.append(afterUpgrade(ws));
                    return t.toString();
                }
                Matcher cl = CONTENT_LENGTH.matcher(response);
                if (cl.find()) {
                    if (!head) {
                        t.append(new String(ws.readBytes(Integer.parseInt(cl.group(1))), StandardCharsets.UTF_8));
                    }
                } else {
                    // Go's answers to unreadable requests have no length: the body ends with the connection.
                    try {
                        t.append(new String(ws.socket().getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                        t.append("<EOF>");
                    } catch (java.net.SocketTimeoutException e) {
                        t.append("<still open>");
                    }
                    return t.toString();
                }
                if (round == 0) {
                    t.append("|next: ");
                    ws.send(("GET / HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    head = false;
                }
            }
        }
        return t.toString();
    }

    /** What follows a 101: Go's INFO in a binary frame (compressed when negotiated), or the end. */
    private static String afterUpgrade(RawWebSocket ws) throws IOException {
        try {
            RawWebSocket.Frame f = ws.readFrame();
            return "[frame opcode " + f.opcode() + (f.rsv1() ? " compressed" : "") + (f.fin() ? " fin" : "")
                    + (f.rsv1() || f.text().startsWith("INFO {") ? " INFO" : " " + f.text()) + "]";
        } catch (EOFException | SocketException e) {
            return "<EOF>";
        }
    }

    private static String show(String s) {
        return s.replace("\r\n", "\\r\\n").replace("\n", "\\n");
    }
}
