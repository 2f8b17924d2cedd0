package nats.jetstream.store;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One or several subject patterns ({@code *} matches one token, {@code >} one or more trailing tokens); a
 * subject matches the filter when it matches any of them. An empty filter, {@code ""} or {@code >} matches
 * everything. Matching allocates nothing, so a consumer can test every message it scans.
 */
public final class SubjectFilter {

    /** Matches every subject. */
    public static final SubjectFilter ALL = new SubjectFilter(List.of(">"), true);

    private final List<String> patterns;
    private final String[] array;
    private final boolean all;
    private final boolean literal;

    private SubjectFilter(List<String> patterns, boolean all) {
        this.patterns = patterns;
        this.array = patterns.toArray(String[]::new);
        this.all = all;
        this.literal = !all && array.length == 1 && isLiteral(array[0]);
    }

    /** A filter of the given patterns. */
    public static SubjectFilter of(String... patterns) {
        return of(List.of(patterns));
    }

    /** A filter of the given patterns; duplicates are dropped. */
    public static SubjectFilter of(Collection<String> patterns) {
        Set<String> unique = new LinkedHashSet<>();
        for (String pattern : patterns) {
            if (pattern.isEmpty() || pattern.equals(">")) {
                return ALL;
            }
            unique.add(pattern);
        }
        return unique.isEmpty() ? ALL : new SubjectFilter(List.copyOf(unique), false);
    }

    /** Whether {@code subject} matches one of the patterns. */
    public boolean matches(String subject) {
        if (all) {
            return true;
        }
        if (literal) {
            // A consumer on one subject (an MQTT subscription without wildcards) tests every stored message.
            return array[0].equals(subject);
        }
        for (String pattern : array) {
            if (matches(pattern, subject)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the filter matches every subject. */
    public boolean matchesAll() {
        return all;
    }

    /** The subject, when the filter is a single subject without wildcards. */
    public Optional<String> literal() {
        return literal ? Optional.of(array[0]) : Optional.empty();
    }

    /** The patterns, in the order given. */
    public List<String> patterns() {
        return patterns;
    }

    /** Whether {@code subject} has no wildcard token. */
    public static boolean isLiteral(String subject) {
        int start = 0;
        int length = subject.length();
        while (start <= length) {
            int end = subject.indexOf('.', start);
            if (end < 0) {
                end = length;
            }
            if (end - start == 1 && (subject.charAt(start) == '*' || subject.charAt(start) == '>')) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /** Whether the literal {@code subject} matches {@code pattern}, token by token, without allocating. */
    public static boolean matches(String pattern, String subject) {
        int p = 0;
        int s = 0;
        int plen = pattern.length();
        int slen = subject.length();
        while (p <= plen) {
            if (s > slen) {
                return false;
            }
            int pe = pattern.indexOf('.', p);
            if (pe < 0) {
                pe = plen;
            }
            int se = subject.indexOf('.', s);
            if (se < 0) {
                se = slen;
            }
            int tokenLength = pe - p;
            if (tokenLength == 1 && pattern.charAt(p) == '>') {
                return s < slen;
            }
            boolean any = tokenLength == 1 && pattern.charAt(p) == '*';
            if (!any && (tokenLength != se - s || !pattern.regionMatches(p, subject, s, tokenLength))) {
                return false;
            }
            p = pe + 1;
            s = se + 1;
        }
        return s > slen;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SubjectFilter f && f.patterns.equals(patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode();
    }

    @Override
    public String toString() {
        return all ? ">" : String.join(",", patterns);
    }
}
