package nats.server.internal.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the trace headers of a message's header block ({@code NATS/1.0} followed by {@code Key: value} lines), as
 * Go's genHeaderMapIfTraceHeadersPresent does: {@link #mayTrace} looks for {@code Nats-Trace-Dest} or
 * {@code traceparent} (any case) without allocating, and only then {@link #parse} builds the header map the
 * event reports.
 */
final class TraceHeaders {

    private static final byte[] DEST = "nats-trace-dest".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PARENT = "traceparent".getBytes(StandardCharsets.US_ASCII);

    private TraceHeaders() {
    }

    /**
     * Whether a header named Nats-Trace-Dest or traceparent (any case) is present. Allocates nothing, and looks at
     * little: line ends are found eight bytes at a time, and only a line starting with n or t whose colon sits where
     * one of the two names ends is compared.
     */
    static boolean mayTrace(byte[] data, int off, int headerLength) {
        int end = off + headerLength;
        int i = nextLine(data, off, end);
        while (i < end) {
            int first = data[i] | 0x20;
            if (first == 'n' && i + DEST.length < end && data[i + DEST.length] == ':'
                    && equalsIgnoreCase(data, i, DEST.length, DEST)
                    || first == 't' && i + PARENT.length < end && data[i + PARENT.length] == ':'
                    && equalsIgnoreCase(data, i, PARENT.length, PARENT)) {
                return true;
            }
            i = nextLine(data, i, end);
        }
        return false;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** The index after the next {@code \n} from {@code i}, or {@code end}; eight bytes per step (zero-byte trick). */
    private static int nextLine(byte[] data, int i, int end) {
        while (i + 8 <= end) {
            long x = (long) LONGS.get(data, i) ^ NEWLINES;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3) + 1;
            }
            i += 8;
        }
        while (i < end) {
            if (data[i++] == '\n') {
                return i;
            }
        }
        return end;
    }

    /** The headers as they are reported: found trace headers, the map, whether only traceparent asked for it. */
    record Parsed(Map<String, List<String>> headers, boolean destFound, boolean sampledParent, int parentKeyAt) {

        String first(String key) {
            List<String> values = headers.get(key);
            return values == null ? null : values.get(0);
        }
    }

    /**
     * Every header with its values, names in their case except {@code traceparent}, which is rewritten in lower
     * case in the message itself (as Go does, so that it can be switched off in place). Keys sort as Go's JSON
     * encoding sorts a map's keys.
     */
    static Parsed parse(byte[] data, int off, int headerLength) {
        Map<String, List<String>> headers = new TreeMap<>();
        boolean destFound = false;
        boolean sampled = false;
        int parentAt = -1;
        int end = off + headerLength;
        int i = firstLineEnd(data, off, end);
        while (i < end) {
            int lineEnd = i;
            while (lineEnd + 1 < end && !(data[lineEnd] == '\r' && data[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            if (lineEnd + 1 >= end) {
                break;
            }
            int colon = indexOf(data, i, lineEnd, (byte) ':');
            if (colon > i) {
                String value = new String(data, colon + 1, lineEnd - colon - 1, StandardCharsets.UTF_8).strip();
                String key;
                if (equalsIgnoreCase(data, i, colon - i, PARENT)) {
                    System.arraycopy(PARENT, 0, data, i, PARENT.length);
                    key = "traceparent";
                    if (!sampled && sampledFlag(value)) {
                        sampled = true;
                        parentAt = i - off;
                    }
                } else {
                    key = new String(data, i, colon - i, StandardCharsets.UTF_8);
                    destFound |= equalsIgnoreCase(data, i, colon - i, DEST);
                }
                headers.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
            }
            i = lineEnd + 2;
        }
        return new Parsed(headers, destFound, sampled, parentAt);
    }

    /** W3C trace context: {@code version-traceid-parentid-flags}, sampled when the flags' low bit is set. */
    static boolean sampledFlag(String value) {
        String[] parts = value.split("-", -1);
        if (parts.length != 4 || parts[3].length() != 2) {
            return false;
        }
        try {
            return (Integer.parseInt(parts[3], 16) & 1) == 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Switches a trace header off in place by changing its first letter to {@code X} (Go's disableTraceHeaders),
     * so a server further on does not start a trace of its own.
     */
    static void disable(byte[] data, int off, int headerLength, String name) {
        byte[] key = name.getBytes(StandardCharsets.US_ASCII);
        int end = off + headerLength;
        int i = firstLineEnd(data, off, end);
        while (i < end) {
            int lineStart = i;
            while (i < end && data[i] != '\n') {
                i++;
            }
            i++;
            if (lineStart + key.length < end && data[lineStart + key.length] == ':'
                    && java.util.Arrays.equals(data, lineStart, lineStart + key.length, key, 0, key.length)) {
                data[lineStart] = 'X';
            }
        }
    }

    /**
     * A header block with {@code key} set to {@code value} as Go's setHeader sets it: an earlier line with that
     * key is dropped and the new one goes last.
     */
    static byte[] withHeader(byte[] header, String key, String value) {
        StringBuilder out = new StringBuilder(header.length + key.length() + value.length() + 8);
        String text = new String(header, StandardCharsets.ISO_8859_1);
        int end = text.endsWith("\r\n\r\n") ? text.length() - 2 : text.length();
        int lineStart = 0;
        boolean first = true;
        while (lineStart < end) {
            int lineEnd = text.indexOf("\r\n", lineStart);
            if (lineEnd < 0 || lineEnd > end) {
                lineEnd = end;
            }
            String line = text.substring(lineStart, lineEnd);
            if (first || !line.startsWith(key + ":")) {
                out.append(line).append("\r\n");
            }
            first = false;
            lineStart = lineEnd + 2;
        }
        if (first) {
            out.append("NATS/1.0\r\n");
        }
        out.append(key).append(": ").append(value).append("\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Go's getHeader on raw bytes: the value of {@code key} (exact case) where it first occurs, if that place starts
     * a line and a colon follows; up to the next CRLF, or to the end of what is there. Null otherwise.
     */
    static String exactValue(byte[] data, int off, int len, String key) {
        byte[] k = key.getBytes(StandardCharsets.US_ASCII);
        int end = off + len;
        int at = -1;
        for (int i = off; i + k.length <= end && at < 0; i++) {
            if (java.util.Arrays.equals(data, i, i + k.length, k, 0, k.length)) {
                at = i;
            }
        }
        if (at < off + 2 || data[at - 1] != '\n' || data[at - 2] != '\r') {
            return null;
        }
        int i = at + k.length + 1;
        if (i > end || data[i - 1] != ':') {
            return null;
        }
        while (i < end && data[i] == ' ') {
            i++;
        }
        int start = i;
        while (i < end && !(data[i] == '\r' && i + 1 < end && data[i + 1] == '\n')) {
            i++;
        }
        return new String(data, start, i - start, StandardCharsets.ISO_8859_1);
    }

    private static int firstLineEnd(byte[] data, int off, int end) {
        int i = off;
        while (i < end && data[i] != '\n') {
            i++;
        }
        return i + 1;
    }

    private static int indexOf(byte[] data, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** ASCII case-insensitive comparison with a lower-case name. */
    private static boolean equalsIgnoreCase(byte[] data, int off, int len, byte[] lower) {
        if (len != lower.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int b = data[off + i];
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lower[i]) {
                return false;
            }
        }
        return true;
    }
}
