package nats.server.internal.account;

import java.util.ArrayList;
import java.util.List;

import nats.server.internal.routing.SubjectMatcher;
import nats.server.options.AccountConfig.Mapping;

/**
 * Rewrites subjects matching a source filter into a destination: {@code $1} or {@code {{wildcard(1)}}}
 * in the destination stand for the token the first {@code *} of the source matched, a trailing {@code >}
 * carries the rest over. Used for subject mappings and for import subjects that differ between accounts.
 */
public final class SubjectTransform {

    private final String source;
    private final String[] sourceTokens;
    /** Per destination token: a literal, or a reference to a source wildcard (REST for {@code >}). */
    private final String[] literals;
    private final int[] references;
    private static final int LITERAL = 0;
    private static final int REST = -1;

    private SubjectTransform(String source, String[] literals, int[] references) {
        this.source = source;
        this.sourceTokens = source.split("\\.", -1);
        this.literals = literals;
        this.references = references;
    }

    /**
     * @throws IllegalArgumentException when the destination refers to a wildcard the source lacks, or uses
     *                                  a function this server does not provide
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
        String[] literals = new String[dst.length];
        int[] references = new int[dst.length];
        for (int i = 0; i < dst.length; i++) {
            String t = dst[i];
            int ref = reference(t);
            if (ref > 0) {
                if (ref > wildcards) {
                    throw new IllegalArgumentException("destination \"" + destination
                            + "\" refers to wildcard " + ref + " but the source \"" + source + "\" has " + wildcards);
                }
                references[i] = ref;
            } else if (t.equals(">")) {
                if (!sourceRest || i != dst.length - 1) {
                    throw new IllegalArgumentException("destination \"" + destination
                            + "\" may use '>' only as its last token and only when the source ends in '>'");
                }
                references[i] = REST;
            } else if (t.startsWith("{{")) {
                throw new IllegalArgumentException("mapping function " + t + " is not supported by jnatsd yet");
            } else if (t.equals("*")) {
                throw new IllegalArgumentException("destination \"" + destination + "\" can not contain '*'");
            } else {
                literals[i] = t;
            }
        }
        return new SubjectTransform(source, literals, references);
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

    private static int reference(String token) {
        String digits = null;
        if (token.length() > 1 && token.charAt(0) == '$') {
            digits = token.substring(1);
        } else if (token.startsWith("{{") && token.endsWith("}}")) {
            String inner = token.substring(2, token.length() - 2).strip();
            if (inner.startsWith("wildcard(") && inner.endsWith(")")) {
                digits = inner.substring("wildcard(".length(), inner.length() - 1).strip();
            }
        }
        if (digits == null || digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            return LITERAL;
        }
        return Integer.parseInt(digits);
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
        for (int i = 0; i < literals.length; i++) {
            if (i > 0) {
                out.append('.');
            }
            int ref = references[i];
            if (ref > 0) {
                out.append(wildcardValues.get(ref - 1));
            } else if (ref == REST) {
                out.append(String.join(".", java.util.Arrays.copyOfRange(tokens, restFrom, tokens.length)));
            } else {
                out.append(literals[i]);
            }
        }
        return out.toString();
    }

    /** The destination as a filter: what {@link #apply} can produce, with references shown as {@code *}. */
    public String destinationFilter() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < literals.length; i++) {
            out.append(i == 0 ? "" : ".").append(references[i] > 0 ? "*" : references[i] == REST ? ">" : literals[i]);
        }
        return out.toString();
    }

    /**
     * The transform back from the destination to the source, for subscriptions made on the destination
     * side. Only defined when every source wildcard appears once in the destination.
     */
    public SubjectTransform reverse() {
        int[] positionOfReference = new int[sourceTokens.length + 1];
        int dstWildcard = 0;
        for (int i = 0; i < references.length; i++) {
            if (references[i] > 0) {
                positionOfReference[references[i]] = ++dstWildcard;
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
