package nats.leafnode.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.transport.protocol.Subjects;

/**
 * One direction of a leaf connection's permissions, as Go keeps them: an optional allow list (none means all)
 * and a deny list. Built from the hub's INFO ({@code import}/{@code export}) merged with the remote's
 * {@code deny_imports}/{@code deny_exports}, or on the hub from the leaf's {@code deny_pub}.
 */
final class SubjectRules {

    static final SubjectRules ALL = new SubjectRules(Optional.empty(), List.of());

    private final Optional<List<String>> allow;
    private final List<String> deny;
    /** The same lists split once, for the check of every message sent; null for no allow list. */
    private final SubjectPattern[] allowPatterns;
    private final SubjectPattern[] denyPatterns;

    SubjectRules(Optional<List<String>> allow, List<String> deny) {
        this.allow = allow;
        this.deny = List.copyOf(deny);
        this.allowPatterns = allow.map(SubjectRules::compile).orElse(null);
        this.denyPatterns = compile(this.deny);
    }

    private static SubjectPattern[] compile(List<String> subjects) {
        return subjects.stream().map(SubjectPattern::new).toArray(SubjectPattern[]::new);
    }

    /** Whether {@code subject} passes: some allow entry (or none configured) and no deny entry matches. */
    boolean allows(String subject) {
        byte[] bytes = subject.getBytes(StandardCharsets.UTF_8);
        return allows(bytes, 0, bytes.length);
    }

    /** As {@link #allows(String)} for a message's subject bytes, without copying them (every message sent). */
    boolean allows(byte[] subject, int offset, int length) {
        if (allowPatterns != null && !anyMatches(allowPatterns, subject, offset, length)) {
            return false;
        }
        return !anyMatches(denyPatterns, subject, offset, length);
    }

    private static boolean anyMatches(SubjectPattern[] patterns, byte[] subject, int offset, int length) {
        for (SubjectPattern p : patterns) {
            if (p.matches(subject, offset, length)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Go's canSubscribe for a leaf connection: a wildcard subscription wider than an allowed subject passes too
     * (the messages are pruned one by one when they are sent), and none a deny entry matches.
     */
    boolean allowsInterest(String subject) {
        if (allow.isPresent() && allow.get().stream().noneMatch(a -> Subjects.matches(subject, a))) {
            boolean wildcard = subject.indexOf('*') >= 0 || subject.indexOf('>') >= 0;
            if (!wildcard || allow.get().stream().noneMatch(a -> Subjects.matches(a, subject))) {
                return false;
            }
        }
        return deny.isEmpty() || deny.stream().noneMatch(d -> Subjects.matches(subject, d));
    }

    boolean isEmpty() {
        return allow.isEmpty() && deny.isEmpty();
    }

    /** These rules with {@code more} denied too. */
    SubjectRules denying(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(deny);
        all.addAll(more);
        return new SubjectRules(allow, all);
    }

    /** Go's SubjectPermission as JSON ({@code {"allow":[..],"deny":[..]}}), empty when there are no rules. */
    Optional<Map<String, Object>> json() {
        if (isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        allow.ifPresent(a -> m.put("allow", a));
        if (!deny.isEmpty()) {
            m.put("deny", deny);
        }
        return Optional.of(m);
    }

    /** Rules from a peer's INFO ({@code {"allow":[..],"deny":[..]}}), ALL when absent. */
    static SubjectRules fromJson(Object json) {
        if (!(json instanceof Map<?, ?> m)) {
            return ALL;
        }
        Optional<List<String>> allow = m.get("allow") instanceof List<?> l
                ? Optional.of(l.stream().map(String::valueOf).toList()) : Optional.empty();
        List<String> deny = m.get("deny") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        return new SubjectRules(allow, deny);
    }
}
