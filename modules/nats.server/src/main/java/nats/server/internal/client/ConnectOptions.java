package nats.server.internal.client;

import java.util.Map;

import nats.transport.json.Json;

/**
 * The options a client sends in CONNECT. Absent fields take the Go server's defaults: verbose, pedantic
 * and echo are on unless the client says otherwise.
 */
public record ConnectOptions(boolean verbose, boolean pedantic, boolean echo, boolean headers, boolean noResponders,
                      int protocol, String name, String lang, String version, String user, String pass,
                      String authToken, String jwt, String nkey, String signature, boolean tlsRequired) {

    /** What applies before any CONNECT arrived: the Go server's defaults, verbose and pedantic. */
    static final ConnectOptions BEFORE_CONNECT = new ConnectOptions(true, true, true, false, false, 0,
            "", "", "", "", "", "", "", "", "", false);

    /** Parses the CONNECT JSON; throws {@link Json.JsonException} when it is not a JSON object. */
    static ConnectOptions parse(String json) {
        Map<String, Object> m = Json.parseObject(json);
        return new ConnectOptions(
                bool(m, "verbose", true),
                bool(m, "pedantic", true),
                bool(m, "echo", true),
                bool(m, "headers", false),
                bool(m, "no_responders", false),
                (int) number(m, "protocol"),
                string(m, "name"),
                string(m, "lang"),
                string(m, "version"),
                string(m, "user"),
                string(m, "pass"),
                string(m, "auth_token"),
                string(m, "jwt"),
                string(m, "nkey"),
                string(m, "sig"),
                bool(m, "tls_required", false));
    }

    private static boolean bool(Map<String, Object> m, String key, boolean absent) {
        Object v = m.get(key);
        if (v == null) {
            return absent;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new Json.JsonException("field '" + key + "' must be a boolean");
    }

    private static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw new Json.JsonException("field '" + key + "' must be a number");
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        throw new Json.JsonException("field '" + key + "' must be a string");
    }

    /** The same options with a user JWT (a WebSocket's JWT cookie when CONNECT carries none). */
    ConnectOptions withJwt(String token) {
        return new ConnectOptions(verbose, pedantic, echo, headers, noResponders, protocol, name, lang, version, user,
                pass, authToken, token, nkey, signature, tlsRequired);
    }

    /** What a plugin's session presented, as if it had sent CONNECT. */
    public static ConnectOptions presented(String name, String lang, String version, String user, String pass,
                                    String token, String jwt, String nkey, String signature) {
        return new ConnectOptions(false, false, true, true, false, 1, name, lang, version, user, pass, token, jwt,
                nkey, signature, false);
    }

    @Override
    public String toString() {
        // Never print credentials.
        return "ConnectOptions[name=" + name + ", lang=" + lang + ", version=" + version + ", protocol=" + protocol
                + ", verbose=" + verbose + ", pedantic=" + pedantic + ", echo=" + echo + ", headers=" + headers + "]";
    }
}
