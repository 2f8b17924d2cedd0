package nats.server.internal.routing;

import java.nio.charset.StandardCharsets;

/**
 * A message on its way through the router, as slices of the publisher's buffers. One instance is reused
 * per publishing connection, so subscribers must copy what they keep (network clients copy into their
 * outbound buffer anyway).
 */
public final class RoutedMessage {

    public byte[] subject;
    public int subjectOffset;
    public int subjectLength;
    /** Reply subject bytes; {@code replyLength == 0} means none. */
    public byte[] reply;
    public int replyOffset;
    public int replyLength;
    /** Header block size, or -1 when the message has no headers. */
    public int headerSize = -1;
    /** Headers followed by payload. */
    public byte[] data;
    public int dataOffset;
    public int dataLength;
    /** True when a network client publishes: it may be stalled while a consumer catches up. */
    public boolean producerMayStall;

    /** ASCII decimal of {@link #dataLength} and of {@link #headerSize}, for the MSG/HMSG line. */
    private final byte[] totalAscii = new byte[10];
    private int totalAsciiLength;
    private final byte[] headerAscii = new byte[10];
    private int headerAsciiLength;

    /** Fills the size texts once the sizes are known. */
    public void prepareSizes() {
        // Publishers usually repeat the same sizes: keep the text from the previous message.
        if (dataLength != preparedTotal) {
            totalAsciiLength = writeDecimal(dataLength, totalAscii);
            preparedTotal = dataLength;
        }
        if (headerSize != preparedHeader) {
            headerAsciiLength = headerSize >= 0 ? writeDecimal(headerSize, headerAscii) : 0;
            preparedHeader = headerSize;
        }
        if (headerSize >= 0) {
            payloadAsciiLength = writeDecimal(dataLength - headerSize, payloadAscii);
        }
    }

    /** ASCII decimal of the payload size without headers (for subscribers that do not take headers). */
    public byte[] payloadAscii() {
        return payloadAscii;
    }

    public int payloadAsciiLength() {
        return payloadAsciiLength;
    }

    private final byte[] payloadAscii = new byte[10];
    private int payloadAsciiLength;

    private int preparedTotal = -1;
    private int preparedHeader = -2;

    public byte[] totalAscii() {
        return totalAscii;
    }

    public int totalAsciiLength() {
        return totalAsciiLength;
    }

    public byte[] headerAscii() {
        return headerAscii;
    }

    public int headerAsciiLength() {
        return headerAsciiLength;
    }

    public boolean hasReply() {
        return replyLength > 0;
    }

    public boolean hasHeaders() {
        return headerSize >= 0;
    }

    public String subjectString() {
        return new String(subject, subjectOffset, subjectLength, StandardCharsets.ISO_8859_1);
    }

    public String replyString() {
        return replyLength == 0 ? "" : new String(reply, replyOffset, replyLength, StandardCharsets.ISO_8859_1);
    }

    private static int writeDecimal(int value, byte[] out) {
        if (value == 0) {
            out[0] = '0';
            return 1;
        }
        int digits = 0;
        for (int v = value; v > 0; v /= 10) {
            digits++;
        }
        for (int i = digits - 1, v = value; i >= 0; i--, v /= 10) {
            out[i] = (byte) ('0' + v % 10);
        }
        return digits;
    }
}
