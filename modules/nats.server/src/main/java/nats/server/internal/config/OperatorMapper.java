package nats.server.internal.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import nats.server.internal.auth.CredsFile;
import nats.server.internal.auth.Jwt;
import nats.server.internal.auth.JwtException;
import nats.server.internal.auth.NKey;
import nats.server.internal.auth.OperatorClaims;
import nats.server.internal.auth.AccountClaims;
import nats.server.options.OperatorOptions;
import nats.server.options.ServerOptions;

/** Reads the operator-mode keys ({@code operator}, {@code trusted}, {@code resolver}, {@code resolver_preload}) as Go does. */
final class OperatorMapper {

    /** The system account named by the first operator JWT, used when the config names none. */
    private String operatorSystemAccount;
    private boolean systemAccountSet;

    List<String> operators(Map<String, Object> m, String key, Object v) throws ConfigException {
        List<Object> values = v instanceof List<?> list ? new ArrayList<>(list) : List.of(v);
        List<String> jwts = new ArrayList<>();
        for (Object value : values) {
            if (!(value instanceof String s)) {
                throw OptionsMapper.error(m, key, "error parsing operators: unsupported type "
                        + ConfigParser.typeName(value));
            }
            String jwt = readOperatorJwt(m, key, s);
            OperatorClaims claims;
            try {
                claims = Jwt.decode(jwt, OperatorClaims.class);
            } catch (JwtException e) {
                throw OptionsMapper.error(m, key, "error parsing operator JWT: " + e.getMessage());
            }
            if (jwts.isEmpty() && !claims.systemAccount().isEmpty()) {
                operatorSystemAccount = claims.systemAccount();
            }
            jwts.add(jwt);
        }
        operatorsSeen = !jwts.isEmpty();
        return jwts;
    }

    /** Go reads the operator from a file (a bare or decorated JWT); a JWT given inline is accepted too. */
    private static String readOperatorJwt(Map<String, Object> m, String key, String value) throws ConfigException {
        if (value.startsWith("eyJ")) {
            return value;
        }
        try {
            String content = Files.readString(Path.of(value));
            return CredsFile.decoratedJwt(content);
        } catch (IOException | RuntimeException e) {
            throw OptionsMapper.error(m, key, "error parsing operator JWT: " + e.getMessage());
        }
    }

    List<String> trustedKeys(Map<String, Object> m, String key, Object v) throws ConfigException {
        List<Object> values = v instanceof List<?> list ? new ArrayList<>(list) : List.of(v);
        List<String> keys = new ArrayList<>();
        for (Object value : values) {
            if (!(value instanceof String s)) {
                throw OptionsMapper.error(m, key, "error parsing trusted: unsupported type " + ConfigParser.typeName(value));
            }
            if (!NKey.isValidPublicKey(s, NKey.Type.OPERATOR)) {
                throw OptionsMapper.error(m, key, "trust key \"" + s + "\" required to be a valid public operator nkey");
            }
            keys.add(s);
        }
        return keys;
    }

    OperatorOptions.Resolver resolver(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (v instanceof String s) {
            String t = s.strip().toUpperCase(java.util.Locale.ROOT);
            if (t.startsWith("MEM")) {
                return OperatorOptions.Resolver.MEMORY;
            }
            if (t.startsWith("URL(") && t.endsWith(")")) {
                String url = s.strip();
                url = url.substring(4, url.length() - 1).strip();
                if (url.length() > 1 && (url.startsWith("\"") && url.endsWith("\"")
                        || url.startsWith("'") && url.endsWith("'"))) {
                    url = url.substring(1, url.length() - 1);
                }
                return OperatorOptions.Resolver.url(url);
            }
            throw OptionsMapper.error(m, key, "resolver \"" + s + "\" is not supported by jnatsd: use MEMORY, URL(...) "
                    + "or a full/cache directory resolver");
        }
        if (!(v instanceof Map<?, ?>)) {
            throw OptionsMapper.error(m, key, "resolver must be MEMORY, URL(...) or a map, got " + ConfigParser.typeName(v));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> rm = (Map<String, Object>) v;
        String dir = "";
        String type = "";
        boolean allowDelete = false;
        for (Map.Entry<String, Object> e : rm.entrySet()) {
            switch (Lexer.goLower(e.getKey())) {
                case "dir" -> dir = (String) requireString(rm, e.getKey(), e.getValue());
                case "type" -> type = (String) requireString(rm, e.getKey(), e.getValue());
                case "allow_delete" -> {
                    if (!(e.getValue() instanceof Boolean b)) {
                        throw OptionsMapper.error(rm, e.getKey(), "allow_delete must be a boolean");
                    }
                    allowDelete = b;
                }
                case "limit", "ttl", "interval", "timeout" -> {
                    // Tuning of Go's directory store and sync: accepted, the directory resolver here reads on demand.
                }
                default -> throw OptionsMapper.error(rm, e.getKey(), "unknown field \"" + e.getKey() + "\" in resolver");
            }
        }
        OperatorOptions.Resolver.Kind kind = switch (type.toLowerCase(java.util.Locale.ROOT)) {
            case "full" -> OperatorOptions.Resolver.Kind.FULL;
            case "cache" -> OperatorOptions.Resolver.Kind.CACHE;
            default -> throw OptionsMapper.error(m, key, "resolver type must be full or cache, got \"" + type + "\"");
        };
        if (dir.isEmpty()) {
            dir = ".";
        }
        return new OperatorOptions.Resolver(kind, Path.of(dir), allowDelete);
    }

    private static Object requireString(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (v instanceof String) {
            return v;
        }
        throw OptionsMapper.error(m, key, key + " must be a string");
    }

    Map<String, String> preload(Map<String, Object> m, String key, Object v) throws ConfigException {
        if (!(v instanceof Map<?, ?>)) {
            throw OptionsMapper.error(m, key, "preload should be a map of account_public_key:account_jwt");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> pm = (Map<String, Object>) v;
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : pm.entrySet()) {
            if (!(e.getValue() instanceof String jwt)) {
                throw OptionsMapper.error(pm, e.getKey(), "preload map value should be a string JWT");
            }
            try {
                Jwt.decode(jwt, AccountClaims.class);
            } catch (JwtException ex) {
                throw OptionsMapper.error(pm, e.getKey(), "invalid account JWT");
            }
            out.put(e.getKey(), jwt);
        }
        return out;
    }

    private boolean operatorsSeen;

    boolean hasOperators() {
        return operatorsSeen;
    }

    void systemAccountSet() {
        systemAccountSet = true;
    }

    /** With one operator and no system_account, the operator JWT names the system account, as in Go. */
    void systemAccountFromOperator(List<Consumer<ServerOptions>> actions) {
        String fromOperator = operatorSystemAccount;
        if (fromOperator != null && !systemAccountSet) {
            actions.add(o -> o.systemAccount(fromOperator));
        }
    }
}
