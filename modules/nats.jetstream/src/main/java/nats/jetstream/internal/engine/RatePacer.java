package nats.jetstream.internal.engine;

/** Bits-per-second pacing for a consumer's {@code rate_limit_bps}: how long to wait before each delivery. */
final class RatePacer {

    private long nextFreeNanos;

    long delay(long bitsPerSecond, long bits, long now) {
        long cost = bits * 1_000_000_000L / Math.max(1, bitsPerSecond);
        long start = Math.max(now, nextFreeNanos);
        nextFreeNanos = start + cost;
        return Math.max(0, start - now);
    }
}
