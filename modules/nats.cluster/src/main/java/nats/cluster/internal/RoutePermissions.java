package nats.cluster.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.transport.protocol.Subjects;

/**
 * A cluster's {@code permissions { import, export }}: what this server takes from routes (import, checked
 * before it announces its interest: Go's canImport) and what it offers them (export, checked on the interest
 * they announce: Go's canExport). Empty lists mean no such rule.
 */
public record RoutePermissions(Optional<List<String>> importAllow, List<String> importDeny,
                               Optional<List<String>> exportAllow, List<String> exportDeny) {

    public static final RoutePermissions NONE = new RoutePermissions(Optional.empty(), List.of(), Optional.empty(),
            List.of());

    public RoutePermissions {
        importDeny = List.copyOf(importDeny);
        exportDeny = List.copyOf(exportDeny);
    }

    /** Whether interest in {@code subject} is announced to a route (messages on it may come in). */
    public boolean canImport(String subject) {
        return allowed(subject, importAllow, importDeny);
    }

    /** Whether a route's interest in {@code subject} is accepted (messages on it may go out). */
    public boolean canExport(String subject) {
        return allowed(subject, exportAllow, exportDeny);
    }

    public boolean isEmpty() {
        return importAllow.isEmpty() && importDeny.isEmpty() && exportAllow.isEmpty() && exportDeny.isEmpty();
    }

    /** Go's INFO and /routez form of the import rules: {@code {"allow":[..],"deny":[..]}}, empty when none. */
    public Optional<Map<String, Object>> importJson() {
        return json(importAllow, importDeny);
    }

    public Optional<Map<String, Object>> exportJson() {
        return json(exportAllow, exportDeny);
    }

    private static Optional<Map<String, Object>> json(Optional<List<String>> allow, List<String> deny) {
        if (allow.isEmpty() && deny.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        allow.ifPresent(a -> m.put("allow", a));
        if (!deny.isEmpty()) {
            m.put("deny", deny);
        }
        return Optional.of(m);
    }

    /** Permissions a peer announced in its INFO ({@code import}/{@code export} objects). */
    @SuppressWarnings("unchecked")
    public static RoutePermissions fromInfo(Object importJson, Object exportJson) {
        return new RoutePermissions(list(importJson, "allow"), list(importJson, "deny").orElse(List.of()),
                list(exportJson, "allow"), list(exportJson, "deny").orElse(List.of()));
    }

    private static Optional<List<String>> list(Object json, String key) {
        if (json instanceof Map<?, ?> m && m.get(key) instanceof List<?> l) {
            return Optional.of(l.stream().map(String::valueOf).toList());
        }
        return Optional.empty();
    }

    /** Go's sublist check: any allow entry (none means all) and no deny entry matches. */
    private static boolean allowed(String subject, Optional<List<String>> allow, List<String> deny) {
        if (allow.isPresent() && allow.get().stream().noneMatch(a -> Subjects.matches(subject, a))) {
            return false;
        }
        return deny.stream().noneMatch(d -> Subjects.matches(subject, d));
    }
}
