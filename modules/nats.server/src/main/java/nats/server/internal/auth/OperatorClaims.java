package nats.server.internal.auth;

import java.util.List;

/** An operator JWT: the root of trust, self-signed or signed by one of its own signing keys. */
public record OperatorClaims(
        ClaimsData data,
        GenericFields fields,
        List<String> signingKeys,
        String accountServerUrl,
        List<String> operatorServiceUrls,
        String systemAccount,
        String assertServerVersion,
        boolean strictSigningKeyUsage) implements Claims {
}
