package nats.server.internal.client;

import java.nio.charset.StandardCharsets;

/** The arguments of SUB and UNSUB lines: rare enough that splitting into strings is fine. */
final class ProtocolArgs {

    private ProtocolArgs() {
    }

    static String[] split(byte[] buf, int off, int len) {
        String line = new String(buf, off, len, StandardCharsets.ISO_8859_1).strip();
        return line.isEmpty() ? new String[0] : line.split("[ \t\r\n]+");
    }

    /** A non-negative decimal of at most 9 digits, -1 otherwise. */
    static long parseSize(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
