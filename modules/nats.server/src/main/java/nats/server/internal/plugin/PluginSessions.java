package nats.server.internal.plugin;

import java.util.Optional;

import nats.api.net.Connection;
import nats.api.sessions.AuthOverride;
import nats.api.sessions.ClientProtocolSpec;
import nats.api.sessions.ClientSessions;
import nats.api.sessions.SessionOutcome;
import nats.api.sessions.SessionRequest;
import nats.server.internal.ServerCore;
import nats.server.internal.client.Authenticator;
import nats.server.internal.client.ClientProfile;
import nats.server.internal.client.PluginSession;
import nats.server.internal.config.AuthBlockMapper;
import nats.server.internal.config.ConfigException;
import nats.server.options.AuthSettings;

/** Plugins' clients brought into the kernel: NATS over a plugin's stream, or structured sessions (MQTT). */
final class PluginSessions implements ClientSessions {

    private final ServerCore core;
    private final KernelAccounts accounts;

    PluginSessions(ServerCore core, KernelAccounts accounts) {
        this.core = core;
        this.accounts = accounts;
    }

    @Override
    public void serveClientProtocol(Connection connection, ClientProtocolSpec spec) {
        core.serve(connection, new ClientProfile(spec.clientType(), authenticator(spec.auth()), spec.infoOverrides(),
                spec.jwt()));
    }

    @Override
    public SessionOutcome open(SessionRequest request) {
        if (!core.acceptsClients()) {
            return new SessionOutcome.Refused("maximum connections exceeded", false);
        }
        ClientProfile profile = new ClientProfile(request.clientType(), authenticator(request.auth()),
                java.util.Map.of(), Optional.empty());
        PluginSession session = new PluginSession(core, core.nextClientId(), request.connection(), profile,
                request.events(), accounts::view);
        core.register(session);
        request.monitoringFields().forEach(session::field);
        PluginSession.Refusal refusal = session.open(request.credentials(), request.clientName(), request.lang(),
                request.version());
        return refusal == null ? new SessionOutcome.Opened(session.handle())
                : new SessionOutcome.Refused(refusal.reason(), refusal.notAuthorized());
    }

    /** A listener block's own credentials, or the server's when the block sets none. */
    private Optional<Authenticator> authenticator(Optional<AuthOverride> override) {
        if (override.isEmpty()) {
            return Optional.empty();
        }
        AuthSettings settings;
        try {
            settings = AuthBlockMapper.read(override.get().block());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return settings.configured() ? Optional.of(core.authenticatorFor(settings)) : Optional.empty();
    }
}
