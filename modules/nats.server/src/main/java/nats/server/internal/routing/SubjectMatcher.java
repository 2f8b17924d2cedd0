package nats.server.internal.routing;

/** Token-wise subject comparison without building a trie. */
public final class SubjectMatcher {

    private SubjectMatcher() {
    }

    /**
     * Whether the published subject {@code literal} is matched by {@code filter}, which may hold
     * {@code *} and {@code >} tokens. As in the trie, a {@code *} inside {@code literal} is just a token.
     */
    public static boolean matches(String literal, String filter) {
        String[] subject = literal.split("\\.", -1);
        String[] pattern = filter.split("\\.", -1);
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals(">")) {
                return subject.length > i;
            }
            if (i >= subject.length || (!pattern[i].equals("*") && !pattern[i].equals(subject[i]))) {
                return false;
            }
        }
        return subject.length == pattern.length;
    }

    /** Whether {@code subject} has a {@code *} or {@code >} token. */
    public static boolean hasWildcard(String subject) {
        // Scans in place (every SUB and UNSUB asks this; a split made an array and a String per token).
        int n = subject.length();
        for (int i = 0; i < n; i++) {
            char c = subject.charAt(i);
            if ((c == '*' || c == '>') && isWholeToken(subject, i)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the character at {@code i} is a token by itself: dots or the subject's ends on both sides. */
    static boolean isWholeToken(String subject, int i) {
        return (i == 0 || subject.charAt(i - 1) == '.') && (i + 1 == subject.length() || subject.charAt(i + 1) == '.');
    }

    /**
     * Whether every subject matched by {@code subject} is also matched by {@code test} (Go's
     * isSubsetMatch): {@code foo.bar} and {@code foo.*} are subsets of {@code foo.>}, but {@code foo.>} is
     * not a subset of {@code foo.*}.
     */
    public static boolean isSubsetMatch(String subject, String test) {
        String[] tokens = subject.split("\\.", -1);
        String[] against = test.split("\\.", -1);
        for (int i = 0; i < against.length; i++) {
            if (i >= tokens.length || against[i].isEmpty()) {
                return false;
            }
            if (against[i].equals(">")) {
                return true;
            }
            String t = tokens[i];
            if (t.isEmpty() || t.equals(">")) {
                return false;
            }
            if (t.equals("*")) {
                if (!against[i].equals("*")) {
                    return false;
                }
                continue;
            }
            if (!against[i].equals("*") && !t.equals(against[i])) {
                return false;
            }
        }
        return tokens.length == against.length;
    }

    /** Whether some literal subject matches both filters (Go's SubjectsCollide). */
    public static boolean collide(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i].equals(">") || y[i].equals(">")) {
                return true;
            }
            if (!x[i].equals("*") && !y[i].equals("*") && !x[i].equals(y[i])) {
                return false;
            }
        }
        return x.length == y.length;
    }
}
