package nats.server.internal.routing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;


/**
 * A connection's own small cache from published subject bytes to match results, checked without creating
 * a String, so publishing to a known subject allocates nothing. Any change to the sublist (its generation)
 * empties it, as the Go server's per-client L1 cache does.
 */
public final class ResultCache {

    private static final int SLOTS = 64;

    private final byte[][] keys = new byte[SLOTS][];
    private final MatchResult[] results = new MatchResult[SLOTS];
    private long generation = -1;

    public MatchResult lookup(Sublist sublist, byte[] subject, int off, int len) {
        long current = sublist.generation();
        if (current != generation) {
            Arrays.fill(keys, null);
            Arrays.fill(results, null);
            generation = current;
        }
        int hash = 1;
        for (int i = off; i < off + len; i++) {
            hash = 31 * hash + subject[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, subject, off, off + len)) {
            return results[slot];
        }
        MatchResult result = sublist.match(new String(subject, off, len, StandardCharsets.ISO_8859_1));
        // Only cache when nothing changed meanwhile, so a stale result never outlives its generation.
        if (sublist.generation() == current) {
            keys[slot] = Arrays.copyOfRange(subject, off, off + len);
            results[slot] = result;
        }
        return result;
    }
}
