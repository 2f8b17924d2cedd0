package nats.jetstream.internal.engine;

import nats.jetstream.store.SubjectFilter;

/** Subject and name checks with the Go server's rules ({@code IsValidSubject}, {@code SubjectsCollide}, ...). */
public final class SubjectRules {

    /** Go's {@code JSMaxNameLen}. */
    public static final int MAX_NAME_LENGTH = 255;
    /** Go's {@code JSMaxDescriptionLen}. */
    public static final int MAX_DESCRIPTION_LENGTH = 4 * 1024;

    private SubjectRules() {
    }

    /** A stream or consumer name: not empty, no {@code .}, {@code *}, {@code >} or whitespace ({@code isValidName}). */
    public static boolean isValidName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.' || c == '*' || c == '>' || Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a name contains a path separator (Go refuses those for stream and consumer names). */
    public static boolean hasPathSeparator(String name) {
        return name.indexOf('/') >= 0 || name.indexOf('\\') >= 0;
    }

    /** A valid subject: tokens not empty, no whitespace, {@code >} only last. */
    public static boolean isValidSubject(String subject) {
        if (subject.isEmpty()) {
            return false;
        }
        int start = 0;
        int length = subject.length();
        while (start <= length) {
            int end = subject.indexOf('.', start);
            if (end < 0) {
                end = length;
            }
            if (end == start) {
                return false;
            }
            for (int i = start; i < end; i++) {
                char c = subject.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
                    return false;
                }
            }
            if (end - start == 1 && subject.charAt(start) == '>' && end != length) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    public static boolean isLiteral(String subject) {
        return SubjectFilter.isLiteral(subject);
    }

    public static boolean isValidLiteralSubject(String subject) {
        return isValidSubject(subject) && isLiteral(subject);
    }

    /** Whether some subject matches both patterns ({@code SubjectsCollide}). */
    public static boolean collide(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        String[] ta = a.split("\\.", -1);
        String[] tb = b.split("\\.", -1);
        int n = Math.min(ta.length, tb.length);
        for (int i = 0; i < n; i++) {
            String x = ta[i];
            String y = tb[i];
            if (x.equals(">") || y.equals(">")) {
                return true;
            }
            if (!x.equals(y) && !x.equals("*") && !y.equals("*")) {
                return false;
            }
        }
        if (ta.length == tb.length) {
            return true;
        }
        // The longer one may still match if the shorter one ends in '>' (handled above); otherwise not.
        return false;
    }

    /** Whether every subject matching {@code subject} also matches {@code pattern} ({@code subjectIsSubsetMatch}). */
    public static boolean isSubset(String subject, String pattern) {
        String[] ts = subject.split("\\.", -1);
        String[] tp = pattern.split("\\.", -1);
        for (int i = 0; i < ts.length; i++) {
            if (i >= tp.length) {
                return false;
            }
            String p = tp[i];
            String s = ts[i];
            if (p.equals(">")) {
                return true;
            }
            if (p.equals("*")) {
                if (s.equals(">")) {
                    return false;
                }
                continue;
            }
            if (!p.equals(s)) {
                return false;
            }
        }
        return ts.length == tp.length;
    }
}
