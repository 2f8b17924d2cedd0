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
 *
 * <p>A subject may sit in any of the {@link #WAYS} slots of its set: it is looked for in its own slot first
 * and moved there when found in another of the set. With one slot per subject, two subjects of the same slot
 * published in turn evicted each other for good (about a fifth of 100 subjects published round-robin share a
 * slot of 512), and each eviction cost a String, a shared-cache match and a new entry.
 */
public final class ResultCache {

    private static final int INITIAL_SLOTS = 64;
    private static final int MAX_SLOTS = 512;
    /** Slots a subject may sit in: its own and the others of its aligned group of this many. */
    private static final int WAYS = 4;
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

        boolean holds(int hash, byte[] subject, int off, int len) {
            return this.hash == hash && Arrays.equals(key, 0, key.length, subject, off, off + len);
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
        int slot = (hash ^ (hash >>> 16)) & (table.length - 1);
        Entry e = table[slot];
        // The hot path stays small enough to be inlined into the publisher's routing.
        if (e != null && e.checked == current && e.holds(hash, subject, off, len)) {
            return e.result;
        }
        return lookupSlow(sublist, subject, off, len, hash, slot, current);
    }

    private MatchResult lookupSlow(Sublist sublist, byte[] subject, int off, int len, int hash, int slot,
                                   long current) {
        Entry[] table = entries;
        Entry e = table[slot];
        Entry found = null;
        if (e != null && e.holds(hash, subject, off, len)) {
            found = e;
        } else {
            int set = slot & -WAYS;
            for (int i = set; i < set + WAYS; i++) {
                Entry other = table[i];
                if (i != slot && other != null && other.holds(hash, subject, off, len)) {
                    // Most recently used in its own slot: the next look-up of this subject is a fast-path hit.
                    table[i] = e;
                    table[slot] = other;
                    found = other;
                    break;
                }
            }
        }
        if (found != null) {
            if (found.checked != current) {
                // Checked at an older generation: still good if the shared cache holds the very same result.
                if (sublist.cachedMatch(found.subject) != found.result) {
                    found.result = sublist.match(found.subject);
                }
                found.checked = current;
            }
            return found.result;
        }
        if (!seenBefore(hash)) {
            return sublist.match(subject, off, len, scratch);
        }
        String name = new String(subject, off, len, StandardCharsets.ISO_8859_1);
        MatchResult result = sublist.match(name);
        if (e != null && !place(table, slot, e) && ++evictions > table.length / 4 && table.length < MAX_SLOTS) {
            grow();
            table = entries;
            slot = (hash ^ (hash >>> 16)) & (table.length - 1);
            Entry displaced = table[slot];
            if (displaced != null) {
                place(table, slot, displaced);
            }
        }
        // The new entry takes the subject's own slot; what was there went to a free slot of the set, if any.
        table[slot] = new Entry(Arrays.copyOfRange(subject, off, off + len), name, hash, result, current);
        return result;
    }

    /**
     * Whether a subject with this hash missed recently; if not, remembers that it did now. A hash is remembered
     * in any slot of its set, so two subjects of one slot missing in turn do not forget each other (with one
     * slot, 8 of nats-bench churn's 100 subjects were never cached, always matched on the trie).
     */
    private boolean seenBefore(int hash) {
        int[] table = seen;
        if (table == null) {
            table = seen = new int[SEEN_SLOTS];
        }
        int slot = (hash ^ (hash >>> 16)) & (SEEN_SLOTS - 1);
        int set = slot & -WAYS;
        int free = -1;
        for (int i = set; i < set + WAYS; i++) {
            if (table[i] == hash) {
                // Forget it: a subject admitted now and evicted later starts over.
                table[i] = 0;
                return true;
            }
            if (free < 0 && table[i] == 0) {
                free = i;
            }
        }
        table[table[slot] == 0 || free < 0 ? slot : free] = hash;
        return false;
    }

    /** Puts {@code e} in a free slot of {@code slot}'s set other than {@code slot}; false when there is none. */
    private static boolean place(Entry[] table, int slot, Entry e) {
        int set = slot & -WAYS;
        for (int i = set; i < set + WAYS; i++) {
            if (i != slot && table[i] == null) {
                table[i] = e;
                return true;
            }
        }
        return false;
    }

    /** Doubles the table, keeping each entry that finds a free slot in its set (rechecked by generation). */
    private void grow() {
        Entry[] old = entries;
        Entry[] table = new Entry[old.length * 2];
        for (Entry e : old) {
            if (e != null) {
                int slot = (e.hash ^ (e.hash >>> 16)) & (table.length - 1);
                if (table[slot] == null) {
                    table[slot] = e;
                } else {
                    place(table, slot, e);
                }
            }
        }
        entries = table;
        evictions = 0;
    }
}
