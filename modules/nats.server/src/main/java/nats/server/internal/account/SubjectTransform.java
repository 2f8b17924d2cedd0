package nats.server.internal.account;

import java.util.ArrayList;
import java.util.List;

import nats.server.internal.routing.SubjectMatcher;
import nats.server.options.AccountConfig.Mapping;

/**
 * Rewrites subjects matching a source filter into a destination, with Go 2.9's mapping functions in the
 * destination: {@code $1} or {@code {{wildcard(1)}}} for the token the first {@code *} of the source matched,
 * {@code {{partition(n,1,2)}}} (FNV-1a hash of those tokens modulo n), {@code {{splitFromLeft(1,3)}}},
 * {@code {{splitFromRight(1,3)}}}, {@code {{sliceFromLeft(1,2)}}}, {@code {{sliceFromRight(1,2)}}} and
 * {@code {{split(1,-)}}}; a trailing {@code >} carries the rest over. Used for subject mappings and for import
 * subjects that differ between accounts.
 */
public final class SubjectTransform {

    /** What one destination token becomes. */
    private enum Kind { LITERAL, WILDCARD, REST, PARTITION, SPLIT_FROM_LEFT, SPLIT_FROM_RIGHT, SLICE_FROM_LEFT,
        SLICE_FROM_RIGHT, SPLIT }

    /**
     * One destination token: a literal, or a function of source wildcards ({@code wildcards}, 1-based) with
     * an integer or string argument.
     */
    private record Part(Kind kind, String literal, int[] wildcards, int intArg, String stringArg) {
        static Part literal(String text) {
            return new Part(Kind.LITERAL, text, new int[0], 0, "");
        }
    }

    private static final java.util.regex.Pattern FUNCTION =
            java.util.regex.Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*\\((.*)\\)\\s*}}");

    private final String source;
    private final String[] sourceTokens;
    private final Part[] parts;

    private SubjectTransform(String source, Part[] parts) {
        this.source = source;
        this.sourceTokens = source.split("\\.", -1);
        this.parts = parts;
    }

    /**
     * @throws IllegalArgumentException with Go's text when the destination refers to a wildcard the source
     *                                  lacks, leaves one unused, or calls a function wrongly
     */
    public static SubjectTransform of(String source, String destination) {
        String[] src = source.split("\\.", -1);
        int wildcards = 0;
        boolean sourceRest = false;
        for (String t : src) {
            if (t.equals("*")) {
                wildcards++;
            } else if (t.equals(">")) {
                sourceRest = true;
            }
        }
        String[] dst = destination.split("\\.", -1);
        Part[] parts = new Part[dst.length];
        int placeholders = 0;
        for (int i = 0; i < dst.length; i++) {
            String t = dst[i];
            if (t.equals(">")) {
                if (!sourceRest || i != dst.length - 1) {
                    throw new IllegalArgumentException("destination \"" + destination
                            + "\" may use '>' only as its last token and only when the source ends in '>'");
                }
                parts[i] = new Part(Kind.REST, t, new int[0], 0, "");
                continue;
            }
            if (t.equals("*")) {
                throw new IllegalArgumentException("destination \"" + destination + "\" can not contain '*'");
            }
            // As in Go, placeholders mean something only when the source has wildcards.
            Part part = wildcards > 0 || sourceRest ? placeholder(t) : null;
            if (part == null) {
                parts[i] = Part.literal(t);
                continue;
            }
            for (int w : part.wildcards()) {
                if (w > wildcards || w < 1) {
                    throw invalid("wildcard index out of range", t + ": [" + w + "]");
                }
            }
            placeholders++;
            parts[i] = part;
        }
        if (placeholders < wildcards) {
            throw invalid("not using all of the token wildcard(s)", destination);
        }
        return new SubjectTransform(source, parts);
    }

    /** Go's mappingDestinationErr text. */
    private static IllegalArgumentException invalid(String reason, String token) {
        return new IllegalArgumentException("invalid mapping destination: " + reason + " in " + token);
    }

    /** A {@code $n} or {@code {{function(args)}}} token; null for a literal. */
    private static Part placeholder(String token) {
        if (token.length() > 1 && token.charAt(0) == '$') {
            String digits = token.substring(1);
            return digits.chars().allMatch(Character::isDigit)
                    ? new Part(Kind.WILDCARD, token, new int[] {Integer.parseInt(digits)}, 0, "") : null;
        }
        if (token.length() <= 4 || !token.startsWith("{{") || !token.endsWith("}}")) {
            return null;
        }
        java.util.regex.Matcher m = FUNCTION.matcher(token);
        if (!m.matches()) {
            throw invalid("unknown function", token);
        }
        String name = m.group(1).toLowerCase(java.util.Locale.ROOT);
        String[] args = m.group(2).split(",\\s*", -1);
        return switch (name) {
            case "wildcard" -> {
                if (args.length == 1 && args[0].isEmpty()) {
                    throw invalid("not enough arguments passed to the function", token);
                }
                if (args.length > 1) {
                    throw invalid("too many arguments passed to the function", token);
                }
                yield new Part(Kind.WILDCARD, token, new int[] {integer(args[0], token)}, 0, "");
            }
            case "partition" -> {
                if (args.length < 2) {
                    throw invalid("not enough arguments passed to the function", token);
                }
                int[] refs = new int[args.length - 1];
                for (int i = 1; i < args.length; i++) {
                    refs[i - 1] = integer(args[i], token);
                }
                yield new Part(Kind.PARTITION, token, refs, integer(args[0], token), "");
            }
            case "splitfromleft" -> indexAndInt(Kind.SPLIT_FROM_LEFT, args, token);
            case "splitfromright" -> indexAndInt(Kind.SPLIT_FROM_RIGHT, args, token);
            case "slicefromleft" -> indexAndInt(Kind.SLICE_FROM_LEFT, args, token);
            case "slicefromright" -> indexAndInt(Kind.SLICE_FROM_RIGHT, args, token);
            case "split" -> {
                if (args.length < 2) {
                    throw invalid("not enough arguments passed to the function", token);
                }
                if (args.length > 2) {
                    throw invalid("too many arguments passed to the function", token);
                }
                int index = integer(args[0], token);
                if (args[1].contains(" ") || args[1].contains(".")) {
                    throw invalid("function argument is invalid or in the wrong format", token);
                }
                yield new Part(Kind.SPLIT, token, new int[] {index}, 0, args[1]);
            }
            default -> throw invalid("unknown function", token);
        };
    }

    private static Part indexAndInt(Kind kind, String[] args, String token) {
        if (args.length < 2) {
            throw invalid("not enough arguments passed to the function", token);
        }
        if (args.length > 2) {
            throw invalid("too many arguments passed to the function", token);
        }
        return new Part(kind, token, new int[] {integer(args[0], token)}, integer(args[1], token), "");
    }

    private static int integer(String text, String token) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw invalid("function argument is invalid or in the wrong format", token);
        }
    }

    /**
     * For imports Go numbers the {@code *} tokens of the destination in order, so {@code foo.*} imported as
     * {@code bar.*} maps {@code foo.x} to {@code bar.x}.
     */
    public static SubjectTransform positional(String source, String destination) {
        String[] dst = destination.split("\\.", -1);
        int n = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dst.length; i++) {
            sb.append(i == 0 ? "" : ".").append(dst[i].equals("*") ? "$" + (++n) : dst[i]);
        }
        return of(source, sb.toString());
    }

    public String source() {
        return source;
    }

    public boolean matches(String subject) {
        return SubjectMatcher.matches(subject, source);
    }

    /** Rewrites {@code subject}, which must match the source. */
    public String apply(String subject) {
        String[] tokens = subject.split("\\.", -1);
        List<String> wildcardValues = new ArrayList<>(4);
        int restFrom = -1;
        for (int i = 0; i < sourceTokens.length && i < tokens.length; i++) {
            if (sourceTokens[i].equals("*")) {
                wildcardValues.add(tokens[i]);
            } else if (sourceTokens[i].equals(">")) {
                restFrom = i;
            }
        }
        StringBuilder out = new StringBuilder(subject.length() + 16);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append('.');
            }
            Part p = parts[i];
            switch (p.kind()) {
                case LITERAL -> out.append(p.literal());
                case REST -> out.append(String.join(".", java.util.Arrays.copyOfRange(tokens, restFrom, tokens.length)));
                case WILDCARD -> out.append(wildcardValues.get(p.wildcards()[0] - 1));
                case PARTITION -> {
                    StringBuilder key = new StringBuilder();
                    for (int w : p.wildcards()) {
                        key.append(wildcardValues.get(w - 1));
                    }
                    out.append(Integer.toUnsignedLong(fnv1a(key.toString())) % p.intArg());
                }
                case SPLIT_FROM_LEFT -> splitAt(out, wildcardValues.get(p.wildcards()[0] - 1), p.intArg(), true);
                case SPLIT_FROM_RIGHT -> splitAt(out, wildcardValues.get(p.wildcards()[0] - 1), p.intArg(), false);
                case SLICE_FROM_LEFT -> sliceFromLeft(out, wildcardValues.get(p.wildcards()[0] - 1), p.intArg());
                case SLICE_FROM_RIGHT -> sliceFromRight(out, wildcardValues.get(p.wildcards()[0] - 1), p.intArg());
                case SPLIT -> split(out, wildcardValues.get(p.wildcards()[0] - 1), p.stringArg());
            }
        }
        return out.toString();
    }

    /** 32-bit FNV-1a over the subject's bytes, the hash Go's partition() uses. */
    private static int fnv1a(String text) {
        int hash = 0x811c9dc5;
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }

    /** splitFromLeft/Right: one split at {@code position}, counted from the left or right; short tokens stay. */
    private static void splitAt(StringBuilder out, String token, int position, boolean fromLeft) {
        if (position <= 0 || position >= token.length()) {
            out.append(token);
            return;
        }
        int at = fromLeft ? position : token.length() - position;
        out.append(token, 0, at).append('.').append(token, at, token.length());
    }

    /** sliceFromLeft: pieces of {@code size} from the left, the remainder last. */
    private static void sliceFromLeft(StringBuilder out, String token, int size) {
        if (size <= 0 || size >= token.length()) {
            out.append(token);
            return;
        }
        for (int i = 0; i + size <= token.length(); i += size) {
            if (i != 0) {
                out.append('.');
            }
            out.append(token, i, i + size);
            if (i + size != token.length() && i + 2 * size > token.length()) {
                out.append('.').append(token, i + size, token.length());
                break;
            }
        }
    }

    /** sliceFromRight: the remainder first, then pieces of {@code size}. */
    private static void sliceFromRight(StringBuilder out, String token, int size) {
        if (size <= 0 || size >= token.length()) {
            out.append(token);
            return;
        }
        int remainder = token.length() % size;
        if (remainder > 0) {
            out.append(token, 0, remainder).append('.');
        }
        for (int i = remainder; i + size <= token.length(); i += size) {
            out.append(token, i, i + size);
            if (i + size < token.length()) {
                out.append('.');
            }
        }
    }

    /** split: the token cut at each {@code delimiter}, empty pieces dropped, as Go does. */
    private static void split(StringBuilder out, String token, String delimiter) {
        String[] pieces = token.split(java.util.regex.Pattern.quote(delimiter), -1);
        for (int j = 0; j < pieces.length; j++) {
            if (!pieces[j].isEmpty()) {
                out.append(pieces[j]);
            }
            if (j < pieces.length - 1 && !pieces[j + 1].isEmpty() && !(j == 0 && pieces[j].isEmpty())) {
                out.append('.');
            }
        }
    }

    /** The destination as a filter: what {@link #apply} can produce, with placeholders shown as {@code *}. */
    public String destinationFilter() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            Kind kind = parts[i].kind();
            out.append(i == 0 ? "" : ".").append(kind == Kind.LITERAL ? parts[i].literal() : kind == Kind.REST ? ">" : "*");
        }
        return out.toString();
    }

    /**
     * The transform back from the destination to the source, for subscriptions made on the destination
     * side. Only defined when every source wildcard appears once in the destination, by plain reference.
     */
    public SubjectTransform reverse() {
        int[] positionOfReference = new int[sourceTokens.length + 1];
        int dstWildcard = 0;
        for (Part part : parts) {
            if (part.kind() == Kind.WILDCARD) {
                positionOfReference[part.wildcards()[0]] = ++dstWildcard;
            } else if (part.kind() != Kind.LITERAL && part.kind() != Kind.REST) {
                throw new IllegalArgumentException("transform from \"" + source + "\" is not reversible");
            }
        }
        StringBuilder back = new StringBuilder();
        int srcWildcard = 0;
        for (int i = 0; i < sourceTokens.length; i++) {
            back.append(i == 0 ? "" : ".");
            if (sourceTokens[i].equals("*")) {
                int p = positionOfReference[++srcWildcard];
                if (p == 0) {
                    throw new IllegalArgumentException("transform from \"" + source + "\" is not reversible");
                }
                back.append('$').append(p);
            } else {
                back.append(sourceTokens[i]);
            }
        }
        return of(destinationFilter(), back.toString());
    }

    /** Validates a configured mapping as Go's AddWeightedMappings does. */
    public static Mapping checked(Mapping mapping) {
        int total = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Mapping.Destination d : mapping.destinations()) {
            if (!seen.add(d.subject())) {
                throw new IllegalArgumentException("duplicate entry for \"" + d.subject() + "\"");
            }
            if (d.weight() > 100) {
                throw new IllegalArgumentException("individual weights need to be <= 100");
            }
            total += d.weight();
            if (total > 100) {
                throw new IllegalArgumentException("total weight needs to be <= 100");
            }
            of(mapping.source(), d.subject());
        }
        return mapping;
    }
}
