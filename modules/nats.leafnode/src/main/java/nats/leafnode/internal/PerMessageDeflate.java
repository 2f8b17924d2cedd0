package nats.leafnode.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * RFC 7692 permessage-deflate as Go's WebSocket leaf connections use it: raw deflate at the best speed, no context
 * takeover in either direction (each message is compressed and inflated on its own), the trailing
 * {@code 00 00 ff ff} of a sync flush left off the wire and put back before inflating. One instance per connection;
 * {@link #compress} is called by the writer only, {@link #inflate} by the reader only. zlib's memory goes with the
 * connection (the JDK's cleaner), so a reader still inflating while the connection closes never meets a freed one.
 */
final class PerMessageDeflate {

    /** Go's wsCompressThreshold: smaller payloads go uncompressed. */
    static final int THRESHOLD = 64;
    /** RFC 7692 section 7.2.1: the tail of a sync flush, removed from each message. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    private final Inflater inflater = new Inflater(true);
    private final long maxInflated;

    /** {@code maxInflated} bounds one message once inflated (a small compressed frame can inflate to gigabytes). */
    PerMessageDeflate(long maxInflated) {
        this.maxInflated = maxInflated;
    }

    /** The compressed form of {@code payload} (consumed), without the sync-flush tail. */
    ByteBuffer compress(ByteBuffer payload) {
        deflater.reset();
        deflater.setInput(payload);
        ByteBuffer out = ByteBuffer.allocate(Math.max(64, payload.remaining() / 2 + 16));
        // Deflater's contract: a flush that filled the output buffer may have more to give.
        do {
            if (!out.hasRemaining()) {
                out = grow(out);
            }
            deflater.deflate(out, Deflater.SYNC_FLUSH);
        } while (!out.hasRemaining());
        payload.position(payload.limit());
        out.flip();
        if (out.remaining() >= 4 && endsWithTail(out)) {
            out.limit(out.limit() - 4);
        }
        return out;
    }

    /** Inflates one whole message (its frames' payloads joined), with the tail put back. */
    byte[] inflate(byte[] compressed, int length) throws IOException {
        inflater.reset();
        byte[] input = new byte[length + TAIL.length];
        System.arraycopy(compressed, 0, input, 0, length);
        System.arraycopy(TAIL, 0, input, length, TAIL.length);
        inflater.setInput(input);
        ByteBuffer out = ByteBuffer.allocate(Math.max(256, length * 4));
        try {
            while (true) {
                if (!out.hasRemaining()) {
                    if (out.capacity() >= maxInflated) {
                        throw new IOException("websocket compressed message larger than " + maxInflated
                                + " bytes once inflated");
                    }
                    out = grow(out);
                }
                int n = inflater.inflate(out);
                // Done when nothing more comes out although there is room (the input is used up).
                if (inflater.finished() || n == 0 && out.hasRemaining()) {
                    break;
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("websocket decompression error: " + e.getMessage(), e);
        }
        byte[] result = new byte[out.position()];
        out.flip().get(result);
        return result;
    }

    private static boolean endsWithTail(ByteBuffer b) {
        int end = b.limit();
        for (int i = 0; i < 4; i++) {
            if (b.get(end - 4 + i) != TAIL[i]) {
                return false;
            }
        }
        return true;
    }

    private static ByteBuffer grow(ByteBuffer b) {
        ByteBuffer larger = ByteBuffer.allocate(b.capacity() * 2);
        return larger.put(b.flip());
    }
}
