package nats.transport.compress;

import java.io.IOException;
import java.nio.ByteBuffer;

import nats.transport.link.LinkChannel;
import org.xerial.snappy.Snappy;

/**
 * Compresses what a route or leaf connection writes into the S2 stream format (what Go's s2.Reader reads): the stream identifier
 * once, then chunks of at most 64 KiB of input, each a Snappy block (valid S2) or, where compressing does not pay
 * or the mode is {@code s2_uncompressed}, the bytes as they are. snappy-java has one level, so {@code s2_fast},
 * {@code s2_better} and {@code s2_best} compress alike here (Go's levels trade speed for size on its side only).
 * Used by one writer at a time (the link's queue hands the socket to one writer), so its buffer is reused.
 */
public final class S2Writer implements LinkChannel.Encoder {

    private static final int PIECE = 64 * 1024;
    private static final int CHUNK_OVERHEAD = 8;
    private static final System.Logger LOG = System.getLogger(S2Writer.class.getName());
    private static volatile Boolean snappyLoads;

    private final boolean compress;
    private boolean identified;
    private byte[] out = new byte[16 * 1024];

    /** @param compress false for {@code s2_uncompressed}: the format, without compressing */
    public S2Writer(boolean compress) {
        this.compress = compress && snappyAvailable();
    }

    @Override
    public ByteBuffer encode(ByteBuffer plain) throws IOException {
        byte[] in = plain.array();
        int from = plain.arrayOffset() + plain.position();
        int length = plain.remaining();
        plain.position(plain.limit());
        int pieces = (length + PIECE - 1) / PIECE;
        int room = S2Stream.IDENTIFIER.length + pieces * CHUNK_OVERHEAD
                + (compress ? Snappy.maxCompressedLength(Math.min(length, PIECE)) * pieces : length);
        if (out.length < room) {
            out = new byte[Math.max(room, out.length * 2)];
        }
        int o = 0;
        if (!identified) {
            System.arraycopy(S2Stream.IDENTIFIER, 0, out, 0, S2Stream.IDENTIFIER.length);
            o = S2Stream.IDENTIFIER.length;
            identified = true;
        }
        for (int p = from; p < from + length; p += PIECE) {
            int n = Math.min(PIECE, from + length - p);
            int crc = S2Stream.maskedCrc(in, p, n);
            int stored = compress ? Snappy.compress(in, p, n, out, o + CHUNK_OVERHEAD) : n;
            if (!compress || stored >= n - n / 32) {
                // Not worth it (or not asked for): the bytes as they are.
                System.arraycopy(in, p, out, o + CHUNK_OVERHEAD, n);
                S2Stream.putHeader(out, o, S2Stream.UNCOMPRESSED, n + 4);
                stored = n;
            } else {
                S2Stream.putHeader(out, o, S2Stream.COMPRESSED, stored + 4);
            }
            S2Stream.putIntLE(out, o + 4, crc);
            o += CHUNK_OVERHEAD + stored;
        }
        return ByteBuffer.wrap(out, 0, o);
    }

    /** Whether snappy-java's native library loads here; without it the stream is written uncompressed. */
    public static boolean snappyAvailable() {
        Boolean known = snappyLoads;
        if (known == null) {
            try {
                Snappy.maxCompressedLength(1);
                known = true;
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "Compression writes uncompressed S2 frames: snappy-java"
                        + " cannot load its native library ({0})", t.toString());
                known = false;
            }
            snappyLoads = known;
        }
        return known;
    }
}
