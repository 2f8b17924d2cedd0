package nats.transport.protocol;

/**
 * The arguments of the PUB or HPUB being parsed, as offsets into {@link #buffer()}. Reused for every
 * message, so a handler must copy what it keeps beyond the callback.
 */
public final class PubArgs {

    private byte[] buffer;
    private int subjectOffset;
    private int subjectLength;
    private int replyOffset;
    private int replyLength;
    private int sizeOffset;
    private int sizeLength;
    private int headerSize;
    private int totalSize;
    private byte[] following;
    private int followingOffset;
    private int followingLength;

    /** The array holding subject, reply and size bytes. */
    public byte[] buffer() {
        return buffer;
    }

    public int subjectOffset() {
        return subjectOffset;
    }

    public int subjectLength() {
        return subjectLength;
    }

    /** Offset of the reply subject; only meaningful when {@link #replyLength()} is positive. */
    public int replyOffset() {
        return replyOffset;
    }

    public int replyLength() {
        return replyLength;
    }

    /** Offset of the ASCII total size as sent by the client (reused when encoding MSG). */
    public int sizeOffset() {
        return sizeOffset;
    }

    public int sizeLength() {
        return sizeLength;
    }

    /** Size of the header block, or -1 for a PUB without headers. */
    public int headerSize() {
        return headerSize;
    }

    /** Size of headers plus payload. */
    public int totalSize() {
        return totalSize;
    }

    /**
     * The bytes of the same read that follow the control line (the start of the message, possibly all of it),
     * valid during {@link ClientProtocolHandler#onPublishArgs}: a message refused before it arrives can still be
     * looked at, as Go looks there for the trace header of a message over the maximum payload.
     */
    public byte[] following() {
        return following;
    }

    public int followingOffset() {
        return followingOffset;
    }

    public int followingLength() {
        return followingLength;
    }

    void following(byte[] buf, int off, int len) {
        following = buf;
        followingOffset = off;
        followingLength = len;
    }

    public boolean hasHeaders() {
        return headerSize >= 0;
    }

    public String subject() {
        return new String(buffer, subjectOffset, subjectLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    public String reply() {
        return new String(buffer, replyOffset, replyLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Splits a PUB ({@code subject [reply] size}) or HPUB ({@code subject [reply] hdr total}) argument
     * line on spaces and tabs, as the Go server does.
     *
     * @return null when the line parses, otherwise the reason it does not
     */
    String parse(byte[] buf, int off, int len, boolean withHeaders) {
        // At most four tokens matter; a fifth makes the line invalid.
        int[] starts = tokenStarts;
        int[] ends = tokenEnds;
        int count = 0;
        int start = -1;
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte b = buf[i];
            if (b == ' ' || b == '\t') {
                if (start >= 0) {
                    if (count == 4) {
                        return "too many arguments";
                    }
                    starts[count] = start;
                    ends[count++] = i;
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            if (count == 4) {
                return "too many arguments";
            }
            starts[count] = start;
            ends[count++] = end;
        }
        this.buffer = buf;
        int expected = withHeaders ? 3 : 2;
        if (count != expected && count != expected + 1) {
            return "wrong number of arguments";
        }
        subjectOffset = starts[0];
        subjectLength = ends[0] - starts[0];
        int next = 1;
        if (count == expected + 1) {
            replyOffset = starts[1];
            replyLength = ends[1] - starts[1];
            next = 2;
        } else {
            replyOffset = 0;
            replyLength = 0;
        }
        if (withHeaders) {
            headerSize = parseSize(buf, starts[next], ends[next]);
            next++;
            if (headerSize < 0) {
                return "bad or missing header size";
            }
        } else {
            headerSize = -1;
        }
        sizeOffset = starts[next];
        sizeLength = ends[next] - starts[next];
        totalSize = parseSize(buf, starts[next], ends[next]);
        if (totalSize < 0) {
            return "bad or missing size";
        }
        if (withHeaders && headerSize > totalSize) {
            return "header size larger than total size";
        }
        return null;
    }

    /** Moves the arguments into {@code target} (which must be large enough) when the read buffer is reused. */
    void relocate(byte[] target, int argOffset, int argLength) {
        System.arraycopy(buffer, argOffset, target, 0, argLength);
        int shift = -argOffset;
        buffer = target;
        subjectOffset += shift;
        if (replyLength > 0) {
            replyOffset += shift;
        }
        sizeOffset += shift;
    }

    private final int[] tokenStarts = new int[4];
    private final int[] tokenEnds = new int[4];

    /** Parses a non-negative decimal as the Go server does: -1 for empty, non-digits or overflow. */
    static int parseSize(byte[] buf, int from, int to) {
        if (from >= to || to - from > 9) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }
}
