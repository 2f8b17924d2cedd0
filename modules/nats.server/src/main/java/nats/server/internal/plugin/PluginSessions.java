package nats.server.internal.plugin;

import java.util.List;
import java.util.Optional;

import nats.api.net.Connection;
import nats.api.sessions.AuthOverride;
import nats.api.sessions.ClientProtocolSpec;
import nats.api.sessions.ClientSessions;
import nats.api.sessions.SessionException;
import nats.api.sessions.SessionOutcome;
import nats.api.sessions.SessionRequest;
import nats.server.internal.ServerCore;
import nats.server.internal.client.Authenticator;
import nats.server.internal.client.ClientProfile;
import nats.server.internal.client.PluginSession;
import nats.server.internal.config.AuthBlockMapper;
import nats.server.internal.config.ConfigException;
import nats.server.internal.tls.CertificateUsers;
import nats.server.options.AuthSettings;
import nats.server.options.User;

/** Plugins' clients brought into the kernel: NATS over a plugin's stream, or structured sessions (MQTT). */
final class PluginSessions implements ClientSessions {

    private final ServerCore core;
    private final KernelAccounts accounts;
    private volatile CertificateUsers certificateUsers;
    private volatile List<User> cachedUsers;

    PluginSessions(ServerCore core, KernelAccounts accounts) {
        this.core = core;
        this.accounts = accounts;
    }

    @Override
    public void serveClientProtocol(Connection connection, ClientProtocolSpec spec) {
        core.serve(connection, new ClientProfile(spec.clientType(), authenticator(spec.auth()), spec.infoOverrides(),
                spec.jwt(), spec.auth().flatMap(a -> AuthBlockMapper.authTimeout(a.block()))));
    }

    @Override
    public SessionOutcome open(SessionRequest request) {
        if (!core.acceptsClients()) {
            return new SessionOutcome.Refused("maximum connections exceeded", false);
        }
        ClientProfile profile = new ClientProfile(request.clientType(), authenticator(request.auth()),
                java.util.Map.of(), Optional.empty(), Optional.empty());
        PluginSession session = new PluginSession(core, core.nextClientId(), request.connection(), profile,
                request.events(), accounts::view);
        core.register(session);
        request.monitoringFields().forEach(session::field);
        PluginSession.Refusal refusal = session.open(request.credentials(), request.clientName(), request.lang(),
                request.version(), request.certificateUser() ? Optional.of(certificateUsers()) : Optional.empty());
        return refusal == null ? new SessionOutcome.Opened(session.handle())
                : new SessionOutcome.Refused(refusal.reason(), refusal.notAuthorized());
    }

    @Override
    public Optional<nats.api.sessions.ServerGrant> authenticate(String clientType,
                                                                nats.api.sessions.Credentials credentials,
                                                                String clientIp) {
        ClientProfile profile = new ClientProfile(clientType, Optional.empty(), java.util.Map.of(), Optional.empty(),
                Optional.empty());
        if (!core.authRequired(profile)) {
            return Optional.of(new nats.api.sessions.ServerGrant(accounts.global().name(), "",
                    nats.api.sessions.ServerGrant.Rules.ANY, nats.api.sessions.ServerGrant.Rules.ANY));
        }
        nats.server.internal.client.ConnectOptions presented = nats.server.internal.client.ConnectOptions.presented(
                "", "", "", credentials.user(), credentials.password(), credentials.token(), credentials.jwt(),
                credentials.nkey(), credentials.signature());
        String nonce = credentials.nonce().isEmpty() ? null : credentials.nonce();
        return core.authenticate(profile, presented, nonce, clientIp).map(a -> new nats.api.sessions.ServerGrant(
                a.account().name(), a.user() == null ? "" : a.user(), rules(a.permissions().publish()),
                rules(a.permissions().subscribe())));
    }

    private static nats.api.sessions.ServerGrant.Rules rules(nats.server.options.Permissions.Rules r) {
        return new nats.api.sessions.ServerGrant.Rules(r.allow(), r.deny());
    }

    /** The server's users by certificate name, made again only when a reload replaced the users. */
    private CertificateUsers certificateUsers() {
        List<User> users = core.options().users();
        CertificateUsers cached = certificateUsers;
        if (cached == null || cachedUsers != users) {
            cached = new CertificateUsers(users);
            certificateUsers = cached;
            cachedUsers = users;
        }
        return cached;
    }

    @Override
    public void checkAuthOverride(String listener, AuthOverride auth) throws SessionException {
        AuthSettings block = read(auth);
        List<User> users = core.options().users();
        if (!block.noAuthUser().isEmpty()) {
            // Go's validateNoAuthUser, against the server's users.
            if (core.options().operator().enabled()) {
                throw new SessionException("no_auth_user not compatible with Trusted Operator");
            }
            List<User> candidates = block.users().isEmpty() ? users : block.users();
            if (candidates.isEmpty()) {
                throw new SessionException("no_auth_user: \"" + block.noAuthUser() + "\" present, but users are not "
                        + "defined");
            }
            if (candidates.stream().noneMatch(u -> u.name().equals(block.noAuthUser()))) {
                throw new SessionException("no_auth_user: \"" + block.noAuthUser() + "\" not present as user in "
                        + "authorization block or account configuration");
            }
        }
        if (!users.isEmpty() && !block.username().isEmpty()) {
            throw new SessionException(listener + " authentication username not compatible with presence of "
                    + "users/nkeys");
        }
        if (!users.isEmpty() && !block.token().isEmpty()) {
            throw new SessionException(listener + " authentication token not compatible with presence of users/nkeys");
        }
    }

    /**
     * A listener block's own credentials, or the server's when the block overrides nothing. As in Go, a user
     * name, a token or a no_auth_user make an override: the block's single user or token replaces the server's
     * credentials, and a no_auth_user alone picks one of the server's users (and nkeys).
     */
    private Optional<Authenticator> authenticator(Optional<AuthOverride> override) {
        if (override.isEmpty()) {
            return Optional.empty();
        }
        AuthSettings block = read(override.get());
        boolean overrides = !block.username().isEmpty() || !block.token().isEmpty() || !block.noAuthUser().isEmpty()
                || !block.users().isEmpty();
        if (!overrides) {
            return Optional.empty();
        }
        // Go refuses a single user or token next to the server's users (checkAuthOverride), so the server's users
        // join only an override that names no_auth_user alone.
        boolean single = !block.username().isEmpty() || !block.token().isEmpty();
        List<User> users = !block.users().isEmpty() || single ? block.users() : core.options().users();
        return Optional.of(core.authenticatorFor(new AuthSettings(block.token(), block.username(), block.password(),
                users, block.noAuthUser())));
    }

    private static AuthSettings read(AuthOverride override) {
        try {
            return AuthBlockMapper.read(override.block());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
