package nats.server.internal.auth;

import java.time.Instant;

/**
 * The registered claims every NATS JWT carries (Go's {@code jwt.ClaimsData}); times are Unix seconds and 0
 * means "not set".
 */
public record ClaimsData(
        String audience,
        long expires,
        String id,
        long issuedAt,
        String issuer,
        String name,
        long notBefore,
        String subject) {

    /** As Go's {@code ClaimsData.Validate}: expired once {@code now} is past {@code exp}. */
    public boolean isExpired(Instant now) {
        return expires > 0 && now.getEpochSecond() > expires;
    }

    /** As Go's {@code ClaimsData.Validate}: not yet valid while {@code nbf} is after {@code now}. */
    public boolean isNotYetValid(Instant now) {
        return notBefore > 0 && notBefore > now.getEpochSecond();
    }

    public boolean isSelfSigned() {
        return issuer.equals(subject);
    }
}
