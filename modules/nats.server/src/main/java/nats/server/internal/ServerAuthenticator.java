package nats.server.internal;

import java.util.Optional;

import nats.server.internal.account.Account;
import nats.server.internal.account.Accounts;
import nats.server.internal.auth.ConnectionTypes;
import nats.server.internal.auth.NonceSignature;
import nats.server.internal.auth.Passwords;
import nats.server.internal.client.Authenticated;
import nats.server.internal.client.Authenticator;
import nats.server.internal.client.ConnectOptions;
import nats.server.options.AuthSettings;
import nats.server.options.Permissions;
import nats.server.options.User;

/**
 * Go's client authentication for one set of credentials: operator-mode JWTs, else a token, else users (nkey
 * users by the signed nonce, no_auth_user for clients without credentials), else the single user.
 */
final class ServerAuthenticator implements Authenticator {

    private final Accounts accounts;
    private final AuthSettings settings;
    private final boolean operatorMode;
    private final boolean nonceRequired;

    ServerAuthenticator(Accounts accounts, AuthSettings settings, boolean operatorMode) {
        this.accounts = accounts;
        this.settings = settings;
        this.operatorMode = operatorMode;
        this.nonceRequired = operatorMode || settings.users().stream().anyMatch(User::isNkeyUser);
    }

    @Override
    public boolean required() {
        return operatorMode || settings.configured();
    }

    /** Nonces are announced in operator mode and when nkey users exist. */
    boolean nonceRequired() {
        return nonceRequired;
    }

    @Override
    public Optional<Authenticated> authenticate(ConnectOptions connect, String nonce, String clientIp,
                                                String clientType) {
        Account global = accounts.global();
        if (operatorMode) {
            return JwtAuthentication.authenticate(accounts, connect, nonce, clientIp, clientType);
        }
        if (!settings.token().isEmpty()) {
            return granted(Passwords.matches(settings.token(), connect.authToken()),
                    new Authenticated(global, Permissions.UNRESTRICTED, ""));
        }
        if (!settings.users().isEmpty()) {
            return users(connect, nonce, clientType);
        }
        boolean userOk = Passwords.equalsInConstantTime(settings.username(), connect.user());
        boolean passOk = Passwords.matches(settings.password(), connect.pass());
        return granted(userOk & passOk, new Authenticated(global, Permissions.UNRESTRICTED, settings.username()));
    }

    private Optional<Authenticated> users(ConnectOptions connect, String nonce, String clientType) {
        if (!connect.nkey().isEmpty() && nonceRequired) {
            return nkeyUser(connect, nonce, clientType);
        }
        boolean noCredentials = connect.user().isEmpty() && connect.pass().isEmpty() && connect.authToken().isEmpty();
        if (noCredentials && !settings.noAuthUser().isEmpty()) {
            // no_auth_user: a client without credentials is that user, as in Go.
            for (User user : settings.users()) {
                if (!user.isNkeyUser() && user.name().equals(settings.noAuthUser())) {
                    return grant(user, true, clientType);
                }
            }
        }
        for (User user : settings.users()) {
            if (!user.isNkeyUser() && user.name().equals(connect.user())) {
                return grant(user, Passwords.matches(user.password(), connect.pass()), clientType);
            }
        }
        return Optional.empty();
    }

    /** An nkey user proves the key by signing this connection's nonce. */
    private Optional<Authenticated> nkeyUser(ConnectOptions connect, String nonce, String clientType) {
        for (User user : settings.users()) {
            if (user.isNkeyUser() && user.nkey().equals(connect.nkey())) {
                boolean signed = nonce != null && NonceSignature.verify(user.nkey(), nonce, connect.signature());
                return grant(user, signed, clientType).map(a -> new Authenticated(a.account(), a.permissions(),
                        user.nkey()));
            }
        }
        return Optional.empty();
    }

    private Optional<Authenticated> grant(User user, boolean credentialsOk, String clientType) {
        Account account = accounts.get(user.account());
        return granted(credentialsOk && account != null
                        && ConnectionTypes.allows(user.allowedConnectionTypes(), clientType),
                new Authenticated(account, user.permissions(), user.name()));
    }

    /** Grants {@code user} (identified otherwise, e.g. by its TLS certificate) its account and permissions. */
    Optional<Authenticated> grant(User user) {
        Account account = accounts.get(user.account());
        return account == null ? Optional.empty()
                : Optional.of(new Authenticated(account, user.permissions(), user.name()));
    }

    private static Optional<Authenticated> granted(boolean ok, Authenticated grant) {
        return ok ? Optional.of(grant) : Optional.empty();
    }
}
