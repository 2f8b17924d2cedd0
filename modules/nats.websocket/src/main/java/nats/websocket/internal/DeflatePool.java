package nats.websocket.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Raw-deflate compressors and decompressors (RFC 7692 permessage-deflate), shared by all connections. Both
 * directions are negotiated without context takeover, as Go does, so a (de)compressor is needed only while one
 * message is being handled: idle connections hold none (zlib's state is about 256 KiB per compressor and
 * 40 KiB per decompressor, in native memory), as Go pools its decompressors.
 */
final class DeflatePool {

    /** Go compresses with flate.BestSpeed. */
    private static final int LEVEL = Deflater.BEST_SPEED;
    private static final int MAX_IDLE = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    static final DeflatePool SHARED = new DeflatePool();

    private final ConcurrentLinkedQueue<Deflater> deflaters = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Inflater> inflaters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleDeflaters = new AtomicInteger();
    private final AtomicInteger idleInflaters = new AtomicInteger();

    Deflater deflater() {
        Deflater d = deflaters.poll();
        if (d == null) {
            return new Deflater(LEVEL, true);
        }
        idleDeflaters.decrementAndGet();
        return d;
    }

    void release(Deflater d) {
        d.reset();
        if (idleDeflaters.incrementAndGet() <= MAX_IDLE) {
            deflaters.offer(d);
        } else {
            idleDeflaters.decrementAndGet();
            d.end();
        }
    }

    Inflater inflater() {
        Inflater i = inflaters.poll();
        if (i == null) {
            return new Inflater(true);
        }
        idleInflaters.decrementAndGet();
        return i;
    }

    void release(Inflater i) {
        i.reset();
        if (idleInflaters.incrementAndGet() <= MAX_IDLE) {
            inflaters.offer(i);
        } else {
            idleInflaters.decrementAndGet();
            i.end();
        }
    }
}
