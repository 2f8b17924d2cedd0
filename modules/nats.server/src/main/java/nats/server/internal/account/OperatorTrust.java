package nats.server.internal.account;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import nats.server.internal.auth.AccountClaims;
import nats.server.internal.auth.ActivationClaims;
import nats.server.internal.auth.Jwt;
import nats.server.internal.auth.JwtException;
import nats.server.internal.auth.OperatorClaims;
import nats.server.options.OperatorOptions;

/** The operators this server trusts, and the checks an account JWT must pass to be used. */
public final class OperatorTrust {

    private final Set<String> trustedKeys = new LinkedHashSet<>();

    public OperatorTrust(OperatorOptions options) {
        for (String jwt : options.operatorJwts()) {
            OperatorClaims operator = Jwt.decode(jwt, OperatorClaims.class);
            trustedKeys.add(operator.data().subject());
            trustedKeys.addAll(operator.signingKeys());
        }
        trustedKeys.addAll(options.trustedKeys());
    }

    public boolean isTrusted(String issuer) {
        return trustedKeys.contains(issuer);
    }

    /**
     * Decodes and checks an account JWT: signature, an issuer this server trusts, the expected subject,
     * and validity in time.
     *
     * @throws JwtException with the reason it is refused
     */
    public AccountClaims verifyAccount(String jwt, String accountKey) {
        AccountClaims claims = Jwt.decode(jwt, AccountClaims.class);
        if (!isTrusted(claims.data().issuer())) {
            throw new JwtException("account JWT not issued by a trusted operator");
        }
        if (accountKey != null && !claims.data().subject().equals(accountKey)) {
            throw new JwtException("subject does not match jwt content");
        }
        Instant now = Instant.now();
        if (claims.data().isExpired(now)) {
            throw new JwtException("account JWT has expired");
        }
        return claims;
    }

    /** An activation token for a token-required export: issued by the exporter for this importer. */
    static boolean activationValid(String token, AccountClaims exporter, String importer, String subject) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        try {
            ActivationClaims act = Jwt.decode(token, ActivationClaims.class);
            String issuer = act.data().issuer();
            String exporterKey = exporter.data().subject();
            boolean issuedByExporter = issuer.equals(exporterKey)
                    || (exporter.signingKeys().contains(issuer)
                        && (act.issuerAccount().isEmpty() || act.issuerAccount().equals(exporterKey)));
            return issuedByExporter && act.data().subject().equals(importer)
                    && !act.data().isExpired(Instant.now())
                    && nats.server.internal.routing.SubjectMatcher.isSubsetMatch(subject, act.importSubject());
        } catch (JwtException e) {
            return false;
        }
    }
}
