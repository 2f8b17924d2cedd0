package nats.server.internal.auth;

import java.util.List;
import java.util.Map;

/**
 * An account JWT, issued by an operator (or self-signed): what the account exports and imports, its limits,
 * the keys that may sign its users, revoked users, default permissions, subject mappings and message tracing.
 */
public record AccountClaims(
        ClaimsData data,
        GenericFields fields,
        List<Import> imports,
        List<Export> exports,
        OperatorLimits limits,
        SigningKeys signingKeys,
        RevocationList revocations,
        JwtPermissions defaultPermissions,
        Map<String, List<WeightedMapping>> mappings,
        String description,
        String infoUrl,
        MsgTrace trace) implements Claims {

    /**
     * jwt v2's {@code trace} (Go 2.11): where messages with a sampled W3C {@code traceparent} are traced to, and
     * the share of them; {@link #NONE} when the claims have none.
     */
    public record MsgTrace(String dest, long sampling) {
        public static final MsgTrace NONE = new MsgTrace("", 0);
    }

    /** One destination of a subject mapping; weights of one source add up to at most 100. */
    public record WeightedMapping(String subject, int weight, String cluster) {

        /** Go's {@code GetWeight}: an unset weight means all traffic. */
        public int effectiveWeight() {
            return weight == 0 ? 100 : weight;
        }
    }
}
