package nats.server.internal.config;

import java.util.List;
import java.util.Map;

import nats.server.options.AuthSettings;
import nats.server.options.User;

/**
 * The credentials of a listener block ({@code websocket {}}, {@code mqtt {}}) that replace the server's for
 * that listener's clients: {@code username}/{@code user}, {@code password}/{@code pass}, {@code token},
 * {@code users}, {@code no_auth_user}, and the same keys inside an {@code authorization {}} block. Other keys of
 * the block belong to the plugin and are ignored here.
 */
public final class AuthBlockMapper {

    private AuthBlockMapper() {
    }

    /** Reads the credentials of {@code block}; {@link AuthSettings#NONE} when it sets none. */
    public static AuthSettings read(Map<String, Object> block) throws ConfigException {
        OptionsMapper mapper = OptionsMapper.forBlock();
        Fields fields = new Fields();
        collect(mapper, block, fields);
        Object auth = find(block, "authorization");
        if (auth != null) {
            collect(mapper, ConfigValuesOf.map(block, "authorization", auth), fields);
        }
        if (!fields.token.isEmpty() && (!fields.user.isEmpty() || !fields.users.isEmpty())) {
            throw OptionsMapper.error(block, "token", "Cannot have a user/pass and token");
        }
        return new AuthSettings(fields.token, fields.user, fields.pass, fields.users, fields.noAuthUser);
    }

    /**
     * The block's {@code authorization { timeout }} in seconds, as Go's parseSimpleAuth reads it (an integer
     * or a fraction; any other value counts as one second); empty when absent or zero.
     */
    public static java.util.Optional<java.time.Duration> authTimeout(Map<String, Object> block) {
        Object auth = find(block, "authorization");
        if (!(auth instanceof Map<?, ?> map)) {
            return java.util.Optional.empty();
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (Lexer.goLower(String.valueOf(e.getKey())).equals("timeout")) {
                double seconds = e.getValue() instanceof Number n ? n.doubleValue() : 1;
                return seconds == 0 ? java.util.Optional.empty()
                        : java.util.Optional.of(java.time.Duration.ofNanos(Math.round(seconds * 1e9)));
            }
        }
        return java.util.Optional.empty();
    }

    private static final class Fields {
        String user = "";
        String pass = "";
        String token = "";
        String noAuthUser = "";
        List<User> users = List.of();
    }

    private static void collect(OptionsMapper mapper, Map<String, Object> m, Fields f) throws ConfigException {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            switch (Lexer.goLower(k)) {
                case "user", "username" -> f.user = mapper.string(m, k, v);
                case "pass", "password" -> f.pass = mapper.string(m, k, v);
                case "token" -> f.token = mapper.string(m, k, v);
                case "no_auth_user" -> f.noAuthUser = mapper.string(m, k, v);
                case "users" -> f.users = mapper.users(m, k, v);
                default -> {
                    // the plugin's own keys
                }
            }
        }
    }

    private static Object find(Map<String, Object> m, String key) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (Lexer.goLower(e.getKey()).equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Narrowing a config value to a block, with Go's text when it is not one. */
    private static final class ConfigValuesOf {
        @SuppressWarnings("unchecked")
        static Map<String, Object> map(Map<String, Object> m, String key, Object v) throws ConfigException {
            if (v instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw OptionsMapper.error(m, key, "expected a map to define " + key + ", got " + ConfigParser.typeName(v));
        }
    }
}
