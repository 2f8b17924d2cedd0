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
    private volatile Account global;
    private volatile Account system;

    private Accounts() {
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
        Map<String, Account> next = new LinkedHashMap<>();
        Account g = reuse(old, AccountConfig.GLOBAL);
        g.reset(SubjectMappings.of(options.mappings()));
        next.put(g.name(), g);
        for (AccountConfig config : options.accounts()) {
            Account a = reuse(old, config.name());
            a.reset(SubjectMappings.of(config.mappings()));
            next.put(config.name(), a);
        }
        Account sys = null;
        if (!options.noSystemAccount()) {
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
        for (AccountConfig config : options.accounts()) {
            wireImports(next, options.accounts(), config);
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
        return changed;
    }

    private static Account reuse(Map<String, Account> old, String name) {
        Account existing = old.get(name);
        return existing != null ? existing : new Account(name, null);
    }

    private static void wireImports(Map<String, Account> all, List<AccountConfig> configs, AccountConfig config) {
        Account importer = all.get(config.name());
        for (AccountConfig.Import imp : config.imports()) {
            Account exporter = all.get(imp.account());
            if (imp.kind() == AccountConfig.Kind.STREAM) {
                importer.addStreamImport(new StreamImport(exporter, imp.subject(), imp.to()));
                continue;
            }
            AccountConfig.Export export = serviceExport(configs, imp);
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
    }

    private static AccountConfig.Export serviceExport(List<AccountConfig> configs, AccountConfig.Import imp) {
        for (AccountConfig exporter : configs) {
            if (!exporter.name().equals(imp.account())) {
                continue;
            }
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

    /** The accounts, the global account first. */
    public Collection<Account> all() {
        List<Account> list = new java.util.ArrayList<>(byName.values());
        list.sort(java.util.Comparator.comparing((Account a) -> a != global).thenComparing(Account::name));
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
