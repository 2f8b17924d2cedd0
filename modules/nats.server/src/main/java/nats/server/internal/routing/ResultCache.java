package nats.server.internal.routing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A connection's own small cache from published subject bytes to match results, checked without creating
 * a String, so publishing to a known subject allocates nothing.
 *
 * <p>A change to the sublist (its generation) does not empty it: an entry last checked at an older
 * generation is still good if the sublist's shared cache holds the very same result for its subject, since
 * every change drops the shared entries it affects before it bumps the generation (a literal SUB or UNSUB
 * only its own subject's, as in Go). So subscription churn on other subjects costs a publisher one shared
 * look-up per subject and change, not a String, a trie match and a copy of the key. The table starts at 64
 * slots and doubles (up to 512, Go's per-client cache size) while subjects keep evicting each other.
 */
public final class ResultCache {

    private static final int INITIAL_SLOTS = 64;
    private static final int MAX_SLOTS = 512;

    private byte[][] keys = new byte[INITIAL_SLOTS][];
    private String[] subjects = new String[INITIAL_SLOTS];
    private MatchResult[] results = new MatchResult[INITIAL_SLOTS];
    /** The sublist generation at which each entry was last known to be current. */
    private long[] checked = new long[INITIAL_SLOTS];
    /** Entries replaced by another subject since the table last grew. */
    private int evictions;

    public MatchResult lookup(Sublist sublist, byte[] subject, int off, int len) {
        // Read before any look-up: a result found or made now is at least as new as this generation.
        long current = sublist.generation();
        int hash = 1;
        for (int i = off; i < off + len; i++) {
            hash = 31 * hash + subject[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (keys.length - 1);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, subject, off, off + len)) {
            if (checked[slot] == current) {
                return results[slot];
            }
            MatchResult result = results[slot];
            if (sublist.cachedMatch(subjects[slot]) != result) {
                result = sublist.match(subjects[slot]);
                results[slot] = result;
            }
            checked[slot] = current;
            return result;
        }
        String name = new String(subject, off, len, StandardCharsets.ISO_8859_1);
        MatchResult result = sublist.match(name);
        if (key != null && ++evictions > keys.length && keys.length < MAX_SLOTS) {
            grow();
            slot = (hash ^ (hash >>> 16)) & (keys.length - 1);
        }
        keys[slot] = Arrays.copyOfRange(subject, off, off + len);
        subjects[slot] = name;
        results[slot] = result;
        checked[slot] = current;
        return result;
    }

    /** Doubles the table, keeping the entries (they are rechecked by generation as before). */
    private void grow() {
        byte[][] oldKeys = keys;
        String[] oldSubjects = subjects;
        MatchResult[] oldResults = results;
        long[] oldChecked = checked;
        int size = oldKeys.length * 2;
        keys = new byte[size][];
        subjects = new String[size];
        results = new MatchResult[size];
        checked = new long[size];
        for (int i = 0; i < oldKeys.length; i++) {
            byte[] key = oldKeys[i];
            if (key == null) {
                continue;
            }
            int hash = 1;
            for (byte b : key) {
                hash = 31 * hash + b;
            }
            int slot = (hash ^ (hash >>> 16)) & (size - 1);
            keys[slot] = key;
            subjects[slot] = oldSubjects[i];
            results[slot] = oldResults[i];
            checked[slot] = oldChecked[i];
        }
        evictions = 0;
    }
}
