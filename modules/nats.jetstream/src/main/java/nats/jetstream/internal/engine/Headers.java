package nats.jetstream.internal.engine;

import java.nio.charset.StandardCharsets;

/**
 * Reading and writing {@code NATS/1.0} header blocks as the Go server does: a header is found by its exact
 * name at the start of a line ({@code getHeader}), and a new value replaces an old one or is appended before
 * the final blank line ({@code genHeader}).
 */
public final class Headers {

    public static final String MSG_ID = "Nats-Msg-Id";
    public static final String EXPECTED_STREAM = "Nats-Expected-Stream";
    public static final String EXPECTED_LAST_SEQ = "Nats-Expected-Last-Sequence";
    public static final String EXPECTED_LAST_SUBJECT_SEQ = "Nats-Expected-Last-Subject-Sequence";
    public static final String EXPECTED_LAST_SUBJECT_SEQ_SUBJECT = "Nats-Expected-Last-Subject-Sequence-Subject";
    public static final String EXPECTED_LAST_MSG_ID = "Nats-Expected-Last-Msg-Id";
    public static final String ROLLUP = "Nats-Rollup";
    public static final String TTL = "Nats-TTL";
    public static final String MSG_SIZE = "Nats-Msg-Size";
    public static final String STREAM = "Nats-Stream";
    public static final String SEQUENCE = "Nats-Sequence";
    public static final String TIME_STAMP = "Nats-Time-Stamp";
    public static final String SUBJECT = "Nats-Subject";
    public static final String LAST_SEQUENCE = "Nats-Last-Sequence";
    public static final String STREAM_SOURCE = "Nats-Stream-Source";
    public static final String LAST_CONSUMER = "Nats-Last-Consumer";
    public static final String LAST_STREAM = "Nats-Last-Stream";
    public static final String CONSUMER_STALLED = "Nats-Consumer-Stalled";
    public static final String NUM_PENDING = "Nats-Num-Pending";
    public static final String CLIENT_INFO = "Nats-Request-Info";

    static final byte[] PREFIX = "NATS/1.0".getBytes(StandardCharsets.US_ASCII);

    private Headers() {
    }

    /**
     * Switches the trace headers of a stored copy off in place (Go's disableTraceHeaders: {@code Nats-Trace-Dest}
     * and {@code traceparent} get an {@code X} for their first letter), so deliveries of the stored message do not
     * start traces.
     */
    static void disableTrace(byte[] block) {
        for (String name : new String[] {"Nats-Trace-Dest", "traceparent"}) {
            int n = name.length();
            for (int i = 2; i + n < block.length; i++) {
                if (block[i - 1] == '\n' && block[i - 2] == '\r' && block[i + n] == ':' && startsWith(block, i, name)) {
                    block[i] = 'X';
                }
            }
        }
    }

    /**
     * The value of header {@code name} in {@code block[offset, offset+length)}, trimmed, or null when absent. Only
     * the first occurrence counts.
     */
    public static String get(byte[] block, int offset, int length, String name) {
        int end = offset + length;
        int n = name.length();
        int i = offset;
        // Skip the status line.
        while (i < end && block[i] != '\n') {
            i++;
        }
        i++;
        while (i + n < end) {
            if (block[i + n] == ':' && startsWith(block, i, name)) {
                int v = i + n + 1;
                int lineEnd = v;
                while (lineEnd < end && block[lineEnd] != '\r' && block[lineEnd] != '\n') {
                    lineEnd++;
                }
                while (v < lineEnd && (block[v] == ' ' || block[v] == '\t')) {
                    v++;
                }
                int ve = lineEnd;
                while (ve > v && (block[ve - 1] == ' ' || block[ve - 1] == '\t')) {
                    ve--;
                }
                return new String(block, v, ve - v, StandardCharsets.UTF_8);
            }
            while (i < end && block[i] != '\n') {
                i++;
            }
            i++;
        }
        return null;
    }

    public static String get(byte[] block, String name) {
        return block.length == 0 ? null : get(block, 0, block.length, name);
    }

    private static boolean startsWith(byte[] block, int at, String name) {
        for (int k = 0; k < name.length(); k++) {
            if (block[at + k] != name.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the block carries any header that starts with {@code Nats-}, i.e. one JetStream may act on. */
    public static boolean mayHaveJetStreamHeaders(byte[] block, int offset, int length) {
        int end = offset + length - 5;
        for (int i = offset; i < end; i++) {
            if (block[i] == '\n' && block[i + 1] == 'N' && block[i + 2] == 'a' && block[i + 3] == 't'
                    && block[i + 4] == 's' && block[i + 5] == '-') {
                return true;
            }
        }
        return false;
    }

    /** {@code block} with header {@code name} set to {@code value} (replacing the first occurrence), Go's genHeader. */
    public static byte[] set(byte[] block, String name, String value) {
        String text = block.length == 0 ? "NATS/1.0\r\n\r\n" : new String(block, StandardCharsets.UTF_8);
        String line = name + ": " + value + "\r\n";
        int at = findLine(text, name);
        String result;
        if (at >= 0) {
            int lineEnd = text.indexOf("\r\n", at);
            result = text.substring(0, at) + line + text.substring(lineEnd + 2);
        } else {
            int end = text.endsWith("\r\n\r\n") ? text.length() - 2 : text.length();
            result = text.substring(0, end) + line + "\r\n";
        }
        return result.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code block} with {@code name: value} added before its final blank line, Go's {@code genHeader}. */
    public static byte[] append(byte[] block, String name, String value) {
        String text = block.length <= 2 ? "NATS/1.0\r\n" : new String(block, 0, block.length - 2, StandardCharsets.UTF_8);
        return (text + name + ": " + value + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code block} without header {@code name}; an empty array when nothing else remains. */
    public static byte[] remove(byte[] block, String name) {
        if (block.length == 0) {
            return block;
        }
        String text = new String(block, StandardCharsets.UTF_8);
        int at = findLine(text, name);
        if (at < 0) {
            return block;
        }
        int lineEnd = text.indexOf("\r\n", at);
        String result = text.substring(0, at) + (lineEnd < 0 ? "" : text.substring(lineEnd + 2));
        return result.getBytes(StandardCharsets.UTF_8);
    }

    private static int findLine(String text, String name) {
        int from = text.indexOf("\r\n");
        while (from >= 0 && from + 2 < text.length()) {
            int start = from + 2;
            if (text.startsWith(name + ":", start)) {
                return start;
            }
            from = text.indexOf("\r\n", start);
        }
        return -1;
    }

    /** A status-only header block, e.g. {@code NATS/1.0 404 No Messages}, with extra header lines. */
    public static byte[] status(int code, String description, String... nameValues) {
        StringBuilder b = new StringBuilder("NATS/1.0 ").append(code);
        if (!description.isEmpty()) {
            b.append(' ').append(description);
        }
        b.append("\r\n");
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            b.append(nameValues[i]).append(": ").append(nameValues[i + 1]).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
