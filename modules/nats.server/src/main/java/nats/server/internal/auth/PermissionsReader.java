package nats.server.internal.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads permissions and user limits, shared by user claims, account defaults and scoped signing keys. */
final class PermissionsReader {

    private PermissionsReader() {
    }

    static JwtPermissions permissions(GoJsonFields json) {
        Optional<JwtPermissions.ResponsePermission> resp = Optional.empty();
        if (json.value("resp") != null) {
            GoJsonFields r = json.object("resp");
            resp = Optional.of(new JwtPermissions.ResponsePermission(r.int64("max"), Duration.ofNanos(r.int64("ttl"))));
        }
        return new JwtPermissions(permission(json.object("pub")), permission(json.object("sub")), resp);
    }

    private static JwtPermissions.Permission permission(GoJsonFields json) {
        return new JwtPermissions.Permission(json.strings("allow"), json.strings("deny"));
    }

    /**
     * A user's permissions and limits; {@code limitsWhenAbsent} are the limits Go starts from before
     * decoding (zero for v2 users, unlimited for v1 users and scope templates).
     */
    static UserPermissionLimits userPermissionLimits(GoJsonFields json, NatsLimits limitsWhenAbsent,
            boolean readConnectionTypes) {
        NatsLimits limits = new NatsLimits(
                json.int64("subs", limitsWhenAbsent.subs()),
                json.int64("data", limitsWhenAbsent.data()),
                json.int64("payload", limitsWhenAbsent.payload()));
        JwtPermissions permissions = permissions(json);
        List<String> connectionTypes = readConnectionTypes ? json.strings("allowed_connection_types") : List.of();
        String locale = json.string("times_location");
        boolean bearer = json.bool("bearer_token");
        boolean goZeroValue = !declared(json.object("pub"), "allow") && !declared(json.object("pub"), "deny")
                && !declared(json.object("sub"), "allow") && !declared(json.object("sub"), "deny")
                && !declared(json, "resp") && !declared(json, "src") && !declared(json, "times")
                && locale.isEmpty() && limits.equals(NatsLimits.ZERO) && !bearer
                && !(readConnectionTypes && declared(json, "allowed_connection_types"));
        return new UserPermissionLimits(permissions, cidrList(json, "src"), timeRanges(json), locale, limits, bearer,
                connectionTypes, goZeroValue);
    }

    /** Go decodes a present list, even an empty one, to a non-nil slice: only absent or null stays nil. */
    private static boolean declared(GoJsonFields json, String name) {
        return json.value(name) != null;
    }

    /** Go's {@code CIDRList}: a JSON list taken as is, or one comma-separated string, trimmed and lowercased. */
    private static List<String> cidrList(GoJsonFields json, String name) {
        if (!(json.value(name) instanceof String joined)) {
            return json.strings(name);
        }
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : joined.toLowerCase(Locale.ROOT).split(",", -1)) {
            String cleaned = entry.strip().toLowerCase(Locale.ROOT);
            if (!cleaned.isEmpty()) {
                entries.add(cleaned);
            }
        }
        return List.copyOf(entries);
    }

    private static List<UserPermissionLimits.TimeRange> timeRanges(GoJsonFields json) {
        List<UserPermissionLimits.TimeRange> ranges = new ArrayList<>();
        for (Object element : json.array("times")) {
            GoJsonFields range = GoJsonFields.of(element, json.path("times"));
            ranges.add(new UserPermissionLimits.TimeRange(range.string("start"), range.string("end")));
        }
        return List.copyOf(ranges);
    }
}
