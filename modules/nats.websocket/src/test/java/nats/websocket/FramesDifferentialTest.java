package nats.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import nats.websocket.testing.GoWsServer;
import nats.websocket.testing.RawWebSocket;
import nats.websocket.testing.WsTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 6455 framing against the Go server: the same frames (fragmented, interleaved with control frames,
 * malformed, compressed or not) go to both after an upgrade, and what comes back is compared: the NATS bytes
 * (INFO normalised; frame boundaries are the servers' own business), the control frames with their status
 * codes and reasons, and where the connection ends. Where Go 2.10+ answers differently from the 2.9.10 oracle
 * (close without status, reserved bits, invalid close codes), {@link FramesTest} pins the newer behaviour.
 *
 * <p>One deliberate difference: for a framing violation Go queues a close frame with status 1002 and its reason
 * (wsHandleProtocolError) but then closes the connection as a read error, which skips the final flush, so the
 * frame never leaves. We send it (RFC 6455 section 7.1.7); those cases expect Go's transcript plus that frame
 * with Go's reason just before the end.
 */
@Timeout(60)
class FramesDifferentialTest {

    private static final byte[] KEY = {0x37, (byte) 0xfa, 0x21, 0x3d};

    /** The cases that are framing violations, with the reason Go's close frame carries. */
    private static final Map<String, String> VIOLATIONS = Map.of(
            "unmasked frame", "mask bit missing",
            "control frame too long", "control frame length bigger than maximum allowed of 125 bytes",
            "control frame not final", "control frame does not have final bit set",
            "continuation without a start", "invalid continuation frame",
            "new message before the final frame",
            "new message started before final frame for previous message was received",
            "unknown opcode", "unknown opcode 3",
            "unknown control opcode", "unknown opcode 11");

    @TempDir
    Path dir;

    @Test
    void framesAnswerAsGoDoes() throws Exception {
        Map<String, List<byte[]>> cases = new LinkedHashMap<>();
        cases.put("ping with payload", List.of(ctl(0x89, "hello"), bin("CONNECT {}\r\nPING\r\n")));
        cases.put("fragments with control frames between them", List.of(
                frame(0x02, "CONNECT {\"verbose\":"), ctl(0x89, "in between"), frame(0x00, "false}\r\nSUB a 1\r\nPU"),
                ctl(0x8A, "unsolicited pong"), frame(0x00, "B a 2\r\nhi\r\n"), frame(0x80, "PING\r\n")));
        cases.put("text frames", List.of(frame(0x81, "CONNECT {}\r\nPING\r\n")));
        cases.put("empty frames", List.of(frame(0x82, ""), frame(0x02, ""), frame(0x80, "CONNECT {}\r\nPING\r\n")));
        cases.put("one large frame", List.of(bin("CONNECT {}\r\nSUB big 1\r\nPUB big 100000\r\n" + "x".repeat(100_000)
                + "\r\nPING\r\n")));
        cases.put("126-byte length form", List.of(bin("CONNECT {}\r\nSUB s 1\r\nPUB s 200\r\n" + "y".repeat(200)
                + "\r\nPING\r\n")));
        cases.put("unmasked frame", List.of(RawWebSocket.frame(0x82, bytes("CONNECT {}\r\nPING\r\n"), null)));
        cases.put("control frame too long", List.of(ctl(0x89, "p".repeat(126))));
        cases.put("control frame not final", List.of(frame(0x09, "ping")));
        cases.put("continuation without a start", List.of(frame(0x80, "PING\r\n")));
        cases.put("new message before the final frame", List.of(frame(0x02, "CONN"), frame(0x82, "ECT {}\r\n")));
        cases.put("unknown opcode", List.of(frame(0x83, "x")));
        cases.put("unknown control opcode", List.of(frame(0x8B, "x")));
        cases.put("close with status and reason", List.of(close(1000, bytes("bye now"))));
        cases.put("close with status 1001", List.of(bin("CONNECT {}\r\n"), close(1001, new byte[0])));
        cases.put("close with invalid UTF-8", List.of(close(1000, new byte[] {'a', (byte) 0xc3, 0x28})));
        cases.put("close with overlong UTF-8", List.of(close(1000, new byte[] {(byte) 0xc0, (byte) 0xaf})));
        cases.put("data after close", List.of(close(1000, bytes("x")), bin("CONNECT {}\r\nPING\r\n")));
        cases.put("NATS protocol error", List.of(bin("CONNECT {}\r\nFOO\r\n")));
        compare("port: %d\nwebsocket { port: %d, no_tls: true }\n", "", cases);
    }

    @Test
    void compressedFramesAnswerAsGoDoes() throws Exception {
        byte[] whole = RawWebSocket.deflate(bytes("CONNECT {}\r\nSUB z 1\r\nPUB z 300\r\n" + "z".repeat(300)
                + "\r\nPING\r\n"));
        int third = whole.length / 3;
        Map<String, List<byte[]>> cases = new LinkedHashMap<>();
        cases.put("compressed message", List.of(RawWebSocket.frame(0xC2, whole, KEY)));
        cases.put("compressed message in fragments, ping between", List.of(
                RawWebSocket.frame(0x42, slice(whole, 0, third), KEY), ctl(0x89, "mid"),
                RawWebSocket.frame(0x00, slice(whole, third, 2 * third), KEY),
                RawWebSocket.frame(0x80, slice(whole, 2 * third, whole.length), KEY)));
        cases.put("compressed and plain messages mixed", List.of(RawWebSocket.frame(0xC2,
                RawWebSocket.deflate(bytes("CONNECT {}\r\nSUB m 1\r\n")), KEY), bin("PUB m 2\r\nok\r\n"),
                RawWebSocket.frame(0xC2, RawWebSocket.deflate(bytes("PING\r\n")), KEY)));
        compare("port: %d\nwebsocket { port: %d, no_tls: true, compression: true }\n",
                "Sec-WebSocket-Extensions: permessage-deflate\r\n", cases);
    }

    private void compare(String template, String extraHeaders, Map<String, List<byte[]>> cases) throws Exception {
        assumeTrue(GoWsServer.available(), "the Go nats-server is not installed");
        Map<String, String> go = new LinkedHashMap<>();
        Map<String, String> ours = new LinkedHashMap<>();
        try (GoWsServer g = GoWsServer.start(dir, template)) {
            for (Map.Entry<String, List<byte[]>> c : cases.entrySet()) {
                go.put(c.getKey(), exchange(g.wsPort(), extraHeaders, c.getValue()));
            }
        }
        try (WsTestServer j = WsTestServer.start(dir, template.formatted(-1, -1))) {
            for (Map.Entry<String, List<byte[]>> c : cases.entrySet()) {
                ours.put(c.getKey(), exchange(j.wsPort(), extraHeaders, c.getValue()));
            }
        }
        List<String> differences = new ArrayList<>();
        for (String name : cases.keySet()) {
            String expected = go.get(name);
            String violation = VIOLATIONS.get(name);
            // Go's close frame for a violation races its socket close: the frame is sometimes lost, sometimes seen.
            if (violation != null && expected.endsWith(" | <EOF>") && !expected.contains("ctl 8 1002")) {
                expected = expected.substring(0, expected.length() - "<EOF>".length()) + "ctl 8 1002 '" + violation
                        + "' | <EOF>";
            }
            if (!expected.equals(ours.get(name))) {
                differences.add(name + ":\n  go:   " + go.get(name) + "\n  ours: " + ours.get(name));
            }
        }
        assertEquals(List.of(), differences, "expected the frames answered as Go answers them");
    }

    /**
     * Upgrades, sends the frames, and records what comes back until the server's PONG (NATS), the end of the
     * connection, or a quiet second: the NATS bytes, then the control frames in order, then how it ended. (How
     * control frames interleave with data frames depends on when each server's writer runs, so it is not
     * compared.)
     */
    static String exchange(int port, String extraHeaders, List<byte[]> frames) throws IOException {
        List<String> items = new ArrayList<>();
        List<String> controls = new ArrayList<>();
        StringBuilder data = new StringBuilder();
        try (RawWebSocket ws = RawWebSocket.upgraded(port, extraHeaders)) {
            ws.socket().setSoTimeout(1000);
            long pings = frames.stream().filter(f -> (f[0] & 0xff) == 0x89).count();
            for (byte[] f : frames) {
                ws.send(f);
            }
            Inflater inflater = new Inflater(true);
            ByteArrayOutputStream compressed = null;
            while (true) {
                RawWebSocket.Frame f;
                try {
                    f = ws.readFrame();
                } catch (SocketTimeoutException e) {
                    flush(data, items);
                    items.addAll(controls);
                    items.add("<quiet>");
                    break;
                } catch (EOFException | SocketException e) {
                    flush(data, items);
                    items.addAll(controls);
                    items.add("<EOF>");
                    break;
                }
                if (f.opcode() >= 8) {
                    controls.add("ctl " + f.opcode() + " " + (f.opcode() == 8 ? f.closeStatus() + " '"
                            + f.closeReason() + "'" : "'" + f.text() + "'"));
                    continue;
                }
                if (f.rsv1() || compressed != null) {
                    compressed = compressed == null ? new ByteArrayOutputStream() : compressed;
                    compressed.writeBytes(f.payload());
                    if (f.fin()) {
                        data.append(inflate(inflater, compressed.toByteArray()));
                        compressed = null;
                    }
                } else {
                    data.append(f.text());
                }
                if (data.indexOf("PONG\r\n") >= 0 && controls.size() >= pings) {
                    flush(data, items);
                    items.addAll(controls);
                    break;
                }
            }
            inflater.end();
        }
        return String.join(" | ", items);
    }

    private static void flush(StringBuilder data, List<String> items) {
        if (data.isEmpty()) {
            return;
        }
        String text = data.toString().replaceAll("INFO \\{[^\\r]*\\} \\r\\n", "INFO\r\n")
                .replace("PING\r\n", "").replace("\r\n", "\\r\\n");
        if (text.length() > 200) {
            text = text.substring(0, 100) + "...(" + text.length() + " chars)..." + text.substring(text.length() - 60);
        }
        items.add("data '" + text + "'");
        data.setLength(0);
    }

    private static String inflate(Inflater inflater, byte[] message) throws IOException {
        byte[] all = new byte[message.length + 4];
        System.arraycopy(message, 0, all, 0, message.length);
        all[message.length + 2] = (byte) 0xff;
        all[message.length + 3] = (byte) 0xff;
        inflater.setInput(all);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = inflater.inflate(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IOException(e);
        }
        inflater.reset();
        return out.toString(StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bin(String s) {
        return RawWebSocket.frame(0x82, bytes(s), KEY);
    }

    static byte[] frame(int firstByte, String s) {
        return RawWebSocket.frame(firstByte, bytes(s), KEY);
    }

    static byte[] ctl(int firstByte, String s) {
        return RawWebSocket.frame(firstByte, bytes(s), KEY);
    }

    static byte[] close(int status, byte[] reason) {
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (status >>> 8);
        p[1] = (byte) status;
        System.arraycopy(reason, 0, p, 2, reason.length);
        return RawWebSocket.frame(0x88, p, KEY);
    }

    static byte[] slice(byte[] b, int from, int to) {
        byte[] s = new byte[to - from];
        System.arraycopy(b, from, s, 0, s.length);
        return s;
    }
}
