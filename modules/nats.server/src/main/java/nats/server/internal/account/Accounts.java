package nats.server.internal.account;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.SubjectMatcher;
import nats.server.internal.routing.Sublist;
import nats.server.options.AccountConfig;
import nats.server.options.ServerOptions;

/**
 * The server's accounts: the global account {@code $G} for clients that name none, the system account,
 * and the configured ones, with their imports wired to the exporting accounts.
 */
public final class Accounts {

    private final Map<String, Account> byName = new LinkedHashMap<>();
    private final Account global;
    private final Account system;
    private final List<AccountConfig> configs;

    private Accounts(ServerOptions options) {
        configs = options.accounts();
        global = new Account(AccountConfig.GLOBAL, SubjectMappings.of(options.mappings()));
        byName.put(global.name(), global);
        for (AccountConfig config : options.accounts()) {
            byName.put(config.name(), new Account(config.name(), SubjectMappings.of(config.mappings())));
        }
        if (options.noSystemAccount()) {
            system = null;
        } else {
            system = byName.computeIfAbsent(options.systemAccount(), name -> new Account(name, null));
        }
        for (AccountConfig config : options.accounts()) {
            wireImports(config);
        }
    }

    /** Builds the accounts of {@code options}, which the config reader has already checked. */
    public static Accounts of(ServerOptions options) {
        return new Accounts(options);
    }

    private void wireImports(AccountConfig config) {
        Account importer = byName.get(config.name());
        for (AccountConfig.Import imp : config.imports()) {
            Account exporter = byName.get(imp.account());
            if (imp.kind() == AccountConfig.Kind.STREAM) {
                importer.addStreamImport(new StreamImport(exporter, imp.subject(), imp.to()));
                continue;
            }
            AccountConfig.Export export = serviceExport(imp);
            if (exporter.responses() == null) {
                exporter.responses(new ServiceResponses(exporter));
            }
            ServiceImport route = new ServiceImport(importer, exporter, imp.to(), imp.subject(), export);
            try {
                importer.sublist().insert(new ServerSubscription(route, imp.to(), null, new byte[0]));
            } catch (Sublist.InvalidSubjectException e) {
                throw new IllegalArgumentException("invalid service import subject " + imp.to(), e);
            }
        }
    }

    private AccountConfig.Export serviceExport(AccountConfig.Import imp) {
        for (AccountConfig exporter : configsOf(imp.account())) {
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

    private List<AccountConfig> configsOf(String name) {
        return configs.stream().filter(c -> c.name().equals(name)).toList();
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

    public Collection<Account> all() {
        return byName.values();
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
