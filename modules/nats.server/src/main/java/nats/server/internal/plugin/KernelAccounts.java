package nats.server.internal.plugin;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import nats.api.accounts.AccountDirectory;
import nats.api.accounts.AccountListener;
import nats.api.accounts.PluginAccount;
import nats.server.internal.account.Account;
import nats.server.internal.account.Accounts;
import nats.server.options.ServerOptions;

/** The server's accounts as plugins see them, with one {@link AccountView} per account. */
final class KernelAccounts implements AccountDirectory {

    private final Accounts accounts;
    private final Supplier<ServerOptions> options;
    private final Map<Account, AccountView> views = new ConcurrentHashMap<>();

    KernelAccounts(Accounts accounts, Supplier<ServerOptions> options) {
        this.accounts = accounts;
        this.options = options;
    }

    AccountView view(Account account) {
        return views.computeIfAbsent(account, a -> new AccountView(a, a == accounts.system(), options));
    }

    @Override
    public PluginAccount global() {
        return view(accounts.global());
    }

    @Override
    public Optional<PluginAccount> system() {
        Account system = accounts.system();
        return system == null ? Optional.empty() : Optional.of(view(system));
    }

    @Override
    public Optional<PluginAccount> find(String name) {
        Account account = accounts.get(name);
        return account == null ? Optional.empty() : Optional.of(view(account));
    }

    @Override
    public Collection<PluginAccount> all() {
        return accounts.all().stream().<PluginAccount>map(this::view).toList();
    }

    @Override
    public AccountListener.Registration listen(AccountListener listener) {
        Accounts.Listener bridge = new Accounts.Listener() {
            @Override
            public void added(Account account) {
                listener.added(view(account));
            }

            @Override
            public void updated(Account account) {
                listener.updated(view(account));
            }

            @Override
            public void removed(Account account) {
                listener.removed(view(account));
                views.remove(account);
            }
        };
        synchronized (accounts) {
            accounts.watch(bridge);
            for (Account account : accounts.all()) {
                listener.added(view(account));
            }
        }
        return () -> accounts.unwatch(bridge);
    }
}
