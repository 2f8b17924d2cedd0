package nats.transport.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The arguments of an {@code RMSG} or {@code HMSG} between servers, as offsets into {@link #buffer()}:
 * {@code account subject [reply] [hdr] size}, or with queue groups
 * {@code account subject + reply queue... [hdr] size} / {@code account subject | queue... [hdr] size}
 * (Go's processRoutedMsgArgs and processRoutedHeaderMsgArgs). Reused for every message.
 */
public final class RoutedMessageArgs {

    private static final int MAX_TOKENS = 64;

    private byte[] buffer;
    private int originOffset;
    private int originLength;
    private int accountOffset;
    private int accountLength;
    private int subjectOffset;
    private int subjectLength;
    private int replyOffset;
    private int replyLength;
    private int queuesOffset;
    private int queuesLength;
    private int headerSize;
    private int totalSize;
    private int[] starts = new int[8];
    private int[] ends = new int[8];

    /** The array holding the arguments. */
    public byte[] buffer() {
        return buffer;
    }

    public int originOffset() {
        return originOffset;
    }

    /** 0 unless the message is a route's {@code LMSG} naming its leaf node origin cluster. */
    public int originLength() {
        return originLength;
    }

    /** The origin cluster of a route's {@code LMSG} ("" for other messages); allocates. */
    public String origin() {
        return originLength == 0 ? "" : new String(buffer, originOffset, originLength, StandardCharsets.UTF_8);
    }

    public int accountOffset() {
        return accountOffset;
    }

    public int accountLength() {
        return accountLength;
    }

    public int subjectOffset() {
        return subjectOffset;
    }

    public int subjectLength() {
        return subjectLength;
    }

    public int replyOffset() {
        return replyOffset;
    }

    /** 0 when the message has no reply subject. */
    public int replyLength() {
        return replyLength;
    }

    /** Where the queue group names start; they are separated by spaces. */
    public int queuesOffset() {
        return queuesOffset;
    }

    /** 0 when the message names no queue group. */
    public int queuesLength() {
        return queuesLength;
    }

    /** Size of the header block, -1 for an {@code RMSG}. */
    public int headerSize() {
        return headerSize;
    }

    /** Size of headers and payload. */
    public int totalSize() {
        return totalSize;
    }

    public String account() {
        return new String(buffer, accountOffset, accountLength, StandardCharsets.UTF_8);
    }

    public String subject() {
        return new String(buffer, subjectOffset, subjectLength, StandardCharsets.UTF_8);
    }

    /**
     * Parses the argument line of an RMSG ({@code withHeaders} false) or HMSG.
     *
     * @return null when it parses, else Go's reason
     */
    String parse(byte[] buf, int off, int len, boolean withHeaders) {
        return parse(buf, off, len, withHeaders, true);
    }

    /**
     * Parses the argument line of a message, with an account first ({@code RMSG}) or without one (a leaf
     * node's {@code LMSG}, whose account is the connection's; {@link #accountLength()} is then 0).
     *
     * @return null when it parses, else Go's reason
     */
    String parse(byte[] buf, int off, int len, boolean withHeaders, boolean withAccount) {
        return parse(buf, off, len, withHeaders, withAccount, false);
    }

    /**
     * As {@link #parse(byte[], int, int, boolean, boolean)}; with {@code withOrigin} the line is a route's
     * {@code LMSG}: {@code origin [account] subject ... hdr size}, always with a header size (Go's
     * processRoutedOriginClusterMsgArgs).
     */
    String parse(byte[] buf, int off, int len, boolean withHeaders, boolean withAccount, boolean withOrigin) {
        buffer = buf;
        int n = split(buf, off, off + len);
        if (n < 0) {
            return "too many arguments";
        }
        int a = (withAccount ? 1 : 0) + (withOrigin ? 1 : 0);
        int fixed = (withHeaders ? 3 : 2) + a;
        String op = withOrigin ? "processRoutedOriginClusterMsgArgs"
                : withAccount ? (withHeaders ? "processRoutedHeaderMsgArgs" : "processRoutedMsgArgs")
                : (withHeaders ? "processLeafHeaderMsgArgs" : "processLeafMsgArgs");
        if (n < fixed) {
            return op + " Parse Error";
        }
        replyLength = 0;
        queuesLength = 0;
        queuesOffset = 0;
        if (n == fixed + 1) {
            replyOffset = starts[a + 1];
            replyLength = ends[a + 1] - starts[a + 1];
        } else if (n > fixed + 1) {
            int indicator = a + 1;
            if (ends[indicator] - starts[indicator] != 1
                    || (buf[starts[indicator]] != '+' && buf[starts[indicator]] != '|')) {
                return op + " Bad or Missing Reply Indicator";
            }
            int firstQueue = a + 2;
            if (buf[starts[indicator]] == '+') {
                replyOffset = starts[a + 2];
                replyLength = ends[a + 2] - starts[a + 2];
                firstQueue = a + 3;
            }
            int lastQueue = n - (withHeaders ? 3 : 2);
            if (lastQueue >= firstQueue) {
                queuesOffset = starts[firstQueue];
                queuesLength = ends[lastQueue] - queuesOffset;
            }
        }
        totalSize = parseSize(buf, starts[n - 1], ends[n - 1]);
        headerSize = withHeaders ? parseSize(buf, starts[n - 2], ends[n - 2]) : -1;
        if (withHeaders && headerSize < 0) {
            return op + " Bad or Missing Header Size";
        }
        if (totalSize < 0) {
            return op + " Bad or Missing Size";
        }
        if (withHeaders && headerSize > totalSize) {
            return op + " Header Size larger then TotalSize";
        }
        int acc = withOrigin ? 1 : 0;
        originOffset = withOrigin ? starts[0] : 0;
        originLength = withOrigin ? ends[0] - starts[0] : 0;
        accountOffset = withAccount ? starts[acc] : 0;
        accountLength = withAccount ? ends[acc] - starts[acc] : 0;
        subjectOffset = starts[a];
        subjectLength = ends[a] - starts[a];
        return null;
    }

    /** Moves the offsets to a copy of the argument line at {@code into} (the line was at {@code from}). */
    void relocate(byte[] into, int from, int length) {
        System.arraycopy(buffer, from, into, 0, length);
        buffer = into;
        originOffset -= from;
        accountOffset -= from;
        subjectOffset -= from;
        replyOffset -= from;
        queuesOffset -= from;
    }

    private int split(byte[] buf, int from, int end) {
        int n = 0;
        int start = -1;
        for (int i = from; i <= end; i++) {
            boolean separator = i == end || buf[i] == ' ' || buf[i] == '\t';
            if (separator) {
                if (start >= 0) {
                    if (n == starts.length) {
                        if (n == MAX_TOKENS) {
                            return -1;
                        }
                        starts = java.util.Arrays.copyOf(starts, n * 2);
                        ends = java.util.Arrays.copyOf(ends, n * 2);
                    }
                    starts[n] = start;
                    ends[n] = i;
                    n++;
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        return n;
    }

    /** Go's parseSize: decimal digits only, -1 otherwise. */
    private static int parseSize(byte[] buf, int from, int to) {
        if (from == to || to - from > 9) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b < '0' || b > '9') {
                return -1;
            }
            n = n * 10 + (b - '0');
        }
        return n;
    }
}
