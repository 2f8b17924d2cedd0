package nats.jetstream.internal.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A subject transform for streams, sources and republish: a source pattern with wildcards and a destination
 * that refers to them by position ({@code $1}, {@code {{wildcard(1)}}}); {@code {{partition(n,1,...)}}} and the
 * other mapping functions of Go's {@code subject_transform.go} are supported for the common forms.
 */
public final class SubjectTransform {

    private final String[] source;
    private final List<Object> destination;
    private final int[] wildcardPositions;

    private SubjectTransform(String[] source, List<Object> destination, int[] wildcardPositions) {
        this.source = source;
        this.destination = destination;
        this.wildcardPositions = wildcardPositions;
    }

    /** One destination token: literal text, or a function of the source's wildcard tokens. */
    private record Ref(String function, int[] wildcards, long[] args) {
    }

    /**
     * Builds a transform.
     *
     * @throws IllegalArgumentException with Go's text when the pair is not valid
     */
    public static SubjectTransform of(String source, String destination) {
        String src = source.isEmpty() ? ">" : source;
        if (!SubjectRules.isValidSubject(src)) {
            throw new IllegalArgumentException("invalid source subject");
        }
        String[] srcTokens = src.split("\\.", -1);
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < srcTokens.length; i++) {
            if (srcTokens[i].equals("*")) {
                positions.add(i);
            }
        }
        int[] wildcardPositions = positions.stream().mapToInt(Integer::intValue).toArray();
        if (destination.isEmpty()) {
            return new SubjectTransform(srcTokens, List.of(), wildcardPositions);
        }
        if (!SubjectRules.isValidSubject(destination)) {
            throw new IllegalArgumentException("invalid mapping destination");
        }
        List<Object> dest = new ArrayList<>();
        for (String token : destination.split("\\.", -1)) {
            dest.add(parseToken(token, wildcardPositions.length));
        }
        return new SubjectTransform(srcTokens, dest, wildcardPositions);
    }

    private static Object parseToken(String token, int wildcards) {
        if (token.length() > 1 && token.charAt(0) == '$' && token.substring(1).chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(token.substring(1));
            checkIndex(n, wildcards);
            return new Ref("wildcard", new int[] {n}, new long[0]);
        }
        if (token.startsWith("{{") && token.endsWith("}}")) {
            String body = token.substring(2, token.length() - 2).strip();
            int open = body.indexOf('(');
            if (open < 0 || !body.endsWith(")")) {
                throw new IllegalArgumentException("invalid mapping destination");
            }
            String fn = body.substring(0, open).strip().toLowerCase(java.util.Locale.ROOT);
            String[] args = body.substring(open + 1, body.length() - 1).split(",");
            List<Integer> refs = new ArrayList<>();
            List<Long> nums = new ArrayList<>();
            switch (fn) {
                case "wildcard" -> refs.add(Integer.parseInt(args[0].strip()));
                case "partition" -> {
                    nums.add(Long.parseLong(args[0].strip()));
                    for (int i = 1; i < args.length; i++) {
                        refs.add(Integer.parseInt(args[i].strip()));
                    }
                }
                case "splitfromleft", "splitfromright", "slicefromleft", "slicefromright" -> {
                    refs.add(Integer.parseInt(args[0].strip()));
                    nums.add(Long.parseLong(args[1].strip()));
                }
                default -> throw new IllegalArgumentException("invalid mapping destination");
            }
            for (int r : refs) {
                checkIndex(r, wildcards);
            }
            return new Ref(fn, refs.stream().mapToInt(Integer::intValue).toArray(),
                    nums.stream().mapToLong(Long::longValue).toArray());
        }
        return token;
    }

    private static void checkIndex(int n, int wildcards) {
        if (n < 1 || n > wildcards) {
            throw new IllegalArgumentException("invalid mapping destination");
        }
    }

    /** Whether {@code subject} matches the source. */
    public boolean matches(String subject) {
        return nats.jetstream.store.SubjectFilter.matches(String.join(".", source), subject);
    }

    /** The mapped subject, or null when {@code subject} does not match the source. */
    public String apply(String subject) {
        if (!matches(subject)) {
            return null;
        }
        if (destination.isEmpty()) {
            return subject;
        }
        String[] tokens = subject.split("\\.", -1);
        StringBuilder out = new StringBuilder(subject.length() + 16);
        for (int i = 0; i < destination.size(); i++) {
            if (i > 0) {
                out.append('.');
            }
            Object d = destination.get(i);
            if (d instanceof String literal) {
                if (literal.equals(">")) {
                    // A trailing '>' in the destination takes what the source's '>' matched.
                    int from = source.length - 1;
                    out.append(String.join(".", java.util.Arrays.copyOfRange(tokens, from, tokens.length)));
                } else {
                    out.append(literal);
                }
            } else {
                Ref ref = (Ref) d;
                out.append(evaluate(ref, tokens));
            }
        }
        return out.toString();
    }

    private String evaluate(Ref ref, String[] tokens) {
        switch (ref.function()) {
            case "wildcard" -> {
                return tokens[wildcardPositions[ref.wildcards()[0] - 1]];
            }
            case "partition" -> {
                StringBuilder key = new StringBuilder();
                for (int w : ref.wildcards()) {
                    key.append(tokens[wildcardPositions[w - 1]]);
                }
                long partitions = ref.args()[0];
                long hash = fnv1a(key.toString());
                return Long.toString(Long.remainderUnsigned(hash, partitions));
            }
            default -> {
                String token = tokens[wildcardPositions[ref.wildcards()[0] - 1]];
                int n = (int) ref.args()[0];
                return switch (ref.function()) {
                    case "splitfromleft" -> n <= 0 || n >= token.length() ? token
                            : token.substring(0, n) + "." + token.substring(n);
                    case "splitfromright" -> n <= 0 || n >= token.length() ? token
                            : token.substring(0, token.length() - n) + "." + token.substring(token.length() - n);
                    case "slicefromleft" -> slice(token, n, true);
                    default -> slice(token, n, false);
                };
            }
        }
    }

    private static String slice(String token, int n, boolean fromLeft) {
        if (n <= 0 || n >= token.length()) {
            return token;
        }
        List<String> parts = new ArrayList<>();
        if (fromLeft) {
            for (int i = 0; i < token.length(); i += n) {
                parts.add(token.substring(i, Math.min(token.length(), i + n)));
            }
        } else {
            int first = token.length() % n;
            if (first > 0) {
                parts.add(token.substring(0, first));
            }
            for (int i = first; i < token.length(); i += n) {
                parts.add(token.substring(i, i + n));
            }
        }
        return String.join(".", parts);
    }

    /** 32-bit FNV-1a, as Go's partition function hashes the key. */
    private static long fnv1a(String key) {
        int hash = 0x811c9dc5;
        for (byte b : key.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= 0x01000193;
        }
        return Integer.toUnsignedLong(hash);
    }
}
