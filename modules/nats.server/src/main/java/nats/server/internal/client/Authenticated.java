package nats.server.internal.client;

import nats.server.internal.account.Account;
import nats.server.options.Permissions;

/**
 * What a successful CONNECT grants: the account the client joins and what it may do there.
 *
 * @param user             the authenticated user: name, nkey or JWT subject; empty for a token or no auth
 * @param maxSubscriptions the user's own subscription limit, -1 for the server's
 * @param maxPayload       the user's own payload limit, -1 for the server's
 * @param expiresAt        Unix seconds when the credentials expire (a user JWT's exp), 0 for never
 * @param issuerKey        who vouches for the user, as Go's events report it: a JWT user's signing key or
 *                         account key, a configured user's account name; empty otherwise
 */
public record Authenticated(Account account, Permissions permissions, String user, long maxSubscriptions,
                            long maxPayload, long expiresAt, String issuerKey) {

    public Authenticated(Account account, Permissions permissions, String user) {
        this(account, permissions, user, -1, -1, 0, "");
    }

    /** The same grant, vouched for by {@code issuer}. */
    public Authenticated issuedBy(String issuer) {
        return new Authenticated(account, permissions, user, maxSubscriptions, maxPayload, expiresAt, issuer);
    }
}
