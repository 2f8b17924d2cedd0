package nats.server.internal.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nats.server.options.AccountConfig;
import nats.server.options.AccountConfig.Export;
import nats.server.options.AccountConfig.Import;
import nats.server.options.AccountConfig.Kind;
import nats.server.options.AccountConfig.Mapping;
import nats.server.options.AccountConfig.ResponseType;
import nats.server.options.Permissions;
import nats.server.options.User;
import nats.server.internal.account.SubjectTransform;
import nats.server.internal.routing.SubjectMatcher;
import nats.transport.protocol.Subjects;

/**
 * Reads the {@code accounts { }} block and subject {@code mappings} as the Go server's parseAccounts does,
 * including its checks and error texts: imports must name a defined account and be authorized by one of
 * its exports, service import subjects are unique per account, reserved names are refused.
 */
final class AccountsMapper {

    private final OptionsMapper mapper;
    private final Map<String, AccountConfig> accounts = new LinkedHashMap<>();
    private final List<User> users = new ArrayList<>();
    /** Account blocks that belong to plugins (e.g. {@code jetstream}), per account. */
    private final Map<String, Map<String, Object>> pluginSettings = new LinkedHashMap<>();
    private Map<String, Object> accountsMap;
    private String accountsKey;

    AccountsMapper(OptionsMapper mapper) {
        this.mapper = mapper;
    }

    List<AccountConfig> accountConfigs() {
        return List.copyOf(accounts.values());
    }

    List<User> users() {
        return List.copyOf(users);
    }

    /** Account blocks a plugin owns: account name to key to value. */
    Map<String, Map<String, Object>> pluginSettings() {
        return pluginSettings;
    }

    /** An error placed at the {@code accounts} key, for checks made once the whole file is read. */
    ConfigException usersError(String reason) {
        return OptionsMapper.error(accountsMap == null ? Map.of() : accountsMap, accountsKey, reason);
    }

    void accounts(Map<String, Object> m, String key, Object v) throws ConfigException {
        accountsMap = m;
        accountsKey = key;
        if (v instanceof List<?> names) {
            for (Object n : names) {
                String name = mapper.string(m, key, n);
                checkName(m, key, name);
                accounts.put(name, new AccountConfig(name));
            }
            return;
        }
        if (!(v instanceof Map<?, ?>)) {
            throw OptionsMapper.error(m, key, "Expected an array or map of accounts, got " + ConfigParser.typeName(v));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> all = (Map<String, Object>) v;
        for (Map.Entry<String, Object> e : all.entrySet()) {
            if (all instanceof ConfigMap cm && cm.usedAsVariable(e.getKey())) {
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?>)) {
                throw OptionsMapper.error(all, e.getKey(), "Expected map entries for accounts");
            }
            checkName(all, e.getKey(), e.getKey());
            @SuppressWarnings("unchecked")
            Map<String, Object> am = (Map<String, Object>) e.getValue();
            accounts.put(e.getKey(), account(e.getKey(), am));
        }
        for (AccountConfig account : accounts.values()) {
            checkImports(all, account);
        }
        checkCycles(all);
    }

    /**
     * Go's import cycle checks, made as each import is added in turn: a service request or a stream would
     * come back to the account it started from.
     */
    private void checkCycles(Map<String, Object> all) throws ConfigException {
        Map<String, List<Import>> added = new HashMap<>();
        for (AccountConfig account : accounts.values()) {
            for (Import imp : account.imports()) {
                java.util.Set<String> visited = new java.util.HashSet<>(List.of(account.name()));
                if (cycle(added, imp.kind(), imp.account(), imp.to(), visited)) {
                    throw OptionsMapper.error(all, account.name(), "Error adding "
                            + (imp.kind() == Kind.STREAM ? "stream" : "service") + " import \"" + imp.subject()
                            + "\": import forms a cycle");
                }
                added.computeIfAbsent(account.name(), k -> new ArrayList<>()).add(imp);
            }
        }
    }

    /**
     * Go's checkServiceImportsForCycles / checkStreamImportsForCycles: follows the imports already added
     * from {@code account} whose subject meets {@code subject} (services by the exporter's subject, streams
     * by the local one, and streams only where {@code account} exports it) back to a visited account.
     */
    private boolean cycle(Map<String, List<Import>> added, Kind kind, String account, String subject,
                          java.util.Set<String> visited) {
        if (kind == Kind.STREAM) {
            AccountConfig config = accounts.get(account);
            boolean exportsIt = config != null && config.exports().stream()
                    .anyMatch(e -> e.kind() == Kind.STREAM && SubjectMatcher.isSubsetMatch(subject, e.subject()));
            if (!exportsIt) {
                return false;
            }
        }
        for (Import si : added.getOrDefault(account, List.of())) {
            String meets = kind == Kind.SERVICE ? si.subject() : si.to();
            if (si.kind() != kind || !SubjectMatcher.collide(subject, meets)) {
                continue;
            }
            if (visited.contains(si.account())) {
                return true;
            }
            visited.add(account);
            String next = SubjectMatcher.isSubsetMatch(si.to(), subject) ? si.to() : subject;
            if (visited.size() < 1024 && cycle(added, kind, si.account(), next, visited)) {
                return true;
            }
        }
        return false;
    }

    private void checkName(Map<String, Object> m, String key, String name) throws ConfigException {
        if (AccountConfig.isReserved(name)) {
            throw OptionsMapper.error(m, key, "\"" + name + "\" is a Reserved Account");
        }
        if (accounts.containsKey(name)) {
            throw OptionsMapper.error(m, key, "Duplicate Account Entry: " + name);
        }
    }

    private AccountConfig account(String name, Map<String, Object> am) throws ConfigException {
        List<Export> exports = List.of();
        List<Import> imports = List.of();
        List<Mapping> mappings = List.of();
        List<User> accountUsers = List.of();
        Permissions defaults = null;
        AccountConfig.Limits limits = AccountConfig.Limits.NONE;
        AccountConfig.MessageTrace trace = AccountConfig.MessageTrace.NONE;
        for (Map.Entry<String, Object> e : am.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            switch (Lexer.goLower(k)) {
                case "users" -> {
                    accountUsers = mapper.users(am, k, v);
                }
                case "exports" -> exports = exports(am, k, v);
                case "imports" -> imports = imports(am, k, v);
                case "mappings", "maps" -> mappings = mappings(am, k, v);
                case "default_permissions" -> defaults = mapper.permissions(am, k, v);
                case "limits" -> limits = limits(am, k, v);
                case "msg_trace", "trace_dest" -> trace = messageTrace(am, k, v);
                case "nkey" -> mapper.unsupported(am, k, "account '" + k + "' is not supported by jnatsd yet");
                // Served by the JetStream module, which reads it through the plugin contract.
                case "jetstream" -> pluginSettings.computeIfAbsent(name, n -> new LinkedHashMap<>()).put("jetstream", v);
                default -> mapper.unknown(am, k);
            }
        }
        for (User u : accountUsers) {
            User placed = u.inAccount(name);
            if (defaults != null && u.permissions() == Permissions.UNRESTRICTED) {
                placed = placed.withPermissions(defaults);
            }
            users.add(placed);
        }
        return new AccountConfig(name, exports, imports, mappings, limits, trace);
    }

    /**
     * Go 2.11's {@code msg_trace: "subject"} or {@code msg_trace { dest: ..., sampling: 50 (or "50%") }}, with
     * Go's texts; a destination without sampling samples everything, sampling without a destination is ignored.
     */
    private AccountConfig.MessageTrace messageTrace(Map<String, Object> m, String key, Object v)
            throws ConfigException {
        String dest = "";
        int sampling = 0;
        if (v instanceof String s) {
            dest = traceDest(m, key, s);
        } else if (v instanceof Map<?, ?>) {
            @SuppressWarnings("unchecked")
            Map<String, Object> tm = (Map<String, Object>) v;
            for (Map.Entry<String, Object> e : tm.entrySet()) {
                String k = e.getKey();
                Object value = e.getValue();
                switch (Lexer.goLower(k)) {
                    case "dest" -> {
                        if (!(value instanceof String s)) {
                            throw OptionsMapper.error(tm, k, "Field \"" + k + "\" should be a string, got "
                                    + goType(value));
                        }
                        dest = traceDest(tm, k, s);
                    }
                    case "sampling" -> sampling = traceSampling(tm, k, value);
                    default -> throw OptionsMapper.error(tm, k, "Unknown field \"" + k
                            + "\" parsing account message trace map/struct \"" + key + "\"");
                }
            }
        } else {
            throw OptionsMapper.error(m, key, "Expected account message trace \"" + key
                    + "\" to be a string or a map/struct, got " + goType(v));
        }
        if (!dest.isEmpty() && sampling == 0) {
            sampling = 100;
        } else if (sampling > 0 && dest.isEmpty()) {
            mapper.warn(m, key, "Trace destination sampling ignored since no destination was set");
            sampling = 0;
        }
        return new AccountConfig.MessageTrace(dest, sampling);
    }

    /** A config value's type as Go's {@code %T} prints it. */
    private static String goType(Object v) {
        return switch (v) {
            case Long l -> "int64";
            case Double d -> "float64";
            case Boolean b -> "bool";
            case String str -> "string";
            case List<?> list -> "[]interface {}";
            case Map<?, ?> map -> "map[string]interface {}";
            default -> String.valueOf(v);
        };
    }

    private static String traceDest(Map<String, Object> m, String key, String dest) throws ConfigException {
        if (!Subjects.isValidSubject(dest) || SubjectMatcher.hasWildcard(dest)) {
            throw OptionsMapper.error(m, key, "Trace destination \"" + dest + "\" is not valid");
        }
        return dest;
    }

    private static int traceSampling(Map<String, Object> m, String key, Object v) throws ConfigException {
        long n;
        if (v instanceof Long l) {
            n = l;
        } else if (v instanceof String s) {
            try {
                n = Integer.parseInt(s.endsWith("%") ? s.substring(0, s.length() - 1) : s);
            } catch (NumberFormatException e) {
                throw OptionsMapper.error(m, key, "Invalid trace destination sampling value \"" + s + "\"");
            }
        } else {
            throw OptionsMapper.error(m, key, "Trace destination sampling field \"" + key
                    + "\" should be an integer or a percentage, got " + goType(v));
        }
        if (n <= 0 || n > 100) {
            // Go's text, typo included.
            throw OptionsMapper.error(m, key, "Ttrace destination sampling value " + n
                    + " is invalid, needs to be [1..100]");
        }
        return (int) n;
    }

    private AccountConfig.Limits limits(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (!(v instanceof Map<?, ?>)) {
            throw OptionsMapper.error(m, key, "Expected account limits to be a map/struct, got " + v);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> lm = (Map<String, Object>) v;
        long conn = -1;
        long subs = -1;
        long payload = -1;
        long leafs = -1;
        for (Map.Entry<String, Object> e : lm.entrySet()) {
            String k = e.getKey();
            switch (Lexer.goLower(k)) {
                case "max_connections", "max_conn" -> conn = mapper.integer(lm, k, e.getValue());
                case "max_subscriptions", "max_subs" -> subs = mapper.integer(lm, k, e.getValue());
                case "max_payload", "max_pay" -> payload = mapper.integer(lm, k, e.getValue());
                case "max_leafnodes", "max_leafs" -> leafs = mapper.integer(lm, k, e.getValue());
                default -> throw OptionsMapper.error(lm, k, "Unknown field \"" + k + "\" parsing account limits");
            }
        }
        return new AccountConfig.Limits(conn, subs, payload, leafs);
    }

    // ---- exports ---------------------------------------------------------------------------------------

    private List<Export> exports(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (!(v instanceof List<?> list)) {
            throw OptionsMapper.error(m, key, "Exports should be an array, got " + ConfigParser.typeName(v));
        }
        List<Export> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?>)) {
                throw OptionsMapper.error(m, key, "Export Items should be a map with type entry, got "
                        + ConfigParser.typeName(item));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> em = (Map<String, Object>) item;
            out.add(export(em));
        }
        return out;
    }

    private Export export(Map<String, Object> em) throws ConfigException {
        Kind kind = null;
        String subject = null;
        List<String> allowed = List.of();
        ResponseType responseType = ResponseType.SINGLETON;
        boolean responseSeen = false;
        Duration threshold = AccountConfig.DEFAULT_RESPONSE_THRESHOLD;
        AccountConfig.Latency latency = null;
        boolean allowTrace = false;
        String allowTraceKey = null;
        String firstKey = null;
        for (Map.Entry<String, Object> e : em.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            firstKey = firstKey == null ? k : firstKey;
            switch (Lexer.goLower(k)) {
                case "stream", "service" -> {
                    Kind seen = Lexer.goLower(k).equals("stream") ? Kind.STREAM : Kind.SERVICE;
                    if (kind != null && kind != seen) {
                        throw OptionsMapper.error(em, k, "Detected " + Lexer.goLower(k) + " \"" + v
                                + "\" but already saw a " + (kind == Kind.STREAM ? "stream" : "service"));
                    }
                    kind = seen;
                    subject = mapper.string(em, k, v);
                    if (!Subjects.isValidSubject(subject)) {
                        throw OptionsMapper.error(em, k, "Error adding " + Lexer.goLower(k) + " export \""
                                + subject + "\": subject is not valid");
                    }
                }
                case "accounts" -> {
                    if (!(v instanceof List<?> names)) {
                        throw OptionsMapper.error(em, k, "Expected accounts to be an array");
                    }
                    List<String> list = new ArrayList<>();
                    for (Object n : names) {
                        list.add(mapper.string(em, k, n));
                    }
                    allowed = list;
                }
                case "response", "response_type" -> {
                    if (responseSeen) {
                        throw OptionsMapper.error(em, k, "Duplicate response type definition");
                    }
                    responseSeen = true;
                    String type = mapper.string(em, k, v);
                    responseType = switch (type.toLowerCase(java.util.Locale.ROOT)) {
                        case "single", "singleton" -> ResponseType.SINGLETON;
                        case "stream" -> ResponseType.STREAM;
                        case "chunk", "chunked" -> ResponseType.CHUNKED;
                        default -> throw OptionsMapper.error(em, k, "Unknown response type: \"" + type + "\"");
                    };
                }
                case "threshold", "response_threshold", "response_max_time", "response_time" -> {
                    if (!(v instanceof String s)) {
                        throw OptionsMapper.error(em, k, "Expected response threshold to be a parseable time "
                                + "duration, got " + ConfigParser.typeName(v));
                    }
                    try {
                        threshold = nats.transport.config.GoDuration.parse(s);
                    } catch (IllegalArgumentException ex) {
                        throw OptionsMapper.error(em, k, "Expected response threshold to be a parseable time "
                                + "duration, got \"" + s + "\"");
                    }
                }
                case "latency" -> latency = latency(em, k, v);
                case "allow_trace" -> {
                    allowTrace = mapper.bool(em, k, v);
                    allowTraceKey = k;
                }
                case "account_token_position" -> mapper.unsupported(em, k,
                        "export '" + k + "' is not supported by jnatsd yet");
                default -> mapper.unknown(em, k);
            }
        }
        if (kind == null) {
            throw OptionsMapper.error(em, firstKey, "Export Items should be a map with type entry");
        }
        if (kind == Kind.STREAM && responseSeen) {
            throw OptionsMapper.error(em, firstKey, "Detected response directive on non-service");
        }
        if (kind == Kind.STREAM && latency != null) {
            throw OptionsMapper.error(em, "latency", "Detected latency directive on non-service");
        }
        if (kind == Kind.STREAM && allowTraceKey != null) {
            throw OptionsMapper.error(em, allowTraceKey, "Detected allow_trace directive on non-service");
        }
        return new Export(kind, subject, allowed, responseType, threshold, latency, allowTrace);
    }

    /** {@code latency: "subject"} or {@code {sampling: 50%, subject: "..."}}, as Go's parseServiceLatency. */
    private AccountConfig.Latency latency(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (v instanceof String subject) {
            return new AccountConfig.Latency(100, subject);
        }
        if (!(v instanceof Map<?, ?>)) {
            throw OptionsMapper.error(m, key, "Expected latency entry to be a map/struct or string, got "
                    + ConfigParser.typeName(v));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> lm = (Map<String, Object>) v;
        int sampling = 100;
        Object s = lm.get("sampling");
        if (s instanceof Long l) {
            sampling = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, l));
        } else if (s instanceof String str) {
            String digits = str.strip();
            if (digits.equalsIgnoreCase("headers")) {
                throw OptionsMapper.error(lm, "sampling", "header-triggered latency sampling is not supported by jnatsd yet");
            }
            digits = digits.endsWith("%") ? digits.substring(0, digits.length() - 1) : digits;
            try {
                sampling = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw OptionsMapper.error(lm, "sampling", "Failed to parse latency sample: " + e.getMessage());
            }
        } else if (s != null) {
            throw OptionsMapper.error(lm, "sampling", "Expected latency sample to be a string or map/struct, got "
                    + ConfigParser.typeName(s));
        }
        if (sampling < 1 || sampling > 100) {
            throw OptionsMapper.error(lm, "sampling", "bad sampling percentage, should be 1-100");
        }
        Object subject = lm.get("subject");
        if (subject == null) {
            throw OptionsMapper.error(m, key, "Latency subject required, but missing");
        }
        if (!(subject instanceof String subj)) {
            throw OptionsMapper.error(lm, "subject", "Expected latency subject to be a string, got "
                    + ConfigParser.typeName(subject));
        }
        return new AccountConfig.Latency(sampling, subj);
    }

    // ---- imports ---------------------------------------------------------------------------------------

    private List<Import> imports(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (!(v instanceof List<?> list)) {
            throw OptionsMapper.error(m, key, "Imports should be an array, got " + ConfigParser.typeName(v));
        }
        List<Import> out = new ArrayList<>();
        Map<String, Import> services = new HashMap<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?>)) {
                throw OptionsMapper.error(m, key, "Import Items should be a map with type entry, got "
                        + ConfigParser.typeName(item));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> im = (Map<String, Object>) item;
            Import imp = importEntry(im);
            if (imp.kind() == Kind.SERVICE) {
                Import dup = services.putIfAbsent(imp.to(), imp);
                if (dup != null) {
                    throw OptionsMapper.error(m, key, "Duplicate service import subject \"" + imp.to()
                            + "\", previously used in import for account \"" + dup.account() + "\", subject \""
                            + dup.subject() + "\"");
                }
            }
            out.add(imp);
        }
        return out;
    }

    private Import importEntry(Map<String, Object> im) throws ConfigException {
        Kind kind = null;
        String account = null;
        String subject = null;
        String prefix = null;
        String to = null;
        boolean allowTrace = false;
        String allowTraceKey = null;
        String firstKey = null;
        for (Map.Entry<String, Object> e : im.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            firstKey = firstKey == null ? k : firstKey;
            switch (Lexer.goLower(k)) {
                case "stream", "service" -> {
                    Kind seen = Lexer.goLower(k).equals("stream") ? Kind.STREAM : Kind.SERVICE;
                    if (kind != null && kind != seen) {
                        throw OptionsMapper.error(im, k, "Detected " + Lexer.goLower(k) + " but already saw a "
                                + (kind == Kind.STREAM ? "stream" : "service"));
                    }
                    kind = seen;
                    if (!(v instanceof Map<?, ?>)) {
                        throw OptionsMapper.error(im, k, (seen == Kind.STREAM ? "Stream" : "Service")
                                + " entry should be an account map, got " + ConfigParser.typeName(v));
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> source = (Map<String, Object>) v;
                    for (Map.Entry<String, Object> s : source.entrySet()) {
                        switch (Lexer.goLower(s.getKey())) {
                            case "account" -> account = mapper.string(source, s.getKey(), s.getValue());
                            case "subject" -> subject = mapper.string(source, s.getKey(), s.getValue());
                            default -> mapper.unknown(source, s.getKey());
                        }
                    }
                    if (account == null || account.isEmpty() || subject == null || subject.isEmpty()) {
                        throw OptionsMapper.error(im, k, "Expect an account name and a subject");
                    }
                }
                case "prefix" -> prefix = mapper.string(im, k, v);
                case "to" -> to = mapper.string(im, k, v);
                case "share" -> mapper.bool(im, k, v);
                case "allow_trace" -> {
                    allowTrace = mapper.bool(im, k, v);
                    allowTraceKey = k;
                }
                default -> mapper.unknown(im, k);
            }
        }
        if (kind == null) {
            throw OptionsMapper.error(im, firstKey, "Import Items should be a map with type entry");
        }
        if (kind == Kind.STREAM && prefix != null && to != null) {
            throw OptionsMapper.error(im, "to", "Stream import can not have a 'prefix' and a 'to' property");
        }
        if (kind == Kind.STREAM && prefix != null && !prefix.isEmpty()) {
            if (SubjectMatcher.hasWildcard(prefix)) {
                throw OptionsMapper.error(im, "prefix", "Error adding stream import \"" + subject
                        + "\": stream import prefix can not contain wildcard tokens");
            }
            to = prefix.endsWith(".") ? prefix + subject : prefix + "." + subject;
        }
        if (to == null || to.isEmpty()) {
            to = subject;
        }
        if (!Subjects.isValidSubject(subject) || !Subjects.isValidSubject(to)) {
            throw OptionsMapper.error(im, firstKey, "Error adding " + (kind == Kind.STREAM ? "stream" : "service")
                    + " import \"" + subject + "\": invalid subject");
        }
        if (kind == Kind.SERVICE && allowTraceKey != null) {
            throw OptionsMapper.error(im, allowTraceKey, "Detected allow_trace directive on a non-stream");
        }
        return new Import(kind, account, subject, to, allowTrace);
    }

    /** Every import names a defined account whose exports allow it, as Go checks after reading all accounts. */
    private void checkImports(Map<String, Object> all, AccountConfig importer) throws ConfigException {
        for (Import imp : importer.imports()) {
            String kind = imp.kind() == Kind.STREAM ? "stream" : "service";
            AccountConfig exporter = accounts.get(imp.account());
            if (exporter == null) {
                throw OptionsMapper.error(all, importer.name(), "\"" + imp.account() + "\" account not defined for "
                        + kind + " import");
            }
            if (!authorized(exporter, importer.name(), imp)) {
                throw OptionsMapper.error(all, importer.name(), "Error adding " + kind + " import \"" + imp.subject()
                        + "\": " + kind + " import not authorized");
            }
        }
        for (Export exp : importer.exports()) {
            for (String name : exp.accounts()) {
                if (!accounts.containsKey(name)) {
                    throw OptionsMapper.error(all, importer.name(), "\"" + name + "\" account not defined for "
                            + (exp.kind() == Kind.STREAM ? "stream" : "service") + " export");
                }
            }
        }
    }

    private static boolean authorized(AccountConfig exporter, String importer, Import imp) {
        for (Export exp : exporter.exports()) {
            if (exp.kind() == imp.kind() && SubjectMatcher.isSubsetMatch(imp.subject(), exp.subject())
                    && (exp.isPublic() || exp.accounts().contains(importer))) {
                return true;
            }
        }
        return false;
    }

    // ---- mappings --------------------------------------------------------------------------------------

    List<Mapping> mappings(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (!(v instanceof Map<?, ?>)) {
            throw OptionsMapper.error(m, key, "Expected a map of subject mappings, got " + ConfigParser.typeName(v));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> mm = (Map<String, Object>) v;
        List<Mapping> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : mm.entrySet()) {
            String source = e.getKey();
            if (!Subjects.isValidSubject(source)) {
                throw OptionsMapper.error(mm, source, "Subject \"" + source + "\" is not a valid subject");
            }
            List<Mapping.Destination> destinations = new ArrayList<>();
            if (e.getValue() instanceof String dest) {
                destinations.add(new Mapping.Destination(dest, 100));
            } else if (e.getValue() instanceof List<?> list) {
                for (Object d : list) {
                    destinations.add(destination(mm, source, d));
                }
            } else {
                throw OptionsMapper.error(mm, source, "Expected a subject or a list of weighted destinations, got "
                        + ConfigParser.typeName(e.getValue()));
            }
            try {
                out.add(SubjectTransform.checked(new Mapping(source, destinations)));
            } catch (IllegalArgumentException ex) {
                // Go's text for a plain destination (for a weighted list Go's own message handling fails).
                String to = e.getValue() instanceof String dest ? " to \"" + dest + "\" :" : ":";
                throw OptionsMapper.error(mm, source, "Error adding mapping for \"" + source + "\"" + to + " "
                        + ex.getMessage());
            }
        }
        return out;
    }

    private Mapping.Destination destination(Map<String, Object> mm, String source, Object d) throws ConfigException {
        if (!(d instanceof Map<?, ?>)) {
            throw OptionsMapper.error(mm, source, "Expected an entry for the mapping destination");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> dm = (Map<String, Object>) d;
        String subject = null;
        Integer weight = null;
        for (Map.Entry<String, Object> e : dm.entrySet()) {
            String k = e.getKey();
            switch (Lexer.goLower(k)) {
                case "dest", "destination" -> subject = mapper.string(dm, k, e.getValue());
                case "weight" -> weight = weight(dm, k, e.getValue());
                case "cluster" -> mapper.unsupported(dm, k, "cluster-scoped mappings are not supported by jnatsd yet");
                default -> throw OptionsMapper.error(dm, k, "Unknown field \"" + k + "\" for mapping destination");
            }
        }
        if (weight == null) {
            throw OptionsMapper.error(mm, source, "Missing weight for mapping destination \"" + subject + "\"");
        }
        if (subject == null) {
            throw OptionsMapper.error(mm, source, "Missing destination subject for mapping \"" + source + "\"");
        }
        return new Mapping.Destination(subject, weight);
    }

    private static int weight(Map<String, Object> dm, String k, Object v) throws ConfigException {
        long w;
        if (v instanceof Long l) {
            w = l;
        } else if (v instanceof String s) {
            String digits = s.endsWith("%") ? s.substring(0, s.length() - 1) : s;
            try {
                w = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw OptionsMapper.error(dm, k, "Invalid weight \"" + digits + "\" for mapping destination");
            }
        } else {
            throw OptionsMapper.error(dm, k, "Unknown entry type for weight of " + v);
        }
        if (w < 0 || w > 100) {
            throw OptionsMapper.error(dm, k, "Invalid weight " + w + " for mapping destination");
        }
        return (int) w;
    }
}
