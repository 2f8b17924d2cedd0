package nats.transport.protocol;

/** Subject syntax rules, as the Go server applies them. */
public final class Subjects {

    private Subjects() {
    }

    /** A subscription subject: non-empty tokens, {@code >} only as the last token, no whitespace. */
    public static boolean isValidSubject(String subject) {
        if (subject.isEmpty()) {
            return false;
        }
        int tokenStart = 0;
        boolean sawFullWildcard = false;
        int n = subject.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || subject.charAt(i) == '.') {
                int length = i - tokenStart;
                if (length == 0 || sawFullWildcard) {
                    return false;
                }
                if (length == 1) {
                    char c = subject.charAt(tokenStart);
                    if (c == '>') {
                        sawFullWildcard = true;
                    } else if (isWhitespace(c)) {
                        return false;
                    }
                } else {
                    for (int k = tokenStart; k < i; k++) {
                        if (isWhitespace(subject.charAt(k))) {
                            return false;
                        }
                    }
                }
                tokenStart = i + 1;
            }
        }
        return true;
    }

    /** A publish subject in pedantic mode: non-empty tokens and no wildcard tokens. */
    public static boolean isValidLiteralSubject(byte[] buf, int off, int len) {
        int tokenStart = off;
        int end = off + len;
        for (int i = off; i <= end; i++) {
            if (i == end || buf[i] == '.') {
                int length = i - tokenStart;
                if (length == 0) {
                    return false;
                }
                if (length == 1 && (buf[tokenStart] == '*' || buf[tokenStart] == '>')) {
                    return false;
                }
                tokenStart = i + 1;
            }
        }
        return true;
    }

    /**
     * Whether {@code subject} is matched by {@code filter} (which may hold {@code *} and {@code >}), as a Go
     * sublist matches: wildcard tokens in {@code subject} itself are plain tokens, so {@code foo.>} matches
     * {@code foo.*} but {@code foo.bar} does not.
     */
    public static boolean matches(String subject, String filter) {
        String[] tokens = subject.split("\\.", -1);
        String[] pattern = filter.split("\\.", -1);
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals(">")) {
                return tokens.length > i;
            }
            if (i >= tokens.length || (!pattern[i].equals("*") && !pattern[i].equals(tokens[i]))) {
                return false;
            }
        }
        return tokens.length == pattern.length;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
