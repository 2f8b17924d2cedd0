package nats.server.internal.account;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;

import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.SubjectMatcher;
import nats.server.internal.routing.Sublist;
import nats.server.options.AccountConfig;
import nats.server.options.ServerOptions;

/**
 * The server's accounts: the global account {@code $G} for clients that name none, the system account,
 * and the configured ones, with their imports wired to the exporting accounts. A reload keeps each account
 * that is still configured (with its subscriptions) and rewires what it shares, as the Go server does.
 */
public final class Accounts {

    private volatile Map<String, Account> byName = Map.of();
    /** The configuration of every account, from the config file or from its JWT, for wiring imports. */
    private final Map<String, AccountConfig> configs = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Account global;
    private volatile Account system;
    /** Operator mode: where account JWTs come from and who may issue them; null otherwise. */
    private volatile OperatorTrust trust;
    private volatile AccountResolver resolver;

    private final java.util.List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Accounts() {
    }

    /** Told when accounts are loaded, changed (reload, JWT update) and removed; must not block. */
    public interface Listener {
        void added(Account account);

        void updated(Account account);

        void removed(Account account);
    }

    /** Registers {@code listener} for account changes from now on. */
    public void watch(Listener listener) {
        listeners.add(listener);
    }

    public void unwatch(Listener listener) {
        listeners.remove(listener);
    }

    /** Builds the accounts of {@code options}, which the config reader has already checked. */
    public static Accounts of(ServerOptions options) {
        Accounts accounts = new Accounts();
        accounts.configure(options);
        return accounts;
    }

    /**
     * Applies a new configuration: accounts still named keep their subject space; their mappings and
     * imports are replaced.
     *
     * @return the accounts whose stream imports changed: their clients' subscriptions need new shadows
     */
    public synchronized Set<Account> configure(ServerOptions options) {
        Map<String, Account> old = byName;
        if (trust != null) {
            // Operator mode: accounts come from JWTs, not from the file.
            return Set.of();
        }
        Map<String, Account> next = new LinkedHashMap<>();
        Account g = reuse(old, AccountConfig.GLOBAL);
        g.reset(SubjectMappings.of(options.mappings()));
        next.put(g.name(), g);
        for (AccountConfig config : options.accounts()) {
            Account a = reuse(old, config.name());
            a.reset(SubjectMappings.of(config.mappings()));
            a.limits(config.limits());
            next.put(config.name(), a);
        }
        Account sys = null;
        if (!options.noSystemAccount() && !options.operator().enabled()) {
            sys = next.get(options.systemAccount());
            if (sys == null) {
                sys = reuse(old, options.systemAccount());
                sys.reset(null);
                next.put(sys.name(), sys);
            }
        }
        Map<String, List<String>> importsBefore = new LinkedHashMap<>();
        next.values().forEach(a -> importsBefore.put(a.name(), a.streamImportDescriptions()));
        for (Account a : next.values()) {
            a.clearImports();
        }
        configs.keySet().retainAll(next.keySet());
        for (AccountConfig config : options.accounts()) {
            configs.put(config.name(), config);
        }
        for (AccountConfig config : options.accounts()) {
            wireImports(next, config);
        }
        for (Account a : next.values()) {
            wireSystemImports(a, sys);
        }
        Set<Account> changed = new HashSet<>();
        for (Account a : next.values()) {
            if (!a.streamImportDescriptions().equals(importsBefore.get(a.name()))) {
                changed.add(a);
            }
        }
        byName = Map.copyOf(next);
        global = g;
        system = sys;
        for (Account a : next.values()) {
            if (!old.containsKey(a.name())) {
                listeners.forEach(l -> l.added(a));
            } else {
                listeners.forEach(l -> l.updated(a));
            }
        }
        for (Account a : old.values()) {
            if (!next.containsKey(a.name())) {
                listeners.forEach(l -> l.removed(a));
            }
        }
        return changed;
    }

    private static Account reuse(Map<String, Account> old, String name) {
        Account existing = old.get(name);
        return existing != null ? existing : new Account(name, null);
    }

    private void wireImports(Map<String, Account> all, AccountConfig config) {
        Account importer = all.get(config.name());
        for (AccountConfig.Import imp : config.imports()) {
            Account exporter = all.get(imp.account());
            if (exporter == null) {
                continue;
            }
            if (imp.kind() == AccountConfig.Kind.STREAM) {
                importer.addStreamImport(new StreamImport(exporter, imp.subject(), imp.to(), imp.allowTrace()));
                continue;
            }
            wireService(importer, exporter, imp, serviceExport(configs.get(imp.account()), imp));
        }
    }

    private static void wireService(Account importer, Account exporter, AccountConfig.Import imp,
                                    AccountConfig.Export export) {
        if (exporter.responses() == null) {
            exporter.responses(new ServiceResponses(exporter));
        }
        ServiceImport route = new ServiceImport(importer, exporter, imp.to(), imp.subject(), export);
        ServerSubscription sub = new ServerSubscription(route, imp.to(), null, new byte[0]);
        try {
            importer.sublist().insert(sub);
        } catch (Sublist.InvalidSubjectException e) {
            throw new IllegalArgumentException("invalid service import subject " + imp.to(), e);
        }
        importer.addServiceImport(sub);
    }

    /**
     * The services every account imports from the system account, as in Go: its own connections
     * ({@code $SYS.REQ.ACCOUNT.PING.CONNZ} and {@code $SYS.REQ.SERVER.PING.CONNZ}) and statistics
     * ({@code $SYS.REQ.ACCOUNT.PING.STATZ}), each answered for that account alone. None for the system
     * account itself, or without one.
     */
    public List<AccountConfig.Import> systemImports(Account account) {
        Account sys = system;
        return sys == null ? List.of() : systemImports(account.name(), sys);
    }

    private static List<AccountConfig.Import> systemImports(String account, Account sys) {
        if (account.equals(sys.name())) {
            return List.of();
        }
        String connz = "$SYS.REQ.ACCOUNT." + account + ".CONNZ";
        return List.of(
                new AccountConfig.Import(AccountConfig.Kind.SERVICE, sys.name(), connz, "$SYS.REQ.ACCOUNT.PING.CONNZ"),
                new AccountConfig.Import(AccountConfig.Kind.SERVICE, sys.name(), connz, "$SYS.REQ.SERVER.PING.CONNZ"),
                new AccountConfig.Import(AccountConfig.Kind.SERVICE, sys.name(),
                        "$SYS.REQ.ACCOUNT." + account + ".STATZ", "$SYS.REQ.ACCOUNT.PING.STATZ"));
    }

    private static void wireSystemImports(Account account, Account sys) {
        if (sys == null) {
            return;
        }
        for (AccountConfig.Import imp : systemImports(account.name(), sys)) {
            // Every server answers: a streamed response, as Go exports these.
            wireService(account, sys, imp, new AccountConfig.Export(AccountConfig.Kind.SERVICE,
                    imp.subject(), List.of(), AccountConfig.ResponseType.STREAM,
                    AccountConfig.DEFAULT_RESPONSE_THRESHOLD));
        }
    }

    private static AccountConfig.Export serviceExport(AccountConfig exporter, AccountConfig.Import imp) {
        if (exporter != null) {
            for (AccountConfig.Export e : exporter.exports()) {
                if (e.kind() == AccountConfig.Kind.SERVICE && SubjectMatcher.isSubsetMatch(imp.subject(), e.subject())) {
                    return e;
                }
            }
        }
        // Checked when the config was read; a default keeps programmatic set-ups working.
        return new AccountConfig.Export(AccountConfig.Kind.SERVICE, imp.subject(), List.of(),
                AccountConfig.ResponseType.SINGLETON, AccountConfig.DEFAULT_RESPONSE_THRESHOLD);
    }

    public Account global() {
        return global;
    }

    /** The system account, or null with {@code no_system_account}. */
    public Account system() {
        return system;
    }

    public Account get(String name) {
        return byName.get(name);
    }

    /** Drops a loaded JWT account (deleted from the resolver); returns it, or null when it was not loaded. */
    public synchronized Account forget(String name) {
        Account account = byName.get(name);
        if (account == null || trust == null || account == system) {
            return null;
        }
        Map<String, Account> next = new LinkedHashMap<>(byName);
        next.remove(name);
        byName = Map.copyOf(next);
        configs.remove(name);
        listeners.forEach(l -> l.removed(account));
        return account;
    }

    /** The configuration an account was built from (file or JWT); null for implicit accounts. */
    public AccountConfig config(String name) {
        return configs.get(name);
    }

    // ---- operator mode ---------------------------------------------------------------------------------

    /** Switches to operator mode: accounts are loaded from JWTs on first use. */
    public synchronized void operatorMode(OperatorTrust operatorTrust, AccountResolver accountResolver,
                                          String systemAccountKey) {
        trust = operatorTrust;
        resolver = accountResolver;
        if (systemAccountKey != null && !systemAccountKey.isEmpty()) {
            Account sys = resolve(systemAccountKey);
            if (sys == null) {
                // Go runs with a bare system account when its JWT cannot be found.
                sys = new Account(systemAccountKey, null);
                Map<String, Account> next = new LinkedHashMap<>(byName);
                next.put(sys.name(), sys);
                byName = Map.copyOf(next);
                Account bare = sys;
                listeners.forEach(l -> l.added(bare));
            }
            system = sys;
        }
    }

    public OperatorTrust trust() {
        return trust;
    }

    public AccountResolver resolver() {
        return resolver;
    }

    /**
     * The account of that name, loading it from its JWT in operator mode (with the accounts it imports
     * from); null when there is no such account or its JWT is not acceptable.
     */
    public Account resolve(String name) {
        Account a = byName.get(name);
        if (a != null || trust == null) {
            return a;
        }
        synchronized (this) {
            a = byName.get(name);
            if (a != null) {
                return a;
            }
            java.util.Optional<String> token = resolver.fetch(name);
            if (token.isEmpty()) {
                return null;
            }
            nats.server.internal.auth.AccountClaims claims;
            try {
                claims = trust.verifyAccount(token.get(), name);
            } catch (nats.server.internal.auth.JwtException e) {
                System.getLogger(Accounts.class.getName()).log(System.Logger.Level.WARNING,
                        "account " + name + " refused: " + e.getMessage());
                return null;
            }
            a = new Account(name, null);
            Map<String, Account> next = new LinkedHashMap<>(byName);
            next.put(name, a);
            byName = Map.copyOf(next);
            applyClaims(a, token.get(), claims);
            Account loaded = a;
            listeners.forEach(l -> l.added(loaded));
            return a;
        }
    }

    /** Puts a JWT's exports, imports and mappings into force for {@code account}. */
    private void applyClaims(Account account, String token, nats.server.internal.auth.AccountClaims claims) {
        AccountConfig config = JwtAccounts.toConfig(claims);
        account.jwt(new Account.JwtState(token, claims));
        account.reset(SubjectMappings.of(config.mappings()));
        configs.put(account.name(), config);
        account.clearImports();
        List<AccountConfig.Import> allowed = new java.util.ArrayList<>();
        for (AccountConfig.Import imp : config.imports()) {
            Account exporter = resolve(imp.account());
            if (exporter != null && exporter.jwt() != null
                    && JwtAccounts.importAllowed(exporter.jwt().claims(), claims, imp)) {
                allowed.add(imp);
            }
        }
        wireImports(byName, new AccountConfig(config.name(), config.exports(), allowed, config.mappings()));
        wireSystemImports(account, system);
    }

    /**
     * A pushed account JWT for an account in use: verified, then applied; the accounts importing from it
     * are rewired too.
     *
     * @return the accounts whose stream imports may have changed, for their clients' shadows
     * @throws nats.server.internal.auth.JwtException when the JWT is not acceptable
     */
    public synchronized Set<Account> update(String accountKey, String token) {
        nats.server.internal.auth.AccountClaims claims = trust.verifyAccount(token, accountKey);
        Account account = byName.get(accountKey);
        if (account == null) {
            return Set.of();
        }
        if (account.jwt() != null && account.jwt().token().equals(token)) {
            return Set.of();
        }
        Set<Account> touched = new HashSet<>();
        applyClaims(account, token, claims);
        touched.add(account);
        listeners.forEach(l -> l.updated(account));
        for (Account other : byName.values()) {
            AccountConfig config = configs.get(other.name());
            if (other != account && other.jwt() != null && config != null
                    && config.imports().stream().anyMatch(i -> i.account().equals(accountKey))) {
                applyClaims(other, other.jwt().token(), other.jwt().claims());
                touched.add(other);
            }
        }
        return touched;
    }

    /** The accounts, the global account first. */
    public Collection<Account> all() {
        List<Account> list = new java.util.ArrayList<>(byName.values());
        // A plain comparator, not Comparator.comparing: the JDK's combinator lambdas are spun at run time
        // (not held by the AOT cache), and this runs during every start.
        list.sort((a, b) -> a == b ? 0 : a == global ? -1 : b == global ? 1 : a.name().compareTo(b.name()));
        return list;
    }

    /** Drops service response routes that outlived their threshold; called periodically. */
    public void expireResponses() {
        long now = System.nanoTime();
        for (Account a : byName.values()) {
            ServiceResponses r = a.responses();
            if (r != null) {
                r.expire(now);
            }
        }
    }
}
