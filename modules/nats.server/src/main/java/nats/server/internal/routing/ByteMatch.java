package nats.server.internal.routing;

/**
 * One producer's reusable scratch for matching subject bytes in a {@link Sublist} without making a String:
 * it stands in for a token as a key of the trie's literal maps, and gathers the trie nodes that match.
 *
 * <p>As a map key it is equal to the String with the same characters, its bytes read as ISO-8859-1 (as
 * the parser turns subjects into Strings), and has that String's hash code. {@link java.util.HashMap#get}
 * compares with {@code key.equals(k)}, the key being this probe, so the lookup finds the String key; the
 * probe itself is never stored in a map. Used by one thread at a time; holds no reference after a match.
 */
final class ByteMatch {

    private byte[] bytes;
    private int from;
    private int to;
    private int hash;

    /** The first matching node; most unique subjects (acks, inboxes) match through exactly one. */
    private Sublist.Node first;
    /** Made only when a second node matches. */
    private Sublist.Collector more;

    /** Points the probe at the token {@code bytes[from, to)} and returns it, as a key to look up. */
    ByteMatch token(byte[] subject, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + (subject[i] & 0xff);
        }
        bytes = subject;
        from = start;
        to = end;
        hash = h;
        return this;
    }

    void hit(Sublist.Node node) {
        if (node.isEmpty()) {
            return;
        }
        if (first == null) {
            first = node;
            return;
        }
        if (more == null) {
            more = new Sublist.Collector();
            more.addAll(first);
        }
        more.addAll(node);
    }

    /** The result of the nodes gathered since the last {@link #clear()}. */
    MatchResult finish() {
        return more != null ? more.build() : first != null ? first.alone() : MatchResult.EMPTY;
    }

    /** Forgets the nodes and the subject (also after a failed walk, so the next one starts clean). */
    void clear() {
        first = null;
        more = null;
        bytes = null;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof String s) || s.length() != to - from) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != (bytes[from + i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return bytes == null ? "" : new String(bytes, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
