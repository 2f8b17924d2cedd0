package nats.server.internal.auth;

/** A user JWT, issued by an account or one of its signing keys (then naming the account in issuer_account). */
public record UserClaims(
        ClaimsData data,
        GenericFields fields,
        String issuerAccount,
        UserPermissionLimits permissions) implements Claims {

    /** Bearer tokens connect without signing the nonce. */
    public boolean isBearerToken() {
        return permissions.bearerToken();
    }

    /** What a scoped signing key requires of the users it signs (Go's {@code HasEmptyPermissions}). */
    public boolean hasEmptyPermissions() {
        return permissions.isGoZeroValue();
    }
}
