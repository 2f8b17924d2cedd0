package nats.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import nats.websocket.testing.RawWebSocket;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The frame reader over connections that deliver bytes in arbitrary pieces, read into buffers of arbitrary
 * sizes: the payload stream that comes out must be the concatenated payloads, control frames answered in
 * place, whatever the cuts.
 */
class FrameReaderTest {

    private static final byte[] KEY = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef};

    private static FrameReader reader(FakeConnection c, boolean compression) {
        return reader(c, new FrameWriter(c, false, false, false), compression);
    }

    private static FrameReader reader(FakeConnection c, FrameWriter w, boolean compression) {
        return new FrameReader(c, w, true, compression, ByteBuffer.allocate(0));
    }

    private static String readAll(FrameReader r, int bufferSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer dst = ByteBuffer.allocate(bufferSize);
        int n;
        while ((n = r.read(dst.clear())) >= 0) {
            assertTrue(n > 0, "a read returns at least one byte or the end");
            out.write(dst.array(), 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCompressedMessageInOneFrame() throws Exception {
        String text = "CONNECT {}\r\nPUB a 5000\r\n" + "x".repeat(5000) + "\r\nPING\r\n";
        FakeConnection c = new FakeConnection().chunk(RawWebSocket.frame(0xC2, RawWebSocket.deflate(text.getBytes()), KEY));
        assertEquals(text, readAll(reader(c, true), 512), "expected the message inflated");
    }

    @RepeatedTest(25)
    void randomFramesInRandomPiecesComeOutAsOneStream() throws Exception {
        Random r = new Random();
        long seed = r.nextLong();
        r.setSeed(seed);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        StringBuilder expected = new StringBuilder();
        ByteArrayOutputStream pongs = new ByteArrayOutputStream();
        int messages = 1 + r.nextInt(20);
        for (int m = 0; m < messages; m++) {
            String text = randomText(r, r.nextInt(3) == 0 ? 20_000 : 300);
            expected.append(text);
            boolean compressed = r.nextBoolean();
            byte[] payload = compressed ? RawWebSocket.deflate(text.getBytes(StandardCharsets.UTF_8))
                    : text.getBytes(StandardCharsets.UTF_8);
            int fragments = 1 + r.nextInt(4);
            int at = 0;
            for (int f = 0; f < fragments; f++) {
                int end = f == fragments - 1 ? payload.length : at + r.nextInt(payload.length - at + 1);
                byte[] part = java.util.Arrays.copyOfRange(payload, at, end);
                at = end;
                int first = f == 0 ? (compressed ? 0x42 : 0x02) : 0x00;
                wire.writeBytes(RawWebSocket.frame(first | (f == fragments - 1 ? 0x80 : 0), part, randomKey(r)));
                if (r.nextInt(3) == 0) {
                    byte[] ping = randomText(r, 20).getBytes(StandardCharsets.UTF_8);
                    wire.writeBytes(RawWebSocket.frame(0x89, ping, randomKey(r)));
                    pongs.writeBytes(RawWebSocket.frame(0x8A, ping, null));
                }
            }
        }
        int[] sizes = {1 + r.nextInt(7), 1 + r.nextInt(5000), 1 + r.nextInt(70_000)};
        FakeConnection c = new FakeConnection().chunked(wire.toByteArray(), sizes);
        int bufferSize = 1 + r.nextInt(r.nextBoolean() ? 16 : 9000);
        assertEquals(expected.toString(), readAll(reader(c, true), bufferSize),
                () -> "seed " + seed + ": expected the payloads as one stream");
        assertArrayEquals(pongs.toByteArray(), c.written.toByteArray(), () -> "seed " + seed + ": each ping answered");
    }

    @Test
    void aViolationAfterDataReportsTheDataFirst() throws Exception {
        FakeConnection c = new FakeConnection().chunk(concat(
                RawWebSocket.frame(0x82, "PING\r\n".getBytes(), KEY),
                RawWebSocket.frame(0x82, "no mask".getBytes(), null)));
        FrameWriter w = new FrameWriter(c, false, false, false);
        FrameReader r = reader(c, w, false);
        ByteBuffer dst = ByteBuffer.allocate(64);
        assertEquals(6, r.read(dst), "expected the data before the violation");
        IOException e = assertThrows(IOException.class, () -> r.read(dst.clear()), "then the violation");
        assertEquals("mask bit missing", e.getMessage(), "with Go's text");
        assertEquals(0, c.written.size(), "the close frame waits for the session's pending output");
        w.closeQuietly(CloseStatus.payload(1001, "Read Error"));
        byte[] close = RawWebSocket.frame(0x88, CloseStatus.payload(1002, "mask bit missing"), null);
        assertArrayEquals(close, c.written.toByteArray(), "then the close frame is the violation's, status 1002");
    }

    @Test
    void aCloseFrameEndsTheStreamAfterTheDataBeforeIt() throws Exception {
        FakeConnection c = new FakeConnection().chunk(concat(
                RawWebSocket.frame(0x82, "data".getBytes(), KEY),
                RawWebSocket.frame(0x88, CloseStatus.payload(1000, "bye"), KEY),
                RawWebSocket.frame(0x82, "ignored".getBytes(), KEY)));
        FrameWriter w = new FrameWriter(c, false, false, false);
        assertEquals("data", readAll(reader(c, w, false), 100), "expected the stream to end at the close frame");
        w.writeData(ByteBuffer.wrap("last words".getBytes(StandardCharsets.UTF_8)));
        w.closeQuietly(CloseStatus.payload(1000, "Client Closed"));
        byte[] last = RawWebSocket.frame(0x82, "last words".getBytes(StandardCharsets.UTF_8), null);
        byte[] echo = RawWebSocket.frame(0x88, CloseStatus.payload(1000, "bye"), null);
        assertArrayEquals(concat(last, echo), c.written.toByteArray(),
                "expected the session's last output, then the client's close echoed (as Go appends its close)");
    }

    @Test
    void bytesReadWithTheUpgradeRequestAreTheFirstFrames() throws Exception {
        FakeConnection c = new FakeConnection().chunk(RawWebSocket.frame(0x82, "second".getBytes(), KEY));
        FrameWriter w = new FrameWriter(c, false, false, false);
        FrameReader r = new FrameReader(c, w, true, false,
                ByteBuffer.wrap(RawWebSocket.frame(0x82, "first ".getBytes(), KEY)));
        assertEquals("first second", readAll(r, 100), "expected the early frame before what follows");
    }

    private static byte[] randomKey(Random r) {
        byte[] k = new byte[4];
        r.nextBytes(k);
        return k;
    }

    private static String randomText(Random r, int maxLength) {
        int n = r.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(r.nextInt(4) == 0 ? 'a' + r.nextInt(3) : (char) (' ' + r.nextInt(95)));
        }
        return b.toString();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
