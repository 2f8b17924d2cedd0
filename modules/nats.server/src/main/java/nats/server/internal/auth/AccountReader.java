package nats.server.internal.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the {@code nats} object of an account JWT into {@link AccountClaims}. */
final class AccountReader {

    private static final String USER_SCOPE = "user_scope";

    private AccountReader() {
    }

    /** Version 1 accounts had plain signing keys, no JetStream, defaults, mappings or info; Go reads none. */
    static AccountClaims account(ClaimsData data, GenericFields fields, GoJsonFields nats, boolean v1) {
        return new AccountClaims(
                data,
                fields,
                ExportsReader.imports(nats),
                ExportsReader.exports(nats),
                limits(nats.object("limits"), v1),
                v1 ? plainSigningKeys(nats.strings("signing_keys")) : signingKeys(nats),
                revocations(nats, "revocations"),
                v1 ? JwtPermissions.NONE : PermissionsReader.permissions(nats.object("default_permissions")),
                v1 ? Map.of() : mappings(nats),
                v1 ? "" : nats.string("description"),
                v1 ? "" : nats.string("info_url"),
                v1 || !nats.has("trace") || nats.value("trace") == null ? AccountClaims.MsgTrace.NONE
                        : trace(nats.object("trace")));
    }

    private static AccountClaims.MsgTrace trace(GoJsonFields json) {
        return new AccountClaims.MsgTrace(json.string("dest"), json.int64("sampling"));
    }

    private static OperatorLimits limits(GoJsonFields json, boolean v1) {
        NatsLimits nats = new NatsLimits(json.int64("subs"), json.int64("data"), json.int64("payload"));
        OperatorLimits.AccountLimits account = new OperatorLimits.AccountLimits(
                json.int64("imports"), json.int64("exports"), json.bool("wildcards"), json.bool("disallow_bearer"),
                json.int64("conn"), json.int64("leaf"));
        if (v1) {
            return new OperatorLimits(nats, account, OperatorLimits.JetStreamLimits.ZERO, Map.of());
        }
        Map<String, OperatorLimits.JetStreamLimits> tiers = new LinkedHashMap<>();
        json.map("tiered_limits").forEach((tier, limits) ->
                tiers.put(tier, jetStream(GoJsonFields.of(limits, json.path("tiered_limits")))));
        // Go drops the single set when tiers are present: the two are mutually exclusive.
        OperatorLimits.JetStreamLimits single = tiers.isEmpty() ? jetStream(json) : OperatorLimits.JetStreamLimits.ZERO;
        return new OperatorLimits(nats, account, single, Collections.unmodifiableMap(tiers));
    }

    private static OperatorLimits.JetStreamLimits jetStream(GoJsonFields json) {
        return new OperatorLimits.JetStreamLimits(
                json.int64("mem_storage"), json.int64("disk_storage"), json.int64("streams"), json.int64("consumer"),
                json.int64("max_ack_pending"), json.int64("mem_max_stream_bytes"), json.int64("disk_max_stream_bytes"),
                json.bool("max_bytes_required"));
    }

    private static SigningKeys plainSigningKeys(List<String> keys) {
        Map<String, Optional<SigningKeys.UserScope>> entries = new LinkedHashMap<>();
        keys.forEach(key -> entries.put(key, Optional.empty()));
        return new SigningKeys(Collections.unmodifiableMap(entries));
    }

    /**
     * A list of plain keys (strings) and scoped keys (objects of kind "user_scope"); Go ignores elements of
     * any other JSON type and fails on objects of another kind.
     */
    private static SigningKeys signingKeys(GoJsonFields nats) {
        Map<String, Optional<SigningKeys.UserScope>> entries = new LinkedHashMap<>();
        for (Object element : nats.array("signing_keys")) {
            if (element instanceof String key) {
                entries.put(key, Optional.empty());
            } else if (element instanceof Map<?, ?> object) {
                if (!USER_SCOPE.equals(object.get("kind"))) {
                    throw new JwtException("unknown signing key scope");
                }
                SigningKeys.UserScope scope = userScope(GoJsonFields.of(object, nats.path("signing_keys")));
                entries.put(scope.key(), Optional.of(scope));
            }
        }
        return new SigningKeys(Collections.unmodifiableMap(entries));
    }

    private static SigningKeys.UserScope userScope(GoJsonFields json) {
        String kind = GoJsonFields.stringValue(json.value("kind"), json.path("kind"));
        if (!USER_SCOPE.equals(kind)) {
            throw new JwtException("unknown scope type \"" + kind + "\"");
        }
        UserPermissionLimits template =
                PermissionsReader.userPermissionLimits(json.object("template"), NatsLimits.UNLIMITED, true);
        return new SigningKeys.UserScope(json.string("key"), json.string("role"), template);
    }

    static RevocationList revocations(GoJsonFields json, String name) {
        Map<String, Long> entries = new LinkedHashMap<>();
        json.map(name).forEach((key, at) -> entries.put(key, GoJsonFields.int64Value(at, json.path(name))));
        return entries.isEmpty() ? RevocationList.EMPTY : new RevocationList(Collections.unmodifiableMap(entries));
    }

    private static Map<String, List<AccountClaims.WeightedMapping>> mappings(GoJsonFields nats) {
        Map<String, List<AccountClaims.WeightedMapping>> mappings = new LinkedHashMap<>();
        nats.map("mappings").forEach((source, destinations) -> {
            List<AccountClaims.WeightedMapping> weighted = new ArrayList<>();
            for (Object element : GoJsonFields.arrayValue(destinations, nats.path("mappings"))) {
                GoJsonFields mapping = GoJsonFields.of(element, nats.path("mappings"));
                weighted.add(new AccountClaims.WeightedMapping(
                        mapping.string("subject"), (int) mapping.unsigned("weight", 255), mapping.string("cluster")));
            }
            mappings.put(source, List.copyOf(weighted));
        });
        return Collections.unmodifiableMap(mappings);
    }
}
