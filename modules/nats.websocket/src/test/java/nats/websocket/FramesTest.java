package nats.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import nats.websocket.testing.RawWebSocket;
import nats.websocket.testing.WsTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 6455 framing where Go 2.10+ is the reference (it tightened what 2.9.10 accepted), and what only a raw
 * socket shows: frames split at every byte, payloads too large for one read, compression on the way out,
 * the frame sizes browsers get.
 */
@Timeout(30)
class FramesTest {

    private static final byte[] KEY = {0x11, 0x22, 0x33, 0x44};

    @TempDir
    Path dir;
    private WsTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = WsTestServer.start(dir, "websocket { port: -1, no_tls: true, compression: true }\n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawWebSocket connected(String extraHeaders) throws IOException {
        RawWebSocket ws = RawWebSocket.upgraded(server.wsPort(), extraHeaders);
        ws.readUntil("INFO ");
        return ws;
    }

    /** Sends the frames and expects a close frame with {@code status} and {@code reason}, then the end. */
    private void expectClose(List<byte[]> frames, int status, String reason) throws IOException {
        try (RawWebSocket ws = connected("")) {
            for (byte[] f : frames) {
                ws.send(f);
            }
            RawWebSocket.Frame f = ws.readFrame();
            assertEquals(8, f.opcode(), "expected a close frame");
            assertEquals(status, f.closeStatus(), () -> "expected close status " + status + ", reason " + f.closeReason());
            assertEquals(reason, f.closeReason(), "expected Go's close reason");
            assertTrue(ws.closedByServer(), "expected the server to close the connection after its close frame");
        }
    }

    @Test
    void closeWithoutStatusIsAnsweredWithoutStatus() throws Exception {
        try (RawWebSocket ws = connected("")) {
            ws.send(RawWebSocket.frame(0x88, new byte[0], KEY));
            RawWebSocket.Frame f = ws.readFrame();
            assertEquals(8, f.opcode(), "expected a close frame");
            assertEquals(0, f.payload().length, "1005 must not be sent (RFC 6455 7.4.1): an empty close answers");
            assertTrue(ws.closedByServer(), "expected the connection closed");
        }
    }

    @Test
    void closeWithOneByteIsAProtocolError() throws Exception {
        expectClose(List.of(RawWebSocket.frame(0x88, new byte[] {3}, KEY)), 1002, "close frame payload cannot be 1 byte");
    }

    @Test
    void closeWithAStatusPeersMayNotSendIsAProtocolError() throws Exception {
        for (int status : new int[] {999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
            expectClose(List.of(close(status, "")), 1002, "invalid close status code " + status);
        }
    }

    @Test
    void applicationCloseStatusesAreEchoed() throws Exception {
        for (int status : new int[] {1000, 1003, 1011, 3000, 4999}) {
            try (RawWebSocket ws = connected("")) {
                ws.send(close(status, "é ok"));
                RawWebSocket.Frame f = ws.readFrame();
                assertEquals(status, f.closeStatus(), "expected the status echoed");
                assertEquals("é ok", f.closeReason(), "expected the UTF-8 reason echoed");
            }
        }
    }

    @Test
    void reservedBitsAreProtocolErrors() throws Exception {
        expectClose(List.of(RawWebSocket.frame(0xA2, "x".getBytes(), KEY)), 1002, "RSV2 and RSV3 must be clear");
        expectClose(List.of(RawWebSocket.frame(0x92, "x".getBytes(), KEY)), 1002, "RSV2 and RSV3 must be clear");
        try (RawWebSocket ws = RawWebSocket.upgraded(server.wsPort(), "Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
            ws.readFrame();
            ws.send(RawWebSocket.frame(0xC9, new byte[0], KEY));
            RawWebSocket.Frame f = ws.readFrame();
            assertEquals(1002, f.closeStatus(), "expected a protocol error");
            assertEquals("control frame must not be compressed", f.closeReason(), "expected Go's reason");
        }
    }

    @Test
    void compressedFrameWithoutNegotiationIsAProtocolError() throws Exception {
        // This connection did not offer permessage-deflate.
        expectClose(List.of(RawWebSocket.frame(0xC2, RawWebSocket.deflate("PING\r\n".getBytes()), KEY)), 1002,
                "compressed frame received without negotiated permessage-deflate");
    }

    @Test
    void sixtyFourBitLengthWithItsTopBitSetIsAProtocolError() throws Exception {
        byte[] frame = {(byte) 0x82, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4};
        expectClose(List.of(frame), 1002, "invalid 64-bit payload length");
    }

    @Test
    void framesSplitAtEveryByteStillDecode() throws Exception {
        try (RawWebSocket ws = connected("")) {
            List<byte[]> frames = List.of(
                    RawWebSocket.frame(0x02, "CONNECT {\"verbose\":false}\r\nSUB s 1\r\n".getBytes(), KEY),
                    RawWebSocket.frame(0x89, "ping!".getBytes(), KEY),
                    RawWebSocket.frame(0x00, ("PUB s 300\r\n" + "p".repeat(300) + "\r\n").getBytes(), KEY),
                    RawWebSocket.frame(0x80, "PING\r\n".getBytes(), KEY));
            for (byte[] f : frames) {
                for (byte b : f) {
                    ws.send(new byte[] {b});
                }
            }
            RawWebSocket.Frame pong = ws.readFrame();
            assertEquals(10, pong.opcode(), "expected the ping answered first");
            assertEquals("ping!", pong.text(), "expected the ping's payload in the pong");
            String got = ws.readUntil("PONG\r\n");
            assertTrue(got.contains("MSG s 1 300\r\n" + "p".repeat(300) + "\r\n"), () -> "expected the message, got " + got);
        }
    }

    @Test
    void largeFramesArriveWhole() throws Exception {
        // Larger than any read buffer: read straight into the session's buffer and unmasked there.
        String payload = "0123456789abcdef".repeat(65536); // 1 MiB
        try (RawWebSocket ws = connected("")) {
            ws.send(RawWebSocket.frame(0x82, ("CONNECT {\"verbose\":false}\r\nSUB big 1\r\nPUB big " + payload.length()
                    + "\r\n" + payload + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII), KEY));
            String got = ws.readUntil("PONG\r\n");
            assertTrue(got.startsWith("MSG big 1 " + payload.length() + "\r\n" + payload + "\r\n"),
                    () -> "expected the 1 MiB message intact, got " + got.length() + " chars");
        }
    }

    @Test
    void compressedMessagesBothWays() throws Exception {
        try (RawWebSocket ws = RawWebSocket.upgraded(server.wsPort(), "Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
            RawWebSocket.Frame info = ws.readFrame();
            assertTrue(info.rsv1(), "INFO (over 64 bytes) goes out compressed");
            String body = "z".repeat(5000);
            ws.send(RawWebSocket.frame(0xC2, RawWebSocket.deflate(("CONNECT {\"verbose\":false}\r\nSUB c 1\r\nPUB c "
                    + body.length() + "\r\n" + body + "\r\nPING\r\n").getBytes()), KEY));
            List<RawWebSocket.Frame> frames = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            while (text.indexOf("PONG") < 0) {
                RawWebSocket.Frame f = ws.readFrame();
                frames.add(f);
                text.append(f.rsv1() ? ws.inflate(f.payload()) : f.text());
            }
            assertTrue(frames.get(0).rsv1(), "the 5 kB message goes out compressed");
            assertTrue(frames.get(0).payload().length < 200, "5000 repeated bytes compress well");
            assertTrue(text.toString().contains("MSG c 1 5000\r\n" + body + "\r\n"), "expected the message inflated");
            ws.send(RawWebSocket.frame(0x82, "PING\r\n".getBytes(), KEY));
            RawWebSocket.Frame pong;
            do {
                pong = ws.readFrame();
            } while (!pong.rsv1() && pong.text().equals("PING\r\n")); // the server's own RTT ping
            assertFalse(pong.rsv1(), "a lone PONG (64 bytes or less) is not compressed");
            assertEquals("PONG\r\n", pong.text(), "expected the PONG as it is");
        }
    }

    @Test
    void browsersGetFramesOfAtMost4KiB() throws Exception {
        String body = "b".repeat(10_000);
        try (RawWebSocket ws = connected("User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0\r\n")) {
            ws.send(RawWebSocket.frame(0x82, ("CONNECT {\"verbose\":false}\r\nSUB c 1\r\nPUB c " + body.length()
                    + "\r\n" + body + "\r\nPING\r\n").getBytes(), KEY));
            StringBuilder text = new StringBuilder();
            while (text.indexOf("PONG") < 0) {
                RawWebSocket.Frame f = ws.readFrame();
                assertTrue(f.payload().length <= 4096, () -> "expected frames of at most 4096 bytes, got " + f.payload().length);
                assertTrue(f.fin() && f.opcode() == 2, "plain output is cut into whole binary messages, as Go does");
                text.append(f.text());
            }
            assertTrue(text.toString().contains(body), "expected the message whole once the frames are joined");
        }
    }

    @Test
    void browsersGetCompressedMessagesInFragmentsButSafariDoesNot() throws Exception {
        // Incompressible enough to stay over 4 KiB once compressed.
        StringBuilder random = new StringBuilder();
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            random.append((char) ('!' + r.nextInt(90)));
        }
        String body = random.toString();
        String chrome = "User-Agent: Mozilla/5.0 (Macintosh) AppleWebKit/537.36 Chrome/120.0 Safari/537.36\r\n";
        String safari = "User-Agent: Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15\r\n";
        for (String ua : List.of(chrome, safari)) {
            try (RawWebSocket ws = RawWebSocket.upgraded(server.wsPort(), ua
                    + "Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
                ws.readFrame(); // INFO
                ws.send(RawWebSocket.frame(0x82, ("CONNECT {\"verbose\":false}\r\nSUB c 1\r\nPUB c " + body.length()
                        + "\r\n" + body + "\r\n").getBytes(), KEY));
                RawWebSocket.Frame first = ws.readFrame();
                assertTrue(first.rsv1(), "expected a compressed message");
                if (ua.equals(chrome)) {
                    assertFalse(first.fin(), "Chrome gets the compressed message in fragments");
                    assertEquals(4096, first.payload().length, "fragments of 4 KiB");
                    RawWebSocket.Frame next = ws.readFrame();
                    assertEquals(0, next.opcode(), "then continuation frames");
                    assertFalse(next.rsv1(), "RSV1 only on the first frame (RFC 7692 6.1)");
                } else {
                    assertTrue(first.fin(), "Safari gets the compressed message in one frame");
                    assertTrue(first.payload().length > 4096, "larger than a browser frame");
                }
            }
        }
    }

    @Test
    void noMaskingWhenTheClientAsksGosNoMasking() throws Exception {
        try (RawWebSocket ws = connected("Nats-No-Masking: true\r\n")) {
            ws.send(RawWebSocket.frame(0x82, "CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(), null));
            assertTrue(ws.readUntil("PONG").contains("PONG"), "expected unmasked frames accepted");
        }
    }

    @Test
    void aCompressedContinuationIsAProtocolErrorAfterWhatCameBefore() throws Exception {
        // Decompressed as it arrives, the first fragment's complete operations are processed before the violation
        // (Go waits for the whole message, so it processes none of it).
        byte[] whole = RawWebSocket.deflate("CONNECT {\"verbose\":false}\r\nPING\r\nPUB x 1\r\n".getBytes());
        try (RawWebSocket ws = RawWebSocket.upgraded(server.wsPort(), "Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
            ws.readFrame();
            ws.send(RawWebSocket.frame(0x42, whole, KEY));
            ws.send(RawWebSocket.frame(0xC0, new byte[] {1}, KEY));
            RawWebSocket.Frame close = null;
            StringBuilder text = new StringBuilder();
            while (close == null) {
                RawWebSocket.Frame f = ws.readFrame();
                if (f.opcode() == 8) {
                    close = f;
                } else {
                    text.append(f.text());
                }
            }
            assertTrue(text.toString().contains("PONG"), "the first fragment's PING was answered");
            assertEquals(1002, close.closeStatus(), "expected a protocol error");
            assertEquals("invalid continuation frame", close.closeReason(), "expected Go's reason");
        }
    }

    @Test
    void corruptCompressedDataClosesTheConnection() throws Exception {
        try (RawWebSocket ws = RawWebSocket.upgraded(server.wsPort(), "Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
            ws.readFrame();
            ws.send(RawWebSocket.frame(0xC2, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x00}, KEY));
            assertTrue(ws.closedByServer(), "expected the connection closed as a read error, as Go does");
        }
    }

    @Test
    void theServerSaysWhyItCloses() throws Exception {
        try (RawWebSocket ws = connected("")) {
            server.close();
            RawWebSocket.Frame f;
            do {
                f = ws.readFrame();
            } while (f.opcode() != 8);
            assertEquals(1001, f.closeStatus(), "a shutdown is 'going away'");
            assertEquals("Server Shutdown", f.closeReason(), "with Go's close reason");
        }
    }

    private static byte[] close(int status, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + text.length];
        p[0] = (byte) (status >>> 8);
        p[1] = (byte) status;
        System.arraycopy(text, 0, p, 2, text.length);
        return RawWebSocket.frame(0x88, p, KEY);
    }

}
