package nats.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import nats.websocket.testing.RawWebSocket;
import org.junit.jupiter.api.Test;

/** What the writer puts on the wire: Go's frame headers, compressed frames a reader inflates back. */
class FrameWriterTest {

    @Test
    void headersUseTheShortestLengthForm() {
        for (int n : new int[] {0, 1, 125, 126, 65535, 65536, 200_000}) {
            FakeConnection c = new FakeConnection();
            byte[] payload = new byte[n];
            java.util.Arrays.fill(payload, (byte) 'q');
            try {
                new FrameWriter(c, false, false, false).writeData(ByteBuffer.wrap(payload));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            byte[] expected = n == 0 ? new byte[0] : RawWebSocket.frame(0x82, payload, null);
            assertArrayEquals(expected, c.written.toByteArray(), "a " + n + "-byte write, one binary frame");
        }
    }

    @Test
    void compressedOutputInflatesBack() throws Exception {
        FakeConnection c = new FakeConnection();
        FrameWriter w = new FrameWriter(c, true, false, false);
        String text = "MSG subject 1 100\r\n" + "abc".repeat(3000) + "\r\n";
        w.writeData(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        w.writeData(ByteBuffer.wrap("PONG\r\n".getBytes(StandardCharsets.UTF_8)));
        FakeConnection in = new FakeConnection().chunk(c.written.toByteArray());
        FrameReader r = new FrameReader(in, new FrameWriter(new FakeConnection(), false, false, false), false, true,
                ByteBuffer.allocate(0));
        StringBuilder out = new StringBuilder();
        ByteBuffer dst = ByteBuffer.allocate(1000);
        int n;
        while ((n = r.read(dst.clear())) > 0) {
            out.append(new String(dst.array(), 0, n, StandardCharsets.UTF_8));
        }
        assertEquals(text + "PONG\r\n", out.toString(), "expected both writes back, the first inflated");
        assertTrue(c.written.size() < text.length() / 10, "repetitive output compresses");
    }

    @Test
    void gatheredChunksLeaveAsOneMessage() throws Exception {
        for (boolean compress : new boolean[] {false, true}) {
            FakeConnection c = new FakeConnection();
            FrameWriter w = new FrameWriter(c, compress, false, false);
            String[] parts = {"MSG a 1 5\r\nhello\r\n", "x".repeat(3000), "", "MSG b 1 3\r\nbye\r\n"};
            ByteBuffer[] chunks = new ByteBuffer[parts.length + 1];
            chunks[0] = ByteBuffer.allocate(0);
            for (int i = 0; i < parts.length; i++) {
                chunks[i + 1] = ByteBuffer.wrap(parts[i].getBytes(StandardCharsets.UTF_8));
            }
            w.writeData(chunks, 1, parts.length);
            byte[] wire = c.written.toByteArray();
            assertEquals(compress ? 0xC2 : 0x82, wire[0] & 0xff, "one final binary frame" + (compress ? ", compressed" : ""));
            FakeConnection in = new FakeConnection().chunk(wire);
            FrameReader r = new FrameReader(in, new FrameWriter(new FakeConnection(), false, false, false), false,
                    compress, ByteBuffer.allocate(0));
            StringBuilder out = new StringBuilder();
            ByteBuffer dst = ByteBuffer.allocate(700);
            int n;
            while ((n = r.read(dst.clear())) > 0) {
                out.append(new String(dst.array(), 0, n, StandardCharsets.UTF_8));
            }
            assertEquals(String.join("", parts), out.toString(), "the chunks in order, as one stream");
            for (ByteBuffer b : chunks) {
                assertEquals(0, b.remaining(), "every chunk consumed");
            }
        }
    }

    @Test
    void noControlFramesAfterTheCloseIsDecided() throws Exception {
        FakeConnection c = new FakeConnection();
        FrameWriter w = new FrameWriter(c, false, false, false);
        w.closeLater(CloseStatus.payload(1002, "x"));
        w.pong("p".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, c.written.size(), "nothing follows a close but the close itself");
        w.closeQuietly(null);
        w.closeQuietly(CloseStatus.payload(1000, "again"));
        assertArrayEquals(RawWebSocket.frame(0x88, CloseStatus.payload(1002, "x"), null), c.written.toByteArray(),
                "exactly one close frame, the first decided");
    }
}
