package nats.server.internal.trace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * How a trace event's payload is encoded, as the traced message's {@code Accept-Encoding} asks (Go 2.11's
 * getCompressionType): anything naming {@code snappy} or {@code s2} gets a Snappy framed stream, else {@code gzip}
 * gzip; any other value gets the JSON as it is with {@code Content-Encoding: identity}; no header, no encoding.
 */
enum EventEncoding {
    NONE(null), GZIP("gzip"), SNAPPY("snappy"), UNSUPPORTED("identity");

    private final String contentEncoding;

    EventEncoding(String contentEncoding) {
        this.contentEncoding = contentEncoding;
    }

    /** Go's choice for an {@code Accept-Encoding} value (null or "" for none). */
    static EventEncoding of(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isEmpty()) {
            return NONE;
        }
        String v = acceptEncoding.toLowerCase(Locale.ROOT);
        if (v.contains("snappy") || v.contains("s2")) {
            return SNAPPY;
        }
        return v.contains("gzip") ? GZIP : UNSUPPORTED;
    }

    /** The {@code Content-Encoding} header value the event carries; null for none. */
    String contentEncoding() {
        return contentEncoding;
    }

    /** The payload encoded; Go leaves an empty payload (and its header) alone. */
    byte[] encode(byte[] json) {
        return switch (this) {
            case GZIP -> gzip(json);
            case SNAPPY -> SnappyFrames.encode(json);
            case NONE, UNSUPPORTED -> json;
        };
    }

    /** The header block of an event in this encoding, or null when the event has no headers. */
    byte[] headerBlock() {
        if (contentEncoding == null) {
            return null;
        }
        return ("NATS/1.0\r\nContent-Encoding: " + contentEncoding + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static byte[] gzip(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 2 + 32);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
