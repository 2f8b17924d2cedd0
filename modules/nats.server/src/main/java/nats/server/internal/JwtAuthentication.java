package nats.server.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import nats.server.internal.account.Account;
import nats.server.internal.account.Accounts;
import nats.server.internal.auth.AccountClaims;
import nats.server.internal.auth.ConnectionTypes;
import nats.server.internal.auth.Jwt;
import nats.server.internal.auth.JwtException;
import nats.server.internal.auth.JwtPermissions;
import nats.server.internal.auth.NKey;
import nats.server.internal.auth.NonceSignature;
import nats.server.internal.auth.SigningKeys;
import nats.server.internal.auth.UserClaims;
import nats.server.internal.auth.UserPermissionLimits;
import nats.server.internal.client.Authenticated;
import nats.server.internal.client.ConnectOptions;
import nats.server.options.Permissions;

/**
 * Operator-mode authentication as the Go server does it: the user JWT from CONNECT must be signed by its
 * account (or one of the account's signing keys), the account must be trusted, the user not revoked or
 * expired, and unless it is a bearer token the user's key must have signed this connection's nonce.
 * Permissions and limits come from the claims (a scoped signing key's template replaces the user's own).
 */
final class JwtAuthentication {

    private static final System.Logger LOG = System.getLogger(JwtAuthentication.class.getName());

    private JwtAuthentication() {
    }

    static Optional<Authenticated> authenticate(Accounts accounts, ConnectOptions connect, String nonce,
                                                String clientIp, String clientType) {
        if (connect.jwt() == null || connect.jwt().isEmpty()) {
            return Optional.empty();
        }
        UserClaims user;
        try {
            user = Jwt.decode(connect.jwt(), UserClaims.class);
        } catch (JwtException e) {
            LOG.log(System.Logger.Level.DEBUG, "user JWT refused: " + e.getMessage());
            return Optional.empty();
        }
        Instant now = Instant.now();
        if (user.data().isExpired(now) || user.data().isNotYetValid(now)) {
            return Optional.empty();
        }
        String issuer = user.data().issuer();
        String accountKey = user.issuerAccount().isEmpty() ? issuer : user.issuerAccount();
        if (!NKey.isValidPublicKey(accountKey, NKey.Type.ACCOUNT)) {
            return Optional.empty();
        }
        Account account = accounts.resolve(accountKey);
        if (account == null || account.jwt() == null) {
            return Optional.empty();
        }
        if (account.jwt().claims().data().isExpired(now)) {
            // As Go once it has marked the account expired: no new clients until a fresh JWT arrives.
            LOG.log(System.Logger.Level.DEBUG, "Account JWT has expired");
            return Optional.empty();

        }
        AccountClaims claims = account.jwt().claims();
        UserPermissionLimits limits = user.permissions();
        if (!issuer.equals(accountKey)) {
            SigningKeys keys = claims.signingKeys();
            if (!keys.contains(issuer)) {
                return Optional.empty();
            }
            Optional<SigningKeys.UserScope> scope = keys.scope(issuer);
            if (scope.isPresent()) {
                if (!user.hasEmptyPermissions()) {
                    return Optional.empty(); // a scoped key's users must not carry permissions of their own
                }
                limits = scope.get().template();
            }
        }
        if (!ConnectionTypes.allows(limits.allowedConnectionTypes(), clientType)) {
            return Optional.empty();
        }
        if (claims.revocations().isRevoked(user.data().subject(), user.data().issuedAt())) {
            return Optional.empty();
        }
        if (!UserRestrictions.sourceAllowed(limits.src(), clientIp)) {
            LOG.log(System.Logger.Level.ERROR, "Bad src Ip " + clientIp);
            return Optional.empty();
        }
        long windowEnd = UserRestrictions.connectWindowEnd(limits.times(), limits.locale(), now);
        if (windowEnd < 0) {
            LOG.log(System.Logger.Level.ERROR, "Outside connect times");
            return Optional.empty();
        }
        if (limits.bearerToken()) {
            if (claims.limits().account().disallowBearer()) {
                return Optional.empty();
            }
        } else if (nonce == null || !NonceSignature.verify(user.data().subject(), nonce, connect.signature())) {
            return Optional.empty();
        }
        Permissions permissions = permissions(limits.permissions());
        if (!permissions.restricts() && claims.defaultPermissions() != null) {
            permissions = permissions(claims.defaultPermissions());
        }
        return Optional.of(new Authenticated(account, permissions, user.data().subject(),
                limitOrUnlimited(limits.limits().subs()), limitOrUnlimited(limits.limits().payload()),
                earliest(user.data().expires(), windowEnd), user.data().issuer()));
    }

    /** The earlier of two Unix-second deadlines where 0 means none. */
    private static long earliest(long a, long b) {
        if (a == 0) {
            return b;
        }
        return b == 0 ? a : Math.min(a, b);
    }

    private static long limitOrUnlimited(long value) {
        return value < 0 ? -1 : value;
    }

    static Permissions permissions(JwtPermissions p) {
        Permissions perms = new Permissions(rules(p.pub()), rules(p.sub()));
        if (p.resp().isPresent()) {
            JwtPermissions.ResponsePermission r = p.resp().get();
            perms = perms.withResponses(new Permissions.Responses((int) r.maxMsgs(),
                    r.expires() == null ? java.time.Duration.ZERO : r.expires()));
        }
        return perms;
    }

    private static Permissions.Rules rules(JwtPermissions.Permission p) {
        Optional<List<String>> allow = p.allow().isEmpty() ? Optional.empty() : Optional.of(new ArrayList<>(p.allow()));
        return new Permissions.Rules(allow, p.deny());
    }

    /** Whether the account's current claims revoke the user JWT this client connected with. */
    static boolean revoked(nats.server.internal.client.Client client) {
        Account.JwtState state = client.account().jwt();
        String jwt = client.connectOptions().jwt();
        if (state == null || jwt == null || jwt.isEmpty()) {
            return false;
        }
        try {
            UserClaims user = Jwt.decode(jwt, UserClaims.class);
            return state.claims().revocations().isRevoked(user.data().subject(), user.data().issuedAt());
        } catch (JwtException e) {
            return true;
        }
    }
}
