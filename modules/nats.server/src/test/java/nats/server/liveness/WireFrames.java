package nats.server.liveness;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;

/** Checks of what a subscriber received on the wire. */
final class WireFrames {

    private WireFrames() {
    }

    /**
     * Checks that {@code data} holds only {@code MSG subject sid size} frames with all-'x' payloads and PINGs,
     * where only the very last frame may be cut short (the connection was closed while writing it). Anything
     * else, e.g. an {@code -ERR}, fails. Returns the number of complete MSG frames.
     */
    static int checkMsgStream(byte[] data, String subject, String sid, int size) {
        String expectedLine = "MSG " + subject + " " + sid + " " + size;
        int pos = 0;
        int frames = 0;
        while (pos < data.length) {
            int eol = indexOfCrlf(data, pos);
            if (eol < 0) {
                String rest = new String(data, pos, data.length - pos, StandardCharsets.ISO_8859_1);
                if (!(expectedLine + "\r\n").startsWith(rest) && !"PING\r\n".startsWith(rest)) {
                    fail("unexpected trailing bytes after " + frames + " frames: '" + abbreviate(rest) + "'");
                }
                return frames;
            }
            String line = new String(data, pos, eol - pos, StandardCharsets.ISO_8859_1);
            pos = eol + 2;
            if (line.equals("PING")) {
                continue;
            }
            if (!line.equals(expectedLine)) {
                fail("unexpected line after " + frames + " MSG frames: '" + abbreviate(line) + "'");
            }
            int available = Math.min(data.length - pos, size + 2);
            for (int i = 0; i < available; i++) {
                byte expected = i < size ? (byte) 'x' : (i == size ? (byte) '\r' : (byte) '\n');
                if (data[pos + i] != expected) {
                    fail("corrupt payload in MSG frame " + frames + " at byte " + i);
                }
            }
            if (available < size + 2) {
                return frames;
            }
            pos += size + 2;
            frames++;
        }
        return frames;
    }

    private static int indexOfCrlf(byte[] data, int from) {
        for (int i = from; i + 1 < data.length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
