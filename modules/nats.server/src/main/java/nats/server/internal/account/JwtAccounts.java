package nats.server.internal.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nats.server.internal.auth.AccountClaims;
import nats.server.internal.auth.Export;
import nats.server.internal.auth.ExportType;
import nats.server.internal.auth.Import;
import nats.server.internal.routing.SubjectMatcher;
import nats.server.options.AccountConfig;

/**
 * Turns account JWT claims into the account configuration the router understands, reading imports the
 * way the Go server does ({@code local_subject}, else the deprecated {@code to}).
 */
final class JwtAccounts {

    private JwtAccounts() {
    }

    static AccountConfig toConfig(AccountClaims claims) {
        List<AccountConfig.Export> exports = new ArrayList<>();
        for (Export e : claims.exports()) {
            if (e.subject() == null || e.subject().isEmpty()) {
                continue;
            }
            AccountConfig.Kind kind = e.type() == ExportType.SERVICE ? AccountConfig.Kind.SERVICE
                    : AccountConfig.Kind.STREAM;
            AccountConfig.ResponseType rt = switch (e.responseType() == null ? "" : e.responseType()) {
                case Export.RESPONSE_STREAM -> AccountConfig.ResponseType.STREAM;
                case Export.RESPONSE_CHUNKED -> AccountConfig.ResponseType.CHUNKED;
                default -> AccountConfig.ResponseType.SINGLETON;
            };
            java.time.Duration threshold = e.responseThreshold() == null || e.responseThreshold().isZero()
                    ? AccountConfig.DEFAULT_RESPONSE_THRESHOLD : e.responseThreshold();
            AccountConfig.Latency latency = e.latency().filter(l -> l.sampling() > 0 && l.results() != null
                    && !l.results().isEmpty())
                    .map(l -> new AccountConfig.Latency((int) Math.min(100, l.sampling()), l.results())).orElse(null);
            exports.add(new AccountConfig.Export(kind, e.subject(), List.of(), rt, threshold, latency));
        }
        List<AccountConfig.Import> imports = new ArrayList<>();
        for (Import i : claims.imports()) {
            if (i.subject() == null || i.subject().isEmpty() || i.account() == null || i.account().isEmpty()) {
                continue;
            }
            imports.add(toImport(i));
        }
        List<AccountConfig.Mapping> mappings = new ArrayList<>();
        for (Map.Entry<String, List<AccountClaims.WeightedMapping>> m : claims.mappings().entrySet()) {
            List<AccountConfig.Mapping.Destination> ds = new ArrayList<>();
            for (AccountClaims.WeightedMapping w : m.getValue()) {
                if (w.cluster() == null || w.cluster().isEmpty()) {
                    ds.add(new AccountConfig.Mapping.Destination(w.subject(), w.effectiveWeight()));
                }
            }
            try {
                mappings.add(SubjectTransform.checked(new AccountConfig.Mapping(m.getKey(), ds)));
            } catch (IllegalArgumentException ignored) {
                // Go skips a mapping it cannot use and keeps the account.
            }
        }
        return new AccountConfig(claims.data().subject(), exports, imports, mappings, AccountConfig.Limits.NONE,
                trace(claims.trace()));
    }

    /**
     * Go 2.11's UpdateAccountClaims: a destination that is not a valid publish subject means no tracing, a
     * sampling outside 1..100 means all.
     */
    static AccountConfig.MessageTrace trace(AccountClaims.MsgTrace claim) {
        String dest = claim.dest();
        if (!nats.transport.protocol.Subjects.isValidSubject(dest)) {
            return AccountConfig.MessageTrace.NONE;
        }
        for (String token : dest.split("\\.", -1)) {
            if (token.equals("*") || token.equals(">")) {
                return AccountConfig.MessageTrace.NONE;
            }
        }
        long sampling = claim.sampling();
        return new AccountConfig.MessageTrace(dest, sampling <= 0 || sampling > 100 ? 100 : (int) sampling);
    }

    private static AccountConfig.Import toImport(Import i) {
        boolean service = i.type() == ExportType.SERVICE;
        String local;
        if (i.localSubject() != null && !i.localSubject().isEmpty()) {
            local = i.localSubject();
        } else if (service) {
            local = i.subject();
        } else if (i.to() != null && !i.to().isEmpty()) {
            local = i.to().endsWith(".") ? i.to() + i.subject() : i.to() + "." + i.subject();
        } else {
            local = i.subject();
        }
        String remote = service && (i.localSubject() == null || i.localSubject().isEmpty())
                && i.to() != null && !i.to().isEmpty() ? i.to() : i.subject();
        return new AccountConfig.Import(service ? AccountConfig.Kind.SERVICE : AccountConfig.Kind.STREAM,
                i.account(), remote, local);
    }

    /** Whether the exporter's claims allow {@code importer} to take {@code imp} (public, or with a valid token). */
    static boolean importAllowed(AccountClaims exporter, AccountClaims importerClaims, AccountConfig.Import imp) {
        ExportType wanted = imp.kind() == AccountConfig.Kind.SERVICE ? ExportType.SERVICE : ExportType.STREAM;
        for (Export e : exporter.exports()) {
            if (e.type() != wanted || e.subject() == null || !SubjectMatcher.isSubsetMatch(imp.subject(), e.subject())) {
                continue;
            }
            if (!e.tokenRequired()) {
                return true;
            }
            String token = tokenFor(importerClaims, imp);
            if (OperatorTrust.activationValid(token, exporter, importerClaims.data().subject(), imp.subject())) {
                return true;
            }
        }
        return false;
    }

    private static String tokenFor(AccountClaims importer, AccountConfig.Import imp) {
        for (Import i : importer.imports()) {
            if (imp.account().equals(i.account()) && imp.subject().equals(i.subject())
                    || imp.account().equals(i.account()) && imp.subject().equals(i.to())) {
                return i.token();
            }
        }
        return null;
    }
}
