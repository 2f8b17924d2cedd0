package nats.server.conformance;

import static nats.server.conformance.WireScript.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exact bytes jnatsd puts on the wire, checked without a reference server. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RawWireBytesTest {

    private static NatsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.shutdown();
        }
    }

    private static String exchange(WireScript script) throws Exception {
        return WireRunner.run(server.port(), script.quiet(200)).rawText(0);
    }

    private static String afterInfo(String text) {
        int end = text.indexOf("\r\n");
        assertTrue(end > 0, "no INFO line in " + WireRunner.escape(text));
        return text.substring(end + 2);
    }

    @Test
    void infoLineIsCompactJsonEndingWithSpaceCrLf() throws Exception {
        WireRunner.Result result = WireRunner.run(server.port(), named("info").open(0).quiet(200));
        String text = result.rawText(0);
        assertTrue(text.startsWith("INFO {"), text);
        int end = text.indexOf("\r\n");
        String line = text.substring(0, end + 2);
        assertTrue(line.endsWith("} \r\n"), "INFO must end with '} \\r\\n': " + WireRunner.escape(line));
        assertEquals(line.length(), text.length(), "nothing but INFO before CONNECT");
        String json = line.substring("INFO ".length(), line.length() - " \r\n".length());
        // Compact: no whitespace outside string values.
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"' && json.charAt(i - 1) != '\\') {
                inString = !inString;
            } else if (!inString) {
                assertFalse(Character.isWhitespace(c), "whitespace at " + i + " in " + json);
            }
        }
        Map<String, String> fields = InfoNormalizer.parseTopLevel(json);
        assertEquals(Integer.toString(server.port()), fields.get("port"));
        assertEquals("1048576", fields.get("max_payload"));
        assertEquals("true", fields.get("headers"));
        assertEquals("1", fields.get("proto"));
        assertTrue(fields.get("server_id").matches("\"N[A-Z2-7]{55}\""), fields.get("server_id"));
        assertTrue(fields.containsKey("client_id"), json);
        assertFalse(fields.containsKey("auth_required"), "no auth configured: " + json);
        assertFalse(result.closedByServer().get(0));
    }

    @Test
    void msgFraming() throws Exception {
        String text = exchange(named("msg").send("CONNECT {\"verbose\":false}\r\nSUB foo.bar 7\r\n"
                + "PUB foo.bar 5\r\nhello\r\nPING\r\n"));
        assertEquals("MSG foo.bar 7 5\r\nhello\r\nPONG\r\n", afterInfo(text));
    }

    @Test
    void msgFramingWithReplyAndEmptyPayload() throws Exception {
        String text = exchange(named("msg-reply").send("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\n"
                + "PUB foo my.inbox 0\r\n\r\nPUB foo inbox 4\r\na\r\nb\r\nPING\r\n"));
        assertEquals("MSG foo 1 my.inbox 0\r\n\r\nMSG foo 1 inbox 4\r\na\r\nb\r\nPONG\r\n", afterInfo(text));
    }

    @Test
    void verboseAcknowledgements() throws Exception {
        String text = exchange(named("verbose").send("CONNECT {\"verbose\":true}\r\nSUB foo 1\r\n"
                + "PUB foo 2\r\nhi\r\nPING\r\n"));
        assertEquals("+OK\r\n+OK\r\n+OK\r\nMSG foo 1 2\r\nhi\r\nPONG\r\n", afterInfo(text));
    }

    @Test
    void hmsgFraming() throws Exception {
        String headers = "NATS/1.0\r\nX-Key: v\r\n\r\n";
        int hdr = headers.length();
        String text = exchange(named("hmsg").send("CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB foo 9\r\n"
                + "HPUB foo " + hdr + " " + (hdr + 3) + "\r\n" + headers + "abc\r\n"
                + "HPUB foo rep " + hdr + " " + hdr + "\r\n" + headers + "\r\nPING\r\n"));
        assertEquals("HMSG foo 9 " + hdr + " " + (hdr + 3) + "\r\n" + headers + "abc\r\n"
                + "HMSG foo 9 rep " + hdr + " " + hdr + "\r\n" + headers + "\r\n"
                + "PONG\r\n", afterInfo(text));
    }

    @Test
    void noRespondersFrame() throws Exception {
        String text = exchange(named("no-responders").send(
                "CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\nSUB reply 1\r\n"
                        + "PUB nobody reply 2\r\nhi\r\nPING\r\n"));
        assertEquals("HMSG reply 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\nPONG\r\n", afterInfo(text));
    }

    @Test
    void maxPayloadViolationClosesWithError() throws Exception {
        WireRunner.Result result = WireRunner.run(server.port(),
                named("max-payload").send("CONNECT {\"verbose\":false}\r\nPUB foo 1048577\r\n").quiet(200));
        assertEquals("-ERR 'Maximum Payload Violation'\r\n", afterInfo(result.rawText(0)));
        assertTrue(result.closedByServer().get(0), "connection must be closed");
    }
}
