package nats.cluster.internal;

import java.nio.charset.StandardCharsets;

/** Go's computeRoutePoolIdx: which pooled connection carries an account (both servers compute the same). */
final class PoolIndex {

    private PoolIndex() {
    }

    /** FNV-1a (32 bits) of the account name, modulo the pool size; 0 without a pool. */
    static int of(String account, int poolSize) {
        if (poolSize <= 1) {
            return 0;
        }
        int h = 0x811c9dc5;
        for (byte b : account.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return (int) (Integer.toUnsignedLong(h) % poolSize);
    }
}
