package nats.server.internal.client;

import java.nio.charset.StandardCharsets;

/** The arguments of SUB and UNSUB lines, split into strings: subjects and sids are kept as strings anyway. */
final class ProtocolArgs {

    private ProtocolArgs() {
    }

    /** The arguments separated by spaces, tabs or line ends (no regular expression: SUB is frequent in churn). */
    static String[] split(byte[] buf, int off, int len) {
        String[] args = new String[4];
        int count = 0;
        int end = off + len;
        int i = off;
        while (i < end) {
            while (i < end && isSpace(buf[i])) {
                i++;
            }
            int start = i;
            while (i < end && !isSpace(buf[i])) {
                i++;
            }
            if (i > start) {
                if (count == args.length) {
                    args = java.util.Arrays.copyOf(args, count * 2);
                }
                args[count++] = new String(buf, start, i - start, StandardCharsets.ISO_8859_1);
            }
        }
        return count == args.length ? args : java.util.Arrays.copyOf(args, count);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
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
