package nats.server.internal.plugin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import nats.api.accounts.PluginAccount;
import nats.api.messaging.InternalConnection;
import nats.server.internal.account.Account;
import nats.server.internal.client.InProcessConnection;
import nats.server.options.ServerOptions;

/** An account as plugins see it. One view per account, so plugins may compare them. */
final class AccountView implements PluginAccount {

    private final Account account;
    private final boolean system;
    private final Supplier<ServerOptions> options;
    private final InterestWatches watches;

    AccountView(Account account, boolean system, Supplier<ServerOptions> options) {
        this.account = account;
        this.system = system;
        this.options = options;
        this.watches = new InterestWatches(account.sublist());
    }

    Account account() {
        return account;
    }

    @Override
    public String name() {
        return account.name();
    }

    @Override
    public boolean isSystem() {
        return system;
    }

    @Override
    public InternalConnection connect(String connectionName) {
        return new InProcessConnection(account, connectionName);
    }

    @Override
    public Optional<Object> setting(String key) {
        Map<String, Object> settings = options.get().accountSettings().get(account.name());
        return settings == null ? Optional.empty() : Optional.ofNullable(settings.get(key));
    }

    @Override
    public Optional<String> jwtClaimsJson() {
        Account.JwtState jwt = account.jwt();
        if (jwt == null) {
            return Optional.empty();
        }
        String[] parts = jwt.token().split("\\.");
        return Optional.of(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    @Override
    public int clientCount() {
        return account.clientCount();
    }

    @Override
    public boolean addMapping(String source, String destination) {
        return account.addMapping(source, destination);
    }

    @Override
    public InterestWatch watchInterest(String literalSubject, InterestListener listener) {
        return watches.watch(literalSubject, listener);
    }

    @Override
    public String toString() {
        return "PluginAccount[" + account.name() + "]";
    }
}
