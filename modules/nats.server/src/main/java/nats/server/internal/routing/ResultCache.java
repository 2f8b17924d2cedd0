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
 *
 * <p>A subject gets an entry only on its second miss within a short while (a small table of recent misses'
 * hashes remembers the first). Subjects used once, a JetStream ack or a reply to a unique inbox, are matched
 * on their bytes ({@link Sublist#match(byte[], int, int, ByteMatch)}: no String, no shared cache, usually no
 * allocation) and leave both caches alone, so they neither pay for entries never read again nor evict the
 * entries of subjects that are published again.
 */
public final class ResultCache {

    private static final int INITIAL_SLOTS = 64;
    private static final int MAX_SLOTS = 512;
    /** Recent misses remembered (a power of two); a few unique subjects between two uses of one leave it in. */
    private static final int SEEN_SLOTS = 256;

    /** One cached subject: everything a hit reads sits in one object. */
    private static final class Entry {
        final byte[] key;
        final String subject;
        final int hash;
        MatchResult result;
        /** The sublist generation at which {@link #result} was last known to be current. */
        long checked;

        Entry(byte[] key, String subject, int hash, MatchResult result, long checked) {
            this.key = key;
            this.subject = subject;
            this.hash = hash;
            this.result = result;
            this.checked = checked;
        }
    }

    private Entry[] entries = new Entry[INITIAL_SLOTS];
    /** Entries replaced by another subject since the table last grew. */
    private int evictions;
    /** Hashes of subjects that missed once and were not cached; made on the first such miss. */
    private int[] seen;
    private final ByteMatch scratch = new ByteMatch();

    public MatchResult lookup(Sublist sublist, byte[] subject, int off, int len) {
        // Read before any look-up: a result found or made now is at least as new as this generation.
        long current = sublist.generation();
        int hash = 1;
        for (int i = off; i < off + len; i++) {
            hash = 31 * hash + subject[i];
        }
        Entry[] table = entries;
        Entry e = table[(hash ^ (hash >>> 16)) & (table.length - 1)];
        // The hot path stays small enough to be inlined into the publisher's routing.
        if (e != null && e.checked == current && Arrays.equals(e.key, 0, e.key.length, subject, off, off + len)) {
            return e.result;
        }
        return lookupSlow(sublist, subject, off, len, hash, e, current);
    }

    private MatchResult lookupSlow(Sublist sublist, byte[] subject, int off, int len, int hash, Entry e,
                                   long current) {
        if (e != null && Arrays.equals(e.key, 0, e.key.length, subject, off, off + len)) {
            // Checked at an older generation: still good if the shared cache holds the very same result.
            if (sublist.cachedMatch(e.subject) != e.result) {
                e.result = sublist.match(e.subject);
            }
            e.checked = current;
            return e.result;
        }
        if (!seenBefore(hash)) {
            return sublist.match(subject, off, len, scratch);
        }
        String name = new String(subject, off, len, StandardCharsets.ISO_8859_1);
        MatchResult result = sublist.match(name);
        if (e != null && ++evictions > entries.length && entries.length < MAX_SLOTS) {
            grow();
        }
        entries[(hash ^ (hash >>> 16)) & (entries.length - 1)] =
                new Entry(Arrays.copyOfRange(subject, off, off + len), name, hash, result, current);
        return result;
    }

    /** Whether a subject with this hash missed recently; if not, remembers that it did now. */
    private boolean seenBefore(int hash) {
        int[] table = seen;
        if (table == null) {
            table = seen = new int[SEEN_SLOTS];
        }
        int slot = (hash ^ (hash >>> 16)) & (SEEN_SLOTS - 1);
        if (table[slot] == hash) {
            // Forget it: a subject admitted now and evicted later starts over.
            table[slot] = 0;
            return true;
        }
        table[slot] = hash;
        return false;
    }

    /** Doubles the table, keeping the entries (they are rechecked by generation as before). */
    private void grow() {
        Entry[] old = entries;
        Entry[] table = new Entry[old.length * 2];
        for (Entry e : old) {
            if (e != null) {
                table[(e.hash ^ (e.hash >>> 16)) & (table.length - 1)] = e;
            }
        }
        entries = table;
        evictions = 0;
    }
}
